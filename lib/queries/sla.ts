"use client";
import { useQuery } from "@tanstack/react-query";
import type { SlaView, SlaWindow } from "../operations/sla";
import { fetchJson } from "./fetch-json";

export type { SlaView, SlaWindow };

/** Service levels over a window, refreshed every 30 seconds. */
export function useSla(window: SlaWindow) {
  return useQuery({
    queryKey: ["sla", window],
    queryFn: () => fetchJson<SlaView>(`/api/sla?window=${window}`),
    refetchInterval: 30_000,
  });
}
