// The scoped pages' loading state, as the unscoped ones.
export { default } from "@/app/(console)/loading";
