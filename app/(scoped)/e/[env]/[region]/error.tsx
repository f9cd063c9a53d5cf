"use client";
// The scoped pages use the unscoped pages' error boundary.
export { default } from "@/app/(console)/error";
