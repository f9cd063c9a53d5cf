// The scoped pages' 404, as the unscoped ones.
export { default, metadata } from "@/app/(console)/not-found";
