"use client";
import { useQuery } from "@tanstack/react-query";
import type { DeadLetterOverview } from "../operations/dead-letters";
import { fetchJson } from "./fetch-json";

export const deadLetterKeys = {
  all: ["dead-letters"] as const,
  overview: () => [...deadLetterKeys.all, "overview"] as const,
};

export function useDeadLetterOverview() {
  return useQuery({
    queryKey: deadLetterKeys.overview(),
    queryFn: () => fetchJson<DeadLetterOverview>("/api/dead-letters"),
    refetchInterval: 15_000,
  });
}
