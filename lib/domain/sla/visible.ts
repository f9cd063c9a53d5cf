/**
 * The service levels as one caller may see them (role bindings, lib/domain/bindings.ts). The SLA is
 * measured once for every viewer; each caller's answer then keeps the rows of the resources they may
 * view, as their topology shows them, and says how many it left out.
 */

export type SlaRowKind = "topic" | "queue" | "function" | "path";

/** A per-resource row as the filter reads it: a path is its subscription edge, the rest their node. */
export interface SlaRow {
  kind: SlaRowKind;
  resource: string;
  /** Empty for a resource the topology does not list (metrics in CloudWatch only). */
  nodeId: string;
  /** A path's subscription edge in the topology. */
  edgeId?: string;
  /** A path left out of the end-to-end and paths figures (the console's own tap queue). */
  outsideEndToEnd?: boolean;
}

export interface SlaLatencyRow {
  resource: string;
  kind: "queue-age" | "lambda-p99";
}

/** What the caller may view: their topology (lib/domain/topology/visible.ts), and a resource it does not list. */
export interface SlaVisibility {
  graph: {
    nodes: ReadonlyArray<{ id: string; kind: string; name: string }>;
    edges: ReadonlyArray<{ id: string }>;
  };
  unlisted: (kind: Exclude<SlaRowKind, "path">, name: string) => boolean;
}

/** A figure across resources: end to end, or one kind's card. */
export type SlaAggregate = "endToEnd" | SlaRowKind;

interface Measured {
  services: SlaRow[];
  endToEnd: unknown;
  kinds: Partial<Record<SlaRowKind, unknown>>;
  latency: SlaLatencyRow[];
  notes: string[];
}

/**
 * A caller's service levels: the end-to-end figure may be withheld; `hidden` counts the rows left out
 * and `withheld` names the figures across resources left out with them.
 */
export type VisibleSla<V extends Measured> = Omit<V, "endToEnd"> & {
  endToEnd?: V["endToEnd"];
  hidden: number;
  withheld: SlaAggregate[];
};

const AGGREGATE_LABEL: Record<SlaAggregate, string> = {
  endToEnd: "end to end",
  topic: "all topics",
  queue: "all queues",
  function: "all functions",
  path: "all paths",
};

/**
 * The rows the caller may view. A figure across resources is kept only when every resource it
 * counts is among them; otherwise it is withheld, and the answer says so: shown, it would speak of
 * resources the caller may not view, and one taken over the visible resources alone would not be the
 * figure its card names (the shared answer holds figures, not the series they are computed from).
 */
export function visibleSla<V extends Measured>(view: V, visibility: SlaVisibility): VisibleSla<V> {
  const nodes = new Set(visibility.graph.nodes.map((n) => n.id));
  const edges = new Set(visibility.graph.edges.map((e) => e.id));
  const mayView = (row: SlaRow) => {
    if (row.kind === "path") return row.edgeId !== undefined && edges.has(row.edgeId);
    return row.nodeId ? nodes.has(row.nodeId) : visibility.unlisted(row.kind, row.resource);
  };
  const services = view.services.filter(mayView);
  const left = view.services.filter((row) => !mayView(row) && !row.outsideEndToEnd);
  const withheld: SlaAggregate[] = [
    ...(left.some((row) => row.kind === "path") ? ["endToEnd" as const] : []),
    ...(["topic", "queue", "function", "path"] as const).filter(
      (kind) => view.kinds[kind] !== undefined && left.some((row) => row.kind === kind),
    ),
  ];
  const kinds = Object.fromEntries(
    Object.entries(view.kinds).filter(([kind]) => !withheld.includes(kind as SlaRowKind)),
  );
  const named = (kind: string) => new Set(visibility.graph.nodes.filter((n) => n.kind === kind).map((n) => n.name));
  const queues = named("queue");
  const functions = named("function");
  const hidden = view.services.length - services.length;
  const { endToEnd, ...rest } = view;
  return {
    ...rest,
    ...(withheld.includes("endToEnd") ? {} : { endToEnd }),
    services,
    kinds,
    latency: view.latency.filter((l) => (l.kind === "queue-age" ? queues : functions).has(l.resource)),
    notes: [
      ...view.notes,
      ...(withheld.length
        ? [
            `Your bindings reach some of these resources only: ${withheld.map((a) => AGGREGATE_LABEL[a]).join(", ")} ` +
              `${withheld.length === 1 ? "counts" : "count"} resources outside them, so ` +
              `${withheld.length === 1 ? "it is" : "they are"} not shown.`,
          ]
        : []),
    ],
    hidden,
    withheld,
  } as VisibleSla<V>;
}
