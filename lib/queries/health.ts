"use client";
import { useApi } from "./scope";
import { useQuery } from "@tanstack/react-query";
import type { EndpointHealth } from "../domain/environment";

/** Liveness for anyone; the endpoint's health only with a session. */
export type HealthResponse = { ok: true } & Partial<EndpointHealth>;

export const healthKeys = { all: ["health"] as const };

/** Endpoint health, polled while the console is open. */
export function useHealth() {
  const api = useApi();
  return useQuery({
    queryKey: healthKeys.all,
    queryFn: () => api<HealthResponse>("/api/health"),
    refetchInterval: 15_000,
    meta: { silent: true },
  });
}
