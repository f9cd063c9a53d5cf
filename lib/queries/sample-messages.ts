"use client";
import { useApi } from "./scope";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MessageAttribute } from "../domain/filter-policy/types";
import type { SavedSampleMessage } from "../domain/saved-sample";
import { jsonRequest } from "./fetch-json";

export type { SavedSampleMessage };

export const sampleMessageKeys = {
  all: ["sample-messages"] as const,
  list: () => [...sampleMessageKeys.all, "list"] as const,
  /** Real messages of a subscription: its dead letters, or recent events. */
  pipeline: (subscriptionArn: string | undefined, source: string) =>
    ["pipeline-samples", subscriptionArn, source] as const,
};

export function useSampleMessages() {
  const api = useApi();
  return useQuery({
    queryKey: sampleMessageKeys.list(),
    queryFn: async () => (await api<{ samples: SavedSampleMessage[] }>("/api/sample-messages")).samples,
  });
}

export function useSaveSampleMessage() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (sample: { name: string; body: string; attributes: Record<string, MessageAttribute> }) =>
      api<{ sample: SavedSampleMessage }>("/api/sample-messages", jsonRequest("POST", sample)),
    onSuccess: () => client.invalidateQueries({ queryKey: sampleMessageKeys.all }),
  });
}

export function useDeleteSampleMessage() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<{ deleted: boolean }>(`/api/sample-messages/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: sampleMessageKeys.all }),
  });
}

export type PipelineSampleSource = "dead-letters" | "recent";

/**
 * Real messages of a subscription, loaded on request (reading dead letters receives them):
 * its dead letters, or recent events from the tap queue.
 */
export function usePipelineSamples(subscriptionArn: string | undefined, source: PipelineSampleSource) {
  const api = useApi();
  return useQuery({
    queryKey: sampleMessageKeys.pipeline(subscriptionArn, source),
    queryFn: () =>
      api<{
        samples: Array<{ name: string; body: string; attributes: Record<string, MessageAttribute> }>;
        notes: string[];
      }>(`/api/subscriptions/${encodeURIComponent(subscriptionArn!)}/samples?source=${source}`),
    enabled: false,
    staleTime: Infinity,
    retry: false,
  });
}
