"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";

export type ServiceStatus = "ok" | "error" | "not_supported";

export interface HealthResponse {
  ok: true;
  endpoint?: string;
  region?: string;
  services?: Record<string, ServiceStatus>;
  errors?: Record<string, string>;
  checkedAt?: string;
}

export const healthKeys = { all: ["health"] as const };

/** Endpoint health, polled while the console is open. */
export function useHealth() {
  return useQuery({
    queryKey: healthKeys.all,
    queryFn: () => fetchJson<HealthResponse>("/api/health"),
    refetchInterval: 15_000,
    meta: { silent: true },
  });
}
