"use client";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorState } from "./error-state";
import { Skeleton } from "./skeleton";

/** Loading, error and empty states around a list query, the same for every list of the console. */
export function QueryState<T>({
  query,
  empty,
  loadingLabel,
  children,
}: {
  query: UseQueryResult<T[]>;
  empty: ReactNode;
  loadingLabel?: string;
  children: (items: T[]) => ReactNode;
}) {
  if (query.isPending) return <Skeleton rows={4} label={loadingLabel} />;
  if (query.isError) {
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  }
  return query.data.length === 0 ? empty : children(query.data);
}
