"use client";
import { useQuery } from "@tanstack/react-query";
import type { EndpointHealth } from "../domain/environment";
import { fetchJson } from "./fetch-json";

/** Liveness for anyone; the endpoint's health only with a session. */
export type HealthResponse = { ok: true } & Partial<EndpointHealth>;

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
