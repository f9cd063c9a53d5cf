"use client";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import {
  layoutTopology,
  nodeFigures,
  outsideBindings,
  type Health,
  type Topology,
  type TopologyNode,
} from "@/lib/domain/topology";
import { roleAtLeast, type Role } from "@/lib/domain/roles";
import { useRefreshTopology, useTopology } from "@/lib/queries/topology";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SearchField } from "../ui/search-field";
import { Skeleton } from "../ui/skeleton";
import { Tabs } from "../ui/tabs";
import { useSearchParamsSetter } from "../ui/use-search-params-setter";
import { GraphLoading } from "../graph/graph-loading";
import { lazyComponent } from "../ui/lazy-component";
import { LAYOUT } from "./graph-layout";
import { kindLabel } from "./kind-label";
import { NodePanel } from "./node-panel";
import { DataTable } from "@/components/ui/data-table";
import { useEscapeToClose } from "@/components/ui/use-escape-to-close";

type HealthFilter = "all" | "unhealthy" | Health;

// The graph library is most of the page's weight: it loads after the page, not with it.
const TopologyGraph = lazyComponent(
  () => import("./topology-graph").then((m) => m.TopologyGraph),
  () => <GraphLoading label="Drawing the graph" />,
);

function matchesFilters(node: TopologyNode, search: string, health: HealthFilter, tag: string): boolean {
  if (search && !node.name.toLowerCase().includes(search.toLowerCase())) return false;
  if (health === "unhealthy" && node.health === "ok") return false;
  if (health !== "all" && health !== "unhealthy" && node.health !== health) return false;
  if (tag) {
    const [key = "", value] = tag.split("=", 2).map((s) => s.trim().toLowerCase());
    const tags = Object.entries(node.tags ?? {}).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()] as const);
    if (!tags.some(([k, v]) => k === key && (value === undefined || v.includes(value)))) return false;
  }
  return true;
}

const VIEWS = [
  { value: "graph", label: "Graph" },
  { value: "list", label: "List" },
] as const;

function Legend() {
  return (
    <ul className="topo-legend" aria-label="Legend">
      <li>
        <span className="topo-swatch topo-health-ok" /> healthy
      </li>
      <li>
        <span className="topo-swatch topo-health-warning" /> warning: a finding or a paused consumer
      </li>
      <li>
        <span className="topo-swatch topo-health-critical" /> critical: an alarm firing or dead letters
      </li>
      <li>
        <span className="topo-swatch topo-health-unknown" /> unknown: could not be read
      </li>
      <li>edges: topic → queue (filter), queue → DLQ (below), queue → function (consumer)</li>
    </ul>
  );
}

/**
 * The topology page: the account's pipeline as a graph or a list, searchable and filterable,
 * with the selected node in the URL and its details beside the graph.
 */
export function TopologyView({ role }: { role: Role }) {
  const topology = useTopology();
  const refresh = useRefreshTopology();
  const params = useSearchParams();
  const setParams = useSearchParamsSetter();
  const selectedId = params.get("node") ?? undefined;
  const view = params.get("view") === "list" ? "list" : "graph";
  // Fetched while the topology is collected rather than after it: the graph is drawn as soon as both are in.
  useEffect(() => {
    if (view === "graph") void TopologyGraph.preload();
  }, [view]);
  const [search, setSearch] = useState("");
  const [health, setHealth] = useState<HealthFilter>("all");
  const [tag, setTag] = useState("");
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  // Alarms are folded into their resource's health; drawn, they double the graph. Off by default.
  const [showAlarms, setShowAlarms] = useState(false);

  const setParam = (name: string, value: string | undefined) => setParams({ [name]: value });
  // Escape or × closes the node's panel and puts focus back on what opened it (its card, if the page opened on it).
  const closePanel = useEscapeToClose(
    selectedId,
    () => setParam("node", undefined),
    () =>
      selectedId ? document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(selectedId)}"]`) : null,
  );

  const all = topology.data;
  const data = useMemo(
    () =>
      all && !showAlarms
        ? {
            ...all,
            nodes: all.nodes.filter((n) => n.kind !== "alarm"),
            edges: all.edges.filter((e) => e.kind !== "alarm"),
          }
        : all,
    [all, showAlarms],
  );
  const layout = useMemo(
    () => (data ? layoutTopology(data, { ...LAYOUT, collapsedTopics: collapsed }) : undefined),
    [data, collapsed],
  );
  const filtering = search !== "" || health !== "all" || tag !== "";
  const matches = useMemo(
    () =>
      data && filtering
        ? new Set(data.nodes.filter((n) => matchesFilters(n, search, health, tag)).map((n) => n.id))
        : undefined,
    [data, filtering, search, health, tag],
  );

  if (topology.isPending) return <Skeleton rows={8} label="Collecting the topology" />;
  if (topology.isError) return <ErrorState error={topology.error} onRetry={() => void topology.refetch()} />;
  if (!data || !layout || !all) return null;
  // Set for a caller whose bindings reach some resources only: the page says so rather than pretend they do not exist.
  const outside = outsideBindings(all.hidden);
  if (data.nodes.length === 0)
    return (
      <EmptyState
        title={
          outside
            ? `Nothing to show: ${outside}`
            : "Nothing here: no topics, queues or functions in this account and region."
        }
      />
    );

  const selected = all.nodes.find((n) => n.id === selectedId);
  const visible = data.nodes.filter((n) => !layout.hidden.has(n.id) && (!matches || matches.has(n.id)));
  const counts = {
    critical: data.nodes.filter((n) => n.health === "critical").length,
    warning: data.nodes.filter((n) => n.health === "warning").length,
  };
  const alarmCount = all.nodes.length - data.nodes.length;

  return (
    <div className="stack">
      {data.partial.length ? (
        <div className="state state-warn" role="alert">
          <p className="state-title">Part of the account could not be read; the graph shows the rest.</p>
          <ul>
            {data.partial.map((p) => (
              <li key={p.part + p.message}>
                {p.part}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="toolbar">
        <SearchField label="Search by name" value={search} onChange={setSearch} />
        <label className="field-row">
          Health
          <select value={health} onChange={(e) => setHealth(e.target.value as HealthFilter)}>
            <option value="all">all</option>
            <option value="unhealthy">not healthy</option>
            <option value="critical">critical</option>
            <option value="warning">warning</option>
            <option value="unknown">unknown</option>
            <option value="ok">healthy</option>
          </select>
        </label>
        <label className="field-row">
          Tag
          <input
            className="text-input"
            placeholder="key=value"
            value={tag}
            onChange={(e) => setTag(e.target.value)}
            size={14}
          />
        </label>
        <label className="field-row">
          <input type="checkbox" checked={showAlarms} onChange={(e) => setShowAlarms(e.target.checked)} /> Show alarms
          {showAlarms ? "" : ` (${alarmCount})`}
        </label>
        <Tabs
          label="View"
          tabs={VIEWS}
          selected={view}
          onSelect={(next) => setParam("view", next === "graph" ? undefined : next)}
        />
        <button type="button" className="button" disabled={refresh.isPending} onClick={() => refresh.mutate()}>
          {refresh.isPending ? "Refreshing…" : "Refresh now"}
        </button>
        {refresh.isError ? <span className="form-error">{refresh.error.message}</span> : null}
        <span className="muted" role="status">
          {data.nodes.length} nodes · {counts.critical} critical · {counts.warning} warning · {data.warnings.length}{" "}
          findings · collected {new Date(data.collectedAt).toLocaleTimeString()}
        </span>
      </div>
      {outside ? (
        <p className="muted" role="note">
          {outside}
        </p>
      ) : null}
      {collapsed.size ? (
        <p className="field-row">
          Collapsed:
          {[...collapsed].map((arn) => (
            <button
              key={arn}
              type="button"
              className="chip"
              onClick={() => setCollapsed((prev) => new Set([...prev].filter((a) => a !== arn)))}
            >
              {data.nodes.find((n) => n.arn === arn)?.name ?? arn} ×
            </button>
          ))}
        </p>
      ) : null}
      <div className={selected ? "topo-layout topo-layout-open" : "topo-layout"}>
        {view === "graph" ? (
          <TopologyGraph
            topology={data}
            positions={layout.positions}
            hidden={layout.hidden}
            {...(matches ? { matches } : {})}
            {...(selectedId ? { selectedId } : {})}
            onSelect={(id) => setParam("node", id)}
          />
        ) : (
          <DataTable label="Topology nodes" columns={["Name", "Kind", "Health", "Now"]}>
            {visible.map((n) => (
              <tr key={n.id} className={n.id === selectedId ? "row-selected" : ""}>
                <td>
                  <button type="button" className="link-button" onClick={() => setParam("node", n.id)}>
                    {n.name}
                  </button>
                </td>
                <td>{kindLabel[n.kind]}</td>
                <td>
                  <span className={`topo-health topo-health-badge-${n.health}`}>{n.health}</span>{" "}
                  <span className="muted">{n.reasons[0] ?? ""}</span>
                </td>
                <td>{nodeFigures(n).join(" · ")}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {selected ? (
          <div className="stack">
            <NodePanel topology={all} node={selected} canOperate={roleAtLeast(role, "operator")} onClose={closePanel} />
            {selected.kind === "topic" ? (
              <button
                type="button"
                className="button"
                onClick={() =>
                  setCollapsed((prev) =>
                    prev.has(selected.arn)
                      ? new Set([...prev].filter((a) => a !== selected.arn))
                      : new Set([...prev, selected.arn]),
                  )
                }
              >
                {collapsed.has(selected.arn) ? "Expand this topic's subtree" : "Collapse this topic's subtree"}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
      <Legend />
      {data.warnings.length ? <Findings warnings={data.warnings} onOpen={(id) => setParam("node", id)} /> : null}
    </div>
  );
}

/**
 * The configuration findings, folded; the list is made when unfolded (a big account has thousands, and
 * every render of the page would otherwise carry them).
 */
function Findings({ warnings, onOpen }: { warnings: Topology["warnings"]; onOpen(nodeId: string): void }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="panel" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {warnings.length} configuration finding{warnings.length === 1 ? "" : "s"}
      </summary>
      {open ? (
        <ul className="notes">
          {warnings.map((w) => (
            <li key={`${w.code}-${w.nodeId ?? w.edgeId}`}>
              {w.nodeId ? (
                <button type="button" className="link-button" onClick={() => onOpen(w.nodeId!)}>
                  {w.message}
                </button>
              ) : (
                w.message
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
