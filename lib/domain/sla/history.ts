/** How the SLA reads 30 days of CloudWatch series in few GetMetricData calls. */
import { SLO_WINDOW_DAYS } from "./objectives";

const HOUR_MS = 3600_000;

/** Hours before now read by the minute; older data is read by the hour. */
export const FINE_READ_HOURS = 6;

export interface SloRead {
  start: Date;
  end: Date;
  /** Seconds per datapoint. */
  period: number;
}

/**
 * Two reads cover the 30-day SLO window: hourly buckets for the old part, minutes for the last
 * few hours. The split is on an hour boundary of the coarse read, so no bucket is counted twice.
 */
export function sloReads(now: number): { coarse: SloRead; fine: SloRead } {
  const coarseStart = Math.floor((now - SLO_WINDOW_DAYS * 86_400_000) / HOUR_MS) * HOUR_MS;
  const fineStart = coarseStart + Math.ceil((now - FINE_READ_HOURS * HOUR_MS - coarseStart) / HOUR_MS) * HOUR_MS;
  return {
    coarse: { start: new Date(coarseStart), end: new Date(fineStart), period: 3600 },
    fine: { start: new Date(fineStart), end: new Date(now), period: 60 },
  };
}

/** One series per id: the coarse read's buckets before the fine read starts, then the fine read's. */
export function mergeReads<P extends { at: number }>(
  ids: string[],
  coarse: Map<string, P[]>,
  fine: Map<string, P[]>,
  fineStart: Date,
): Map<string, P[]> {
  return new Map(
    ids.map((id) => [
      id,
      [...(coarse.get(id) ?? []).filter((p) => p.at < fineStart.getTime()), ...(fine.get(id) ?? [])],
    ]),
  );
}
