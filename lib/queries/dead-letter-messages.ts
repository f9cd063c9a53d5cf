"use client";
import { useApi, useApiPath } from "./scope";
import { useEffect } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { QueueHolds } from "../domain/lease-holds";
import type { LeaseView, TakeOverResult } from "../operations/dead-letter-browse";
import type { MaskingView } from "../operations/dead-letter-masking";
import type { RedriveJobView } from "../operations/redrive";
import type { ReplayCheck } from "../operations/replay-warning";
import type { QueueConsumer } from "../domain/queue-consumer";
import type { ReplayRequest } from "../schemas/dead-letters";
import { deadLetterKeys } from "./dead-letters";
import { fetchJson, jsonRequest } from "./fetch-json";
import { scopedApiPath, scopeKey, type Scope } from "../domain/scope";
import type { EnvironmentListing } from "../domain/environments";
import type { CopyResult } from "../operations/copy-letters";
import type { CopyRequestBody } from "../schemas/dead-letters";

export type {
  CopyRequestBody,
  CopyResult,
  LeaseView,
  MaskingView,
  QueueConsumer,
  RedriveJobView,
  ReplayCheck,
  ReplayRequest,
};

const queueUrl = (name: string) => `/api/queues/${encodeURIComponent(name)}`;
const post = (body?: unknown) => jsonRequest("POST", body);

export const leaseKeys = {
  lease: (queue: string, confirmSourceRead: boolean) => ["lease", queue, confirmSourceRead] as const,
};
export const holdKeys = {
  forQueue: (queue: string) => ["lease-holds", queue] as const,
};
export const jobKeys = {
  all: ["redrive-jobs"] as const,
  forQueue: (queue: string) => ["redrive-jobs", queue] as const,
};
export const consumerKeys = {
  forQueue: (queue: string) => ["consumers", queue] as const,
};

/** LEASE_SECONDS on the server is 300: renew well before it runs out while the view is open. */
const RENEW_EVERY_MS = 240_000;

/**
 * The user's lease on a queue: loading it receives the messages (a side effect), so it is
 * fetched once per open view, renewed while the view stays open, and released on leaving.
 */
export function useLease(
  queue: string,
  options: { enabled: boolean; confirmSourceRead: boolean; max: number; onRenewRefused?: (message: string) => void },
) {
  const api = useApi();
  const apiPath = useApiPath();
  const lease = useQuery({
    queryKey: [...leaseKeys.lease(queue, options.confirmSourceRead), options.max],
    queryFn: () =>
      api<LeaseView>(
        `${queueUrl(queue)}/messages?max=${options.max}${options.confirmSourceRead ? "&confirm=source-read" : ""}`,
      ),
    enabled: options.enabled,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  const loaded = lease.isSuccess;
  const client = useQueryClient();
  const onRenewRefused = options.onRenewRefused;
  useEffect(() => {
    if (!loaded) return;
    // A viewer's lease has a cap: once a renewal is refused, say why and stop asking.
    const renew = setInterval(
      () =>
        void fetch(apiPath(`${queueUrl(queue)}/lease/renew`), post()).then(async (res) => {
          if (res.ok) return;
          clearInterval(renew);
          const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
          onRenewRefused?.(body?.error?.message ?? `The lease was not renewed (${res.status}).`);
        }),
      RENEW_EVERY_MS,
    );
    const releaseOnLeave = () => navigator.sendBeacon(apiPath(`${queueUrl(queue)}/lease/release`));
    window.addEventListener("pagehide", releaseOnLeave);
    return () => {
      clearInterval(renew);
      window.removeEventListener("pagehide", releaseOnLeave);
      // Released messages are visible again: the overview's counts changed.
      void fetch(apiPath(`${queueUrl(queue)}/lease/release`), { ...post(), keepalive: true }).then(() =>
        client.invalidateQueries({ queryKey: deadLetterKeys.all }),
      );
    };
  }, [loaded, queue, client, onRenewRefused, apiPath]);
  return lease;
}

export function useReleaseLease(queue: string) {
  const api = useApi();
  return useMutation({ mutationFn: () => api<{ released: number }>(`${queueUrl(queue)}/lease/release`, post()) });
}

export function useReplay(queue: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: ReplayRequest) =>
      api<RedriveJobView & { jobId: string }>(`${queueUrl(queue)}/replay`, post(request)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: jobKeys.forQueue(queue) });
      void client.invalidateQueries({ queryKey: deadLetterKeys.all });
    },
  });
}

/**
 * Whether replaying these letters of the view (or, without ids, the whole queue) would only fail
 * again: read once per selection, for a minute (shown to an operator about to replay).
 */
export function useReplayCheck(queue: string, messageIds: string[] | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ["replay-check", queue, messageIds?.join(",") ?? "all"] as const,
    queryFn: () => api<ReplayCheck>(`${queueUrl(queue)}/replay-check`, post(messageIds ? { messageIds } : {})),
    enabled: messageIds === undefined || messageIds.length > 0,
    staleTime: 60_000,
    retry: false,
  });
}

export function useDeleteMessages(queue: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (messageIds: string[]) =>
      api<{ deleted: string[]; notLeased: string[] }>(`${queueUrl(queue)}/messages/delete`, post({ messageIds })),
    onSuccess: () => void client.invalidateQueries({ queryKey: deadLetterKeys.all }),
  });
}

export function useReveal(queue: string) {
  const api = useApi();
  return useMutation({
    mutationFn: (input: { messageId: string; path: string }) =>
      api<{ path: string; value: string }>(`${queueUrl(queue)}/messages/reveal`, post(input)),
  });
}

export function usePurge(queue: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (confirmName: string) => api<{ purged: true }>(`${queueUrl(queue)}/purge`, post({ confirmName })),
    onSuccess: () => void client.invalidateQueries({ queryKey: deadLetterKeys.all }),
  });
}

/** Downloads the chosen leased messages as a JSON Lines file: masked, or revealed (audited) where the policy allows. */
export async function exportMessages(
  queue: string,
  messageIds: string[],
  options: { reveal?: boolean } = {},
): Promise<void> {
  const res = await fetch(`${queueUrl(queue)}/messages/export`, post({ messageIds, ...options }));
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    throw new Error(body?.error?.message ?? `Export failed with HTTP ${res.status}.`);
  }
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `${queue}-dead-letters.jsonl`;
  link.click();
  URL.revokeObjectURL(url);
}

/** Who else holds the queue's letters: polled every 5 s, every second while a redrive job holds some. */
export function useQueueHolds(queue: string) {
  const api = useApi();
  return useQuery({
    queryKey: holdKeys.forQueue(queue),
    queryFn: () => api<QueueHolds>(`${queueUrl(queue)}/leases`),
    refetchInterval: (query) => (query.state.data?.holds.some((h) => h.kind === "job") ? 1_000 : 5_000),
  });
}

/** Ends other people's leases on the queue (one holder's, or all), so that their letters show again. */
export function useTakeOver(queue: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (holder?: string) =>
      api<TakeOverResult>(`${queueUrl(queue)}/leases/take-over`, post(holder ? { holder } : {})),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: holdKeys.forQueue(queue) });
      void client.invalidateQueries({ queryKey: deadLetterKeys.all });
    },
  });
}

/** Redrive jobs of one DLQ, polled every second while one of them runs. */
export function useRedriveJobs(queue: string) {
  const api = useApi();
  return useQuery({
    queryKey: jobKeys.forQueue(queue),
    queryFn: async () =>
      (await api<{ jobs: RedriveJobView[] }>(`/api/redrive-jobs?queue=${encodeURIComponent(queue)}`)).jobs,
    refetchInterval: (query) => (query.state.data?.some((j) => j.status === "running") ? 1_000 : 10_000),
  });
}

export function useJobAction(queue: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { jobId: string; action: "pause" | "resume" | "cancel" }) =>
      api<RedriveJobView>(`/api/redrive-jobs/${input.jobId}/${input.action}`, post()),
    onSuccess: () => void client.invalidateQueries({ queryKey: jobKeys.forQueue(queue) }),
  });
}

export function useQueueConsumers(queue: string, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: consumerKeys.forQueue(queue),
    queryFn: async () => (await api<{ consumers: QueueConsumer[] }>(`${queueUrl(queue)}/consumers`)).consumers,
    enabled,
  });
}

export function useSetConsumer(queue: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { uuid: string; enabled: boolean }) =>
      api<QueueConsumer>(`${queueUrl(queue)}/consumers`, jsonRequest("PUT", input)),
    onSuccess: () => void client.invalidateQueries({ queryKey: consumerKeys.forQueue(queue) }),
  });
}

/** Every environment the user may see, with their role in each (`GET /api/environments`, the same in every scope). */
export function useEnvironments(enabled: boolean) {
  return useQuery({
    queryKey: ["environments"] as const,
    queryFn: () => fetchJson<{ environments: EnvironmentListing[] }>("/api/environments"),
    enabled,
    staleTime: 60_000,
  });
}

/** The queues of another environment and region, read in that scope (a copy's target). */
export function useQueuesIn(scope: Scope | undefined) {
  return useQuery({
    queryKey: ["queues-in", scope ? scopeKey(scope) : ""] as const,
    queryFn: () =>
      fetchJson<{ queues: { name: string; fifo: boolean }[] }>(scopedApiPath(scope, "/api/queues")).then((r) =>
        r.queues.map((q) => q.name).sort((a, b) => a.localeCompare(b)),
      ),
    enabled: scope !== undefined,
  });
}

/** Copies (or moves) leased letters of the page's DLQ into a queue of another environment. */
export function useCopyLetters(queue: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: CopyRequestBody) => api<CopyResult>(`${queueUrl(queue)}/copy`, post(request)),
    onSuccess: () => void client.invalidateQueries({ queryKey: deadLetterKeys.all }),
  });
}
