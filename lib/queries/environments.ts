"use client";
import { useQuery } from "@tanstack/react-query";
import type { EnvironmentListing } from "../domain/environments";
import { fetchJson } from "./fetch-json";

export const environmentKeys = { all: ["environments"] as const };

/** Every environment the caller may see, with their role in each (the same in every scope). */
export function useEnvironments() {
  return useQuery({
    queryKey: environmentKeys.all,
    queryFn: async () => (await fetchJson<{ environments: EnvironmentListing[] }>("/api/environments")).environments,
    staleTime: 5 * 60_000,
  });
}
