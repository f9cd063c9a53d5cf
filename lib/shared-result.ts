import "server-only";
import { processSingleton } from "./process-singleton";

interface Entry<V> {
  value?: { at: number; value: V };
  pending?: Promise<V>;
  /** Counts invalidations: a computation started before one neither keeps nor shares its value after it. */
  generation: number;
}

/** Every shared result's store, by name: one per server process, shared by every route bundle. */
const stores = processSingleton("sharedResults", () => new Map<string, Map<string, Entry<unknown>>>());

/** Drops every shared answer, so the next caller computes afresh (benchmarks measuring a cold page). */
export function forgetSharedResults(): void {
  for (const store of stores.values()) store.clear();
}

/**
 * A result computed at most once per `ttlMs` for each key, concurrent callers sharing the one
 * computation under way: however many people watch a page, AWS is asked as if one did. A failure
 * is not kept, nor a value `keep` refuses (a partial answer, which the next caller should retry).
 * One store per server process, shared by every route bundle. `arg` is what the computation needs
 * beyond the key (the request context): the key must name everything that makes the answer differ.
 */
export function sharedResult<V, A = void>(
  name: string,
  ttlMs: number,
  compute: (key: string, arg: A) => Promise<V>,
  keep: (value: V) => boolean = () => true,
) {
  if (!stores.has(name)) stores.set(name, new Map());
  const store = stores.get(name) as Map<string, Entry<V>>;
  const start = (key: string, arg: A, e: Entry<V>): Promise<V> => {
    // Its age counts from when it was read, not from when reading ended.
    const started = Date.now();
    const generation = e.generation;
    const pending = compute(key, arg)
      .then((value) => {
        if (e.generation === generation) e.value = keep(value) ? { at: started, value } : undefined;
        return value;
      })
      .finally(() => {
        if (e.pending === pending) e.pending = undefined;
      });
    e.pending = pending;
    return pending;
  };
  return {
    /**
     * The kept value while it is younger than the TTL, else a new computation (shared with whoever asks
     * meanwhile). With `staleForMs`, a kept value older than the TTL but younger than that is answered at
     * once while a new computation starts behind it: a page drawn from a reading a few seconds older
     * rather than after a collection that takes as long (the answer carries its own time).
     */
    get(key: string, arg: A, options: { fresh?: boolean; staleForMs?: number } = {}): Promise<V> {
      let entry = store.get(key);
      if (!entry) store.set(key, (entry = { generation: 0 }));
      const age = entry.value ? Date.now() - entry.value.at : Infinity;
      if (!options.fresh && entry.value && age < ttlMs) return Promise.resolve(entry.value.value);
      const e = entry;
      const pending = e.pending ?? start(key, arg, e);
      if (!options.fresh && e.value && options.staleForMs !== undefined && age < options.staleForMs) {
        // Its failure is the next caller's to see, not this one's, which has its answer.
        pending.catch(() => {});
        return Promise.resolve(e.value.value);
      }
      return pending;
    },
    /** The kept value of `key` if it is still fresh, without computing anything. */
    peek(key: string): V | undefined {
      const value = store.get(key)?.value;
      return value && Date.now() - value.at < ttlMs ? value.value : undefined;
    },
    /**
     * Drops the kept value of `key`, or of every key, and any computation under way for it: a change
     * made meanwhile may be missing from that one, so later callers start a new one.
     */
    invalidate(key?: string): void {
      for (const [k, entry] of store)
        if (key === undefined || k === key) {
          entry.value = undefined;
          entry.pending = undefined;
          entry.generation++;
        }
    },
  };
}
