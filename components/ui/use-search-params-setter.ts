"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { hrefWithParams } from "@/lib/domain/search-params";

/**
 * Changes query parameters of the current page in place (no history entry, no scroll): see hrefWithParams.
 * Through the History API, which Next.js keeps useSearchParams in step with: the router's replace would
 * ask the server for the page again, a round trip for what only the client reads (a selected node, a filter).
 */
export function useSearchParamsSetter(): (changes: Record<string, string | undefined>) => void {
  const params = useSearchParams();
  const pathname = usePathname();
  return (changes) => window.history.replaceState(null, "", hrefWithParams(pathname, params, changes));
}
