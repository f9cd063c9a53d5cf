"use client";
import { useApi } from "./scope";
import { useQuery } from "@tanstack/react-query";

export const capabilityKeys = { all: ["capabilities"] as const };

/** Which optional operations the AWS endpoint has, probed once by the server and kept for the session. */
export function useCapabilities() {
  const api = useApi();
  return useQuery({
    queryKey: capabilityKeys.all,
    queryFn: () => api<{ capabilities: Record<string, string> }>("/api/capabilities"),
    staleTime: Infinity,
  });
}
