"use client";
import { useApi } from "./scope";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { AlertsView } from "../domain/alerts/alerts-view";
import type { DestinationListing } from "../domain/alerts/destination-settings";
import type { Silence } from "../domain/alerts/silences";
import type { CreateDestinationBody } from "../schemas/alert-destinations";
import type { CreateSilenceRequest } from "../schemas/alerts";
import { jsonRequest } from "./fetch-json";

export type { AlertsView, DestinationListing, Silence };

export const alertKeys = { all: ["alerts"] as const, firingCount: ["alerts", "firing-count"] as const };

/** The alerts page's answer, refreshed every 30 seconds: the evaluation runs once a minute. */
export function useAlerts() {
  const api = useApi();
  return useQuery({ queryKey: alertKeys.all, queryFn: () => api<AlertsView>("/api/alerts"), refetchInterval: 30_000 });
}

/**
 * How many alerts fire, for the header of every page: the count alone, not the alerts page's whole answer
 * (its states, silences and outbox). Under alertKeys.all, so a silence made or ended refreshes it too.
 */
export function useFiringAlertCount() {
  const api = useApi();
  return useQuery({
    queryKey: alertKeys.firingCount,
    queryFn: () => api<{ firing: number }>("/api/alerts?count=firing"),
    refetchInterval: 30_000,
  });
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

export const destinationKeys = { all: ["alert-destinations"] as const };

/** Where the environment's alerts go (admins only: the route refuses others). */
export function useDestinations(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: destinationKeys.all,
    queryFn: () => api<{ destinations: DestinationListing[] }>("/api/alerts/destinations"),
    enabled,
    refetchInterval: 60_000,
  });
}

export function useAddDestination() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateDestinationBody) =>
      api<{ destination: DestinationListing }>("/api/alerts/destinations", jsonRequest("POST", request)),
    onSuccess: () => client.invalidateQueries({ queryKey: destinationKeys.all }),
  });
}

export function useRemoveDestination() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<{ removed: DestinationListing }>(`/api/alerts/destinations/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: destinationKeys.all }),
  });
}

/** The key webhooks sign with: asked for on purpose (audited), never cached. */
export function useRevealWebhookSecret() {
  const api = useApi();
  return useMutation({
    mutationFn: () =>
      api<{ secret: string; generated: boolean; header: string; format: string }>("/api/alerts/webhook-secret", {
        method: "POST",
      }),
  });
}
