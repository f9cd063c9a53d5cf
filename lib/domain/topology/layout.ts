import { nodeId, type NodeKind, type Topology, type TopologyNode } from "./model";

/**
 * A layered left-to-right layout: topics, then subscription endpoints and queues, then functions,
 * then alarms. Rows keep each topic's subtree together as a band; a DLQ sits directly beneath the
 * node that first redrives to it, in the same column. Linear in nodes + edges.
 */

export interface LayoutOptions {
  columnWidth?: number;
  rowHeight?: number;
  /** Topic ARNs (or topic node ids) whose subtrees are folded into the topic node. */
  collapsedTopics?: ReadonlySet<string>;
}

export interface TopologyLayout {
  /** Top-left corner of each visible node's cell. */
  positions: Record<string, { x: number; y: number }>;
  width: number;
  height: number;
  hidden: ReadonlySet<string>;
}

const COLUMN: Record<NodeKind, number> = {
  topic: 0,
  "subscription-endpoint": 1,
  queue: 1,
  dlq: 1,
  function: 2,
  alarm: 3,
};

export function layoutTopology(t: Topology, options: LayoutOptions = {}): TopologyLayout {
  const columnWidth = options.columnWidth ?? 280;
  const rowHeight = options.rowHeight ?? 96;
  const collapsed = options.collapsedTopics ?? new Set<string>();
  const isCollapsed = (arn: string) => collapsed.has(arn) || collapsed.has(nodeId("topic", arn));

  const byId = new Map(t.nodes.map((n) => [n.id, n]));
  const order = (a: string, b: string) => {
    const x = byId.get(a);
    const y = byId.get(b);
    return (x?.name ?? a).localeCompare(y?.name ?? b) || a.localeCompare(b);
  };
  const subscribers = new Map<string, string[]>();
  const deadLetters = new Map<string, string[]>();
  const consumers = new Map<string, string[]>();
  const alarmsOn = new Map<string, string[]>();
  const alarmTargets = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, value: string) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const e of t.edges) {
    if (!byId.has(e.from) || !byId.has(e.to)) continue;
    if (e.kind === "subscription") push(subscribers, e.from, e.to);
    else if (e.kind === "redrive") push(deadLetters, e.from, e.to);
    else if (e.kind === "event-source") push(consumers, e.from, e.to);
    else {
      push(alarmsOn, e.to, e.from);
      push(alarmTargets, e.from, e.to);
    }
  }
  for (const map of [subscribers, deadLetters, consumers, alarmsOn]) for (const list of map.values()) list.sort(order);

  // A node is hidden when every topic it belongs to is collapsed; the topic itself stays as the handle.
  const hidden = new Set<string>();
  for (const n of t.nodes) {
    if (n.kind === "topic" || n.kind === "alarm") continue;
    if (n.topics.length > 0 && n.topics.every(isCollapsed)) hidden.add(n.id);
  }
  for (const n of t.nodes) {
    if (n.kind !== "alarm") continue;
    const targets = alarmTargets.get(n.id) ?? [];
    if (targets.length > 0 && targets.every((id) => hidden.has(id))) hidden.add(n.id);
  }

  const row = new Map<string, number>();
  const column = new Map<string, number>();
  const nextFree = [0, 0, 0, 0];
  const lowest = () => Math.max(...nextFree);

  const place = (id: string, col: number, minRow: number): number => {
    const r = Math.max(nextFree[col] ?? 0, minRow);
    row.set(id, r);
    column.set(id, col);
    nextFree[col] = r + 1;
    for (const alarm of alarmsOn.get(id) ?? []) {
      if (!row.has(alarm) && !hidden.has(alarm)) place(alarm, COLUMN.alarm, r);
    }
    return r;
  };
  /** Places a node, its consumers to the right on the same row, then its DLQ chain beneath it. */
  const visit = (id: string, col: number, minRow: number) => {
    if (row.has(id) || hidden.has(id)) return;
    const r = place(id, col, minRow);
    for (const fn of consumers.get(id) ?? []) visit(fn, COLUMN.function, r);
    for (const dlq of deadLetters.get(id) ?? []) visit(dlq, col, r + 1);
  };
  const kindOf = (id: string): TopologyNode["kind"] => byId.get(id)?.kind ?? "queue";

  const sorted = [...t.nodes].sort((a, b) => order(a.id, b.id));
  for (const topic of sorted) {
    if (topic.kind !== "topic") continue;
    const band = lowest();
    nextFree.fill(band);
    place(topic.id, COLUMN.topic, band);
    for (const target of subscribers.get(topic.id) ?? []) visit(target, COLUMN[kindOf(target)], band);
  }

  // Whatever no visible topic reaches: orphan queues (with their consumers and DLQs), then the rest.
  const band = lowest();
  nextFree.fill(band);
  for (const kinds of [["queue"], ["dlq"], ["function"], ["subscription-endpoint"]] as NodeKind[][]) {
    for (const n of sorted) if (kinds.includes(n.kind)) visit(n.id, COLUMN[n.kind], band);
  }
  // Alarms that watch nothing in the graph go at the bottom.
  const bottom = lowest();
  for (const n of sorted)
    if (n.kind === "alarm" && !row.has(n.id) && !hidden.has(n.id)) place(n.id, COLUMN.alarm, bottom);

  const positions: Record<string, { x: number; y: number }> = {};
  let columns = 0;
  for (const [id, r] of row) {
    const col = column.get(id) ?? 0;
    positions[id] = { x: col * columnWidth, y: r * rowHeight };
    columns = Math.max(columns, col + 1);
  }
  return { positions, width: columns * columnWidth, height: row.size > 0 ? lowest() * rowHeight : 0, hidden };
}
