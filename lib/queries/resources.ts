"use client";
import { useQuery } from "@tanstack/react-query";
import type { QueueSummary } from "../aws/sqs";
import type { TopicSummary } from "../aws/sns";
import { fetchJson } from "./fetch-json";

export type { QueueSummary, TopicSummary };

export const topicKeys = { all: ["topics"] as const, list: () => [...topicKeys.all, "list"] as const };
export const queueKeys = { all: ["queues"] as const, list: () => [...queueKeys.all, "list"] as const };

export function useTopics() {
  return useQuery({
    queryKey: topicKeys.list(),
    queryFn: async () => (await fetchJson<{ topics: TopicSummary[] }>("/api/topics")).topics,
    refetchInterval: 30_000,
  });
}

export function useQueues() {
  return useQuery({
    queryKey: queueKeys.list(),
    queryFn: async () => (await fetchJson<{ queues: QueueSummary[] }>("/api/queues")).queues,
    refetchInterval: 30_000,
  });
}
