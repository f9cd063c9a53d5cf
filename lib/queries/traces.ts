"use client";
import { useApi } from "./scope";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { MessageStoryView, ServiceMapView, TraceList, TraceView } from "../operations/traces";

export type { MessageStoryView, ServiceMapView, TraceList, TraceView };

export const traceKeys = {
  all: ["traces"] as const,
  list: (filters: TraceFilters) => ["traces", "list", filters] as const,
  map: (window: string, end: string | undefined) => ["traces", "map", window, end] as const,
  detail: (id: string | undefined) => ["traces", "detail", id] as const,
  story: (header?: string, dlq?: string, message?: string) => ["traces", "story", header, dlq, message] as const,
};

/** The filters of the traces page, as they appear in its URL and in the API's query. */
export interface TraceFilters {
  window: string;
  service?: string;
  status?: string;
  minDurationMs?: string;
  annotation?: string;
  /** End of the window (ISO); now when absent. */
  end?: string;
}

export function filterQuery(f: TraceFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(f)) if (value) params.set(key, value);
  return params.toString();
}

/** The trace list of a window, refreshed every 30 seconds; the previous list stays while a new filter loads. */
export function useTraceList(filters: TraceFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: traceKeys.list(filters),
    queryFn: () => api<TraceList>(`/api/traces?${filterQuery(filters)}`),
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useServiceMap(window: string, end: string | undefined, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: traceKeys.map(window, end),
    queryFn: () => api<ServiceMapView>(`/api/traces/map?${filterQuery({ window, ...(end ? { end } : {}) })}`),
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useTrace(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: traceKeys.detail(id),
    queryFn: () => api<TraceView>(`/api/traces/${encodeURIComponent(id!)}`),
    enabled: Boolean(id),
  });
}

/** The story query of a message: the same cache entry whether the page or the failure groups read it. */
export const messageStoryQuery = (
  api: ReturnType<typeof useApi>,
  header: string | undefined,
  dlq: string | undefined,
  message: string | undefined,
) => ({
  queryKey: traceKeys.story(header, dlq, message),
  queryFn: () =>
    api<MessageStoryView>(
      `/api/traces/story?${new URLSearchParams({ ...(header ? { header } : {}), ...(dlq ? { dlq } : {}), ...(message ? { message } : {}) }).toString()}`,
    ),
});

/** The story of a message: its producer trace and every invocation linked to it. */
export function useMessageStory(header: string | undefined, dlq: string | undefined, message: string | undefined) {
  const api = useApi();
  return useQuery({ ...messageStoryQuery(api, header, dlq, message), enabled: header !== undefined });
}
