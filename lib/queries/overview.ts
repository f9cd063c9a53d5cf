"use client";
import { useQueries } from "@tanstack/react-query";
import type { ScopeOverview } from "../domain/overview";
import { scopedApiPath, scopeKey, type Scope } from "../domain/scope";
import { fetchJson } from "./fetch-json";

export type { ScopeOverview };

export const overviewKeys = {
  all: ["overview"] as const,
  scope: (scope: Scope) => [...overviewKeys.all, scopeKey(scope)] as const,
};

/**
 * A row of the overview per environment and region, each asked of that scope's own endpoint
 * (`/api/e/{env}/{region}/overview-summary`), so that each row shows as soon as its environment
 * answers and a slow one holds up nobody; refreshed every 15 seconds (the server shares each
 * scope's reading for 14, with the start page's own list).
 */
export function useScopeOverviews(scopes: Scope[]) {
  return useQueries({
    queries: scopes.map((scope) => ({
      queryKey: overviewKeys.scope(scope),
      queryFn: () => fetchJson<ScopeOverview>(scopedApiPath(scope, "/api/overview-summary")),
      refetchInterval: 15_000,
      // Each row says its own failure; a toast per environment down would bury the page.
      meta: { silent: true },
    })),
  });
}
