"use client";
import { useApi } from "./scope";
import { useQuery } from "@tanstack/react-query";
import type { IncidentsView } from "../operations/incidents";

export type { IncidentsView };

export const incidentKeys = {
  all: ["incidents"] as const,
  list: () => [...incidentKeys.all, "list"] as const,
};

/** What is broken now, refreshed every 15 seconds (the server shares one collection for 14). */
export function useIncidents() {
  const api = useApi();
  return useQuery({
    queryKey: incidentKeys.list(),
    queryFn: () => api<IncidentsView>("/api/incidents"),
    refetchInterval: 15_000,
  });
}
