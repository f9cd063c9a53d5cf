"use client";
import { useQuery } from "@tanstack/react-query";
import type { AccessExplanationView } from "../operations/access-explain";
import { useApi } from "./scope";

export type { AccessExplanationView };

/** What a user may do to a resource here, and why (admins); nothing is asked until both are given. */
export function useAccessExplanation(user: string, arn: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["access", user, arn],
    queryFn: () =>
      api<AccessExplanationView>(`/api/access?user=${encodeURIComponent(user)}&arn=${encodeURIComponent(arn)}`),
    enabled: user !== "" && arn !== "",
    retry: false,
  });
}
