"use client";
import { useApi } from "./scope";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Evaluation, FilterMessage, FilterPolicyScope, MessageAttribute } from "../domain/filter-policy/types";
import type { Subscription } from "../domain/subscription";
import type { PolicyComparison, PolicyState, RouteResult } from "../operations/filter-policy";
import type { FilterPolicyImpact } from "../operations/filter-policy-impact";
import type { PolicyVersion } from "../domain/policy-version";
import { scopedApiPath, scopeKey, type Scope } from "../domain/scope";
import { fetchJson, jsonRequest } from "./fetch-json";

export type { FilterPolicyImpact, PolicyComparison, PolicyState, PolicyVersion, RouteResult };

export const subscriptionKeys = {
  all: ["subscriptions"] as const,
  list: () => [...subscriptionKeys.all, "list"] as const,
  detail: (arn: string) => [...subscriptionKeys.all, "detail", arn] as const,
  compare: (arn: string, other: Scope) => [...subscriptionKeys.all, "compare", arn, scopeKey(other)] as const,
  impact: (arn: string, scope: FilterPolicyScope, policyText: string) =>
    [...subscriptionKeys.all, "impact", arn, scope, policyText] as const,
};

const subscriptionUrl = (arn: string) => `/api/subscriptions/${encodeURIComponent(arn)}`;

export function useSubscriptions() {
  const api = useApi();
  return useQuery({
    queryKey: subscriptionKeys.list(),
    queryFn: async () => (await api<{ subscriptions: Subscription[] }>("/api/subscriptions")).subscriptions,
    refetchInterval: 30_000,
  });
}

export function useSubscription(arn: string) {
  const api = useApi();
  return useQuery({
    queryKey: subscriptionKeys.detail(arn),
    queryFn: () => api<{ subscription: Subscription; history: PolicyVersion[] }>(subscriptionUrl(arn)),
  });
}

type SaveResult = { subscription: Subscription; version?: PolicyVersion; changed: boolean };

export function useSaveFilterPolicy(arn: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { policy: unknown; scope: FilterPolicyScope; expected: PolicyState; removePolicy?: boolean }) =>
      api<SaveResult>(`${subscriptionUrl(arn)}/filter-policy`, jsonRequest("PUT", input)),
    onSuccess: () => client.invalidateQueries({ queryKey: subscriptionKeys.all }),
  });
}

export function useRollbackFilterPolicy(arn: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { versionId: number; expected: PolicyState }) =>
      api<SaveResult>(`${subscriptionUrl(arn)}/filter-policy/rollback`, jsonRequest("POST", input)),
    onSuccess: () => client.invalidateQueries({ queryKey: subscriptionKeys.all }),
  });
}

/** This subscription's policy beside its counterpart's in `other` (nothing is asked until one is chosen). */
export function useCompareFilterPolicy(arn: string, other: Scope | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: other ? subscriptionKeys.compare(arn, other) : [...subscriptionKeys.all, "compare", arn],
    queryFn: () =>
      api<PolicyComparison>(`${subscriptionUrl(arn)}/filter-policy/compare?${new URLSearchParams({ ...other })}`),
    enabled: other !== undefined,
  });
}

export interface CopyFilterPolicyInput {
  /** Where the policy goes: the target's scope, in which the route checks the operator role. */
  target: Scope & { subscriptionArn: string };
  from: Scope & { subscriptionArn: string };
  /** The target's policy as the user saw it (the 409 guard). */
  expected: PolicyState;
}

/** Copies a policy across environments, in either direction: the request goes to the target's scope. */
export function useCopyFilterPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ target, from, expected }: CopyFilterPolicyInput) =>
      fetchJson<SaveResult>(
        scopedApiPath(target, `${subscriptionUrl(target.subscriptionArn)}/filter-policy/copy`),
        jsonRequest("POST", { from, expected }),
      ),
    // After a 409 too: the comparison then shows what the target holds now.
    onSettled: () => client.invalidateQueries({ queryKey: subscriptionKeys.all }),
  });
}

export function useTestFilterPolicy() {
  const api = useApi();
  return useMutation({
    mutationFn: (input: { policy: unknown; scope: FilterPolicyScope; messages: FilterMessage[] }) =>
      api<{ results: Evaluation[] }>("/api/filter-policy/test", jsonRequest("POST", input)),
  });
}

export function useRouteMessage(topicArn: string) {
  const api = useApi();
  return useMutation({
    mutationFn: (message: { body: string; attributes?: Record<string, MessageAttribute> }) =>
      api<{ topicArn: string; results: RouteResult[] }>(
        `/api/topics/${encodeURIComponent(topicArn)}/route`,
        jsonRequest("POST", { message }),
      ),
  });
}

/**
 * What saving a draft would change over recent traffic. One query per draft: when the draft changes,
 * the request for the one before is cancelled (its signal), and its answer is shown until the new one comes.
 */
export function useFilterPolicyImpact(
  arn: string,
  draft: { policyText: string; scope: FilterPolicyScope } | undefined,
) {
  const api = useApi();
  return useQuery({
    queryKey: draft
      ? subscriptionKeys.impact(arn, draft.scope, draft.policyText)
      : [...subscriptionKeys.all, "impact", arn],
    queryFn: ({ signal }) =>
      api<FilterPolicyImpact>(`${subscriptionUrl(arn)}/filter-policy/impact`, {
        ...jsonRequest("POST", { policy: draft!.policyText, scope: draft!.scope }),
        signal,
      }),
    enabled: draft !== undefined,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
