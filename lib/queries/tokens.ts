"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { TokenView } from "../operations/api-tokens";
import type { CreateTokenRequest } from "../schemas/api-tokens";
import { fetchJson, jsonRequest } from "./fetch-json";

export type { TokenView };

// API tokens belong to no environment: their routes are never scoped.
const tokenKeys = { all: ["api-tokens"] as const };

export function useApiTokens() {
  return useQuery({
    queryKey: tokenKeys.all,
    queryFn: async () => (await fetchJson<{ tokens: TokenView[] }>("/api/tokens")).tokens,
  });
}

export function useCreateApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: Partial<CreateTokenRequest> & { name: string }) =>
      fetchJson<TokenView & { token: string }>("/api/tokens", jsonRequest("POST", request)),
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

export function useRevokeApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson<TokenView>(`/api/tokens/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}
