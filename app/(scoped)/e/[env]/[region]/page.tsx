import { redirect } from "next/navigation";
import { START_PAGE } from "@/lib/domain/callback-url";
import { scopedPagePath, scopeOfParams } from "@/lib/domain/scope";

/** /e/{env}/{region} is that environment's start page. */
export default async function ScopedHome({ params }: { params: Promise<Record<string, string>> }) {
  redirect(scopedPagePath(scopeOfParams(await params), START_PAGE));
}
