/**
 * One value per server process. Next.js may load a module once per route bundle, so state that
 * every route must share (leases, running jobs, caches, refusal counts) is kept on
 * `globalThis` under one name. A test resets such state by restarting its process, or through
 * the owning module's own reset function where it has one.
 */
export function processSingleton<T>(name: string, init: () => T): T {
  const slots = globalThis as unknown as Record<string, unknown>;
  const key = `__fanout_${name}`;
  if (!(key in slots)) slots[key] = init();
  return slots[key] as T;
}
