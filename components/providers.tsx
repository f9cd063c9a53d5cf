"use client";
import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ApiError } from "@/lib/queries/fetch-json";
import { showToast, Toaster } from "./ui/toaster";

/** One query client per browser tab, with the console's single error toast. */
export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
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
      }),
  );
  return (
    <QueryClientProvider client={client}>
      {children}
      <Toaster />
    </QueryClientProvider>
  );
}
