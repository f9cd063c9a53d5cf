import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="page">
      <Skeleton rows={6} label="Loading page" />
    </div>
  );
}
