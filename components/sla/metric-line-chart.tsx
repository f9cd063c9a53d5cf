"use client";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ResourceChart } from "@/lib/operations/resource-metrics";

const colours = ["#1f5fbf", "#0b8a3e", "#d93025", "#8a5a00", "#5b3c99", "#00838f"];

/** One chart's series as lines over time, from its rows (one per timestamp, one column per series). */
export function MetricLineChart({ chart, rows }: { chart: ResourceChart; rows: Array<Record<string, number>> }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ec" />
        <XAxis
          dataKey="at"
          type="number"
          domain={["dataMin", "dataMax"]}
          scale="time"
          tickFormatter={(t: number) => new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
          fontSize={11}
        />
        <YAxis fontSize={11} width={48} />
        <Tooltip labelFormatter={(t) => new Date(Number(t)).toLocaleString()} />
        <Legend />
        {chart.series.map((s, i) => (
          <Line
            key={s.id}
            type="monotone"
            dataKey={s.label}
            stroke={colours[i % colours.length]}
            dot={rows.length < 3}
            isAnimationActive={false}
            connectNulls
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
