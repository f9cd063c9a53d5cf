"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { hrefWithParams } from "@/lib/domain/search-params";

/** Changes query parameters of the current page in place (no history entry, no scroll): see hrefWithParams. */
export function useSearchParamsSetter(): (changes: Record<string, string | undefined>) => void {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  return (changes) => router.replace(hrefWithParams(pathname, params, changes), { scroll: false });
}
