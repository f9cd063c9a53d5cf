"use client";
import { useParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { fetchJson } from "./fetch-json";
import { scopedApiPath, scopedPagePath, scopeOfParams, type Scope } from "../domain/scope";

/**
 * The environment and region of the page being shown, from its route (`/e/{env}/{region}/…`);
 * undefined on an unscoped page, which acts in the default environment. API calls and links made
 * on a page go through these, so a page never reads or links across environments by accident.
 */
export function usePageScope(): Scope | undefined {
  const scope = scopeOfParams(useParams());
  const environment = scope?.environment;
  const region = scope?.region;
  // One object per scope, so that callbacks depending on it change only when it does.
  return useMemo(() => (environment && region ? { environment, region } : undefined), [environment, region]);
}

/** `/api/…` as the page's scope names it: `/api/e/{env}/{region}/…` on a scoped page. */
export function useApiPath(): (path: string) => string {
  const scope = usePageScope();
  return useCallback((path: string) => scopedApiPath(scope, path), [scope]);
}

/** A console page's path in the page's scope, for links and navigation. */
export function usePagePath(): (path: string) => string {
  const scope = usePageScope();
  return useCallback((path: string) => scopedPagePath(scope, path), [scope]);
}

/** fetchJson for the page's scope: `api<T>("/api/topology")` asks the page's environment and region. */
export function useApi(): <T>(path: string, init?: RequestInit) => Promise<T> {
  const apiPath = useApiPath();
  return useCallback(<T>(path: string, init?: RequestInit) => fetchJson<T>(apiPath(path), init), [apiPath]);
}
