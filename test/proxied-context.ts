import { afterAll, beforeAll, inject } from "vitest";
import type { OperationContext } from "../lib/operations/context";
import { startFaultProxy, type FaultProxy } from "./fault-proxy";

/**
 * A fault proxy in front of the suite's moto for the whole test file (started before its tests,
 * closed after them) and the context `contextFor` makes for it: every AWS call made with
 * `through.context` goes through `through.proxy`. Both are set once the file's tests start.
 */
export function throughFaultProxy(contextFor: (endpoint: string) => OperationContext) {
  const through = {} as { proxy: FaultProxy; context: OperationContext };
  beforeAll(async () => {
    through.proxy = await startFaultProxy(inject("awsEndpoint"));
    through.context = contextFor(through.proxy.url);
  });
  afterAll(() => through.proxy.close());
  return through;
}
