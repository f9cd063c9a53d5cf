"use client";
import { useApi } from "./scope";
import { useQuery } from "@tanstack/react-query";
import type { ResourceKind, ResourceMetrics } from "../operations/resource-metrics";
import type { CallerSla, SlaWindow } from "../operations/sla";

/** The service levels as the API answers them: the caller's view of them. */
export type SlaView = CallerSla;
export type { SlaWindow };

export const slaKeys = {
  all: ["sla"] as const,
  window: (window: SlaWindow) => ["sla", window] as const,
  metrics: (kind: string, name: string, window: SlaWindow) => ["sla", "metrics", kind, name, window] as const,
};

/** Service levels over a window, refreshed every 30 seconds. */
export function useSla(window: SlaWindow) {
  const api = useApi();
  return useQuery({
    queryKey: slaKeys.window(window),
    queryFn: () => api<SlaView>(`/api/sla?window=${window}`),
    refetchInterval: 30_000,
  });
}

/** One resource's charts over a window, refreshed every 30 seconds. */
export function useResourceMetrics(kind: ResourceKind, name: string, window: SlaWindow) {
  const api = useApi();
  return useQuery({
    queryKey: slaKeys.metrics(kind, name, window),
    queryFn: () => api<ResourceMetrics>(`/api/metrics?kind=${kind}&name=${encodeURIComponent(name)}&window=${window}`),
    refetchInterval: 30_000,
  });
}
