"use client";
import { lazyComponent } from "../ui/lazy-component";
import { Skeleton } from "../ui/skeleton";

/**
 * The filter-policy editor, loaded after the page: its JSON editor (CodeMirror) would put the page over its
 * JavaScript budget. Until it comes, the skeleton the editor itself shows while it reads the subscription.
 */
export const FilterPolicyEditor = lazyComponent(
  () => import("./filter-policy-editor").then((m) => m.FilterPolicyEditor),
  () => <Skeleton rows={8} label="Loading the subscription" />,
);
