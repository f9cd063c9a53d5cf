"use client";
import { useQuery } from "@tanstack/react-query";
import type { AuditEntry, AuditFilter } from "../domain/audit";
import { fetchJson } from "./fetch-json";

export type { AuditEntry, AuditFilter };

export const auditKeys = {
  all: ["audit"] as const,
  list: (filter: AuditFilter) => [...auditKeys.all, "list", filter] as const,
};

export function useAudit(filter: AuditFilter) {
  const params = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as Array<[string, string]>);
  return useQuery({
    queryKey: auditKeys.list(filter),
    queryFn: async () => (await fetchJson<{ entries: AuditEntry[] }>(`/api/audit?${params}`)).entries,
    refetchInterval: 15_000,
  });
}
