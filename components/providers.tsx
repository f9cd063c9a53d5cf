"use client";
import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { scopeKey } from "@/lib/domain/scope";
import { ApiError } from "@/lib/queries/fetch-json";
import { usePageScope } from "@/lib/queries/scope";
import { showToast, Toaster } from "./ui/toaster";

/**
 * One query client per environment and region in a browser tab, with the console's single error
 * toast: every cached answer belongs to the scope it was asked in, and switching back finds its own.
 */
export function Providers({ children }: { children: ReactNode }) {
  const scope = usePageScope();
  const [clients] = useState(() => new Map<string, QueryClient>());
  const key = scope ? scopeKey(scope) : "";
  let client = clients.get(key);
  if (!client) {
    client = newQueryClient();
    clients.set(key, client);
  }
  return (
    <QueryClientProvider client={client}>
      {children}
      <Toaster />
    </QueryClientProvider>
  );
}

function newQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.meta?.silent) return;
        if (error instanceof ApiError && error.code === "unauthenticated") {
          window.location.assign(`/login?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
          return;
        }
        showToast(error.message);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A 4xx will not change by asking again; an outage might.
        retry: (count, error) =>
          count < 2 && (!(error instanceof ApiError) || error.status >= 500 || error.status === 429),
      },
    },
  });
}
