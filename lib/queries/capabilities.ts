"use client";
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json";

export const capabilityKeys = { all: ["capabilities"] as const };

/** Which optional operations the AWS endpoint has, probed once by the server and kept for the session. */
export function useCapabilities() {
  return useQuery({
    queryKey: capabilityKeys.all,
    queryFn: () => fetchJson<{ capabilities: Record<string, string> }>("/api/capabilities"),
    staleTime: Infinity,
  });
}
