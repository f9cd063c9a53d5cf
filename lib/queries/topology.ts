"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TopologyView } from "../operations/topology";
import { fetchJson } from "./fetch-json";

export type { TopologyView };

export const topologyKeys = { all: ["topology"] as const };

/** The account's graph, refreshed every 15 seconds (the server shares one collection for 14). */
export function useTopology() {
  return useQuery({
    queryKey: topologyKeys.all,
    queryFn: () => fetchJson<TopologyView>("/api/topology"),
    refetchInterval: 15_000,
  });
}

/** Collects the graph again now, past the server's cache. */
export function useRefreshTopology() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson<TopologyView>("/api/topology?fresh=1"),
    onSuccess: (view) => client.setQueryData(topologyKeys.all, view),
  });
}
