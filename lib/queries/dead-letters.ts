"use client";
import { useApi } from "./scope";
import { useQuery } from "@tanstack/react-query";
import type { DeadLetterOverview } from "../operations/dead-letters";

export const deadLetterKeys = {
  all: ["dead-letters"] as const,
  overview: () => [...deadLetterKeys.all, "overview"] as const,
};

export function useDeadLetterOverview() {
  const api = useApi();
  return useQuery({
    queryKey: deadLetterKeys.overview(),
    queryFn: () => api<DeadLetterOverview>("/api/dead-letters"),
    refetchInterval: 15_000,
  });
}
