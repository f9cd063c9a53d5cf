"use client";
import { useApi } from "./scope";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AuditEntry } from "../domain/audit";
import { auditApiFilter, auditQueryString, type AuditPageFilter } from "../domain/audit-filter";
import type { EnvironmentListing } from "../domain/environments";
import { fetchJson } from "./fetch-json";

export type { AuditEntry, AuditPageFilter };

export const auditKeys = {
  all: ["audit"] as const,
  list: (filter: AuditPageFilter) => [...auditKeys.all, "list", filter] as const,
  environments: () => [...auditKeys.all, "environments"] as const,
};

/** The entries a filter selects, read again every 15 s; a preset range ("last 1 h") ends at each read's now. */
export function useAudit(filter: AuditPageFilter) {
  const api = useApi();
  return useQuery({
    queryKey: auditKeys.list(filter),
    queryFn: async () =>
      (await api<{ entries: AuditEntry[] }>(`/api/audit?${auditQueryString(auditApiFilter(filter, Date.now()))}`))
        .entries,
    refetchInterval: 15_000,
    // While a changed filter is read, the rows of the last one stay rather than a skeleton at every pause in typing.
    placeholderData: keepPreviousData,
  });
}

/** The configured environments, for the audit filter's choice of environment and region; they change only with a restart. */
export function useAuditEnvironments() {
  return useQuery({
    queryKey: auditKeys.environments(),
    queryFn: async () => (await fetchJson<{ environments: EnvironmentListing[] }>("/api/environments")).environments,
    staleTime: Infinity,
  });
}
