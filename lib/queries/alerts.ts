"use client";
import { useApi } from "./scope";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AlertsView } from "../domain/alerts/alerts-view";
import type { Silence } from "../domain/alerts/silences";
import type { CreateSilenceRequest } from "../schemas/alerts";
import { jsonRequest } from "./fetch-json";

export type { AlertsView, Silence };

export const alertKeys = { all: ["alerts"] as const };

/** The alerts page's answer, refreshed every 30 seconds: the evaluation runs once a minute. */
export function useAlerts() {
  const api = useApi();
  return useQuery({ queryKey: alertKeys.all, queryFn: () => api<AlertsView>("/api/alerts"), refetchInterval: 30_000 });
}

export function useCreateSilence() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateSilenceRequest) =>
      api<{ silence: Silence }>("/api/alerts/silences", jsonRequest("POST", request)),
    onSuccess: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
}

export function useEndSilence() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<{ ended: boolean; silence: Silence }>(`/api/alerts/silences/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: alertKeys.all }),
  });
}
