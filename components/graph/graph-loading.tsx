import { Skeleton } from "../ui/skeleton";

/** Where a graph is drawn while its code loads: a canvas of the graph's size, so nothing moves when it comes. */
export function GraphLoading({ label }: { label: string }) {
  return (
    <div className="topo-canvas graph-loading">
      <Skeleton rows={8} label={label} />
    </div>
  );
}
