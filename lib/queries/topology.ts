"use client";
import { useApi } from "./scope";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TopologyView } from "../operations/topology";

export type { TopologyView };

export const topologyKeys = { all: ["topology"] as const };

/** The account's graph, refreshed every 15 seconds (the server shares one collection for 14). */
export function useTopology() {
  const api = useApi();
  return useQuery({
    queryKey: topologyKeys.all,
    queryFn: () => api<TopologyView>("/api/topology"),
    refetchInterval: 15_000,
  });
}

/** Collects the graph again now, past the server's cache. */
export function useRefreshTopology() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<TopologyView>("/api/topology?fresh=1"),
    onSuccess: (view) => client.setQueryData(topologyKeys.all, view),
  });
}
