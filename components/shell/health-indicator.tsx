"use client";
import { useHealth } from "@/lib/queries/health";

const statusText = { ok: "ok", error: "failing", not_supported: "not supported" } as const;

/** A compact live status of the AWS endpoint, one dot per service. */
export function HealthIndicator() {
  const { data, isPending, isError } = useHealth();
  if (isPending) return <span className="health muted">checking AWS…</span>;
  if (isError || !data.services) return <span className="health health-error">console server unreachable</span>;
  const services = Object.entries(data.services);
  const failing = services.filter(([, s]) => s === "error").length;
  return (
    <span
      className={failing ? "health health-error" : "health"}
      title={
        data.errors
          ? Object.entries(data.errors)
              .map(([k, v]) => `${k}: ${v}`)
              .join("\n")
          : undefined
      }
    >
      <span className="visually-hidden">AWS services: </span>
      {services.map(([name, status]) => (
        <span key={name} className={`health-item health-${status}`}>
          <span className="dot" aria-hidden="true" />
          {name}
          <span className="visually-hidden"> {statusText[status]}</span>
        </span>
      ))}
    </span>
  );
}
