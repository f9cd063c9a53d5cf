import { describe, expect, inject, it } from "vitest";
import { appErrorOf } from "../../test/app-error";
import { throughFaultProxy } from "../../test/proxied-context";
import type { FaultMode } from "../../test/fault-proxy";
import { productionAndStagingConfig } from "../../test/environment-fixtures";
import { contextFromConfig, systemActor } from "../request-context";
import { accountQueues } from "./endpoint";

/**
 * One environment failing is that environment's error: staging (account 222222222222, reached by
 * sts:AssumeRole) goes through a fault proxy — moto never answers AccessDenied and ignores expiry —
 * while production talks to moto directly and keeps answering.
 */
const contextsFor = (stagingEndpoint: string) => {
  const config = productionAndStagingConfig(inject("awsEndpoint"), {
    staging: { endpoint: stagingEndpoint, roleName: "fanout-faults" },
  });
  return {
    production: contextFromConfig(config, systemActor, undefined, { environment: "production", region: "us-east-1" }),
    staging: contextFromConfig(config, systemActor, undefined, { environment: "staging", region: "eu-west-1" }),
  };
};

describe("an environment that fails", () => {
  const through = throughFaultProxy((endpoint) => contextsFor(endpoint).staging);
  const production = () => contextsFor(through.proxy.url).production;

  const cases: { name: string; fault: FaultMode; code: string; says: RegExp }[] = [
    {
      name: "AccessDenied",
      fault: { mode: "error", status: 403, code: "AccessDenied", message: "not authorized to perform sts:AssumeRole" },
      code: "access_denied",
      says: /not authorized/,
    },
    {
      name: "expired credentials",
      fault: {
        mode: "error",
        status: 403,
        code: "ExpiredToken",
        message: "The security token included in the request is expired",
      },
      code: "access_denied",
      says: /expired/,
    },
    { name: "an endpoint that is down", fault: { mode: "drop" }, code: "upstream_unavailable", says: /./ },
  ];

  for (const c of cases) {
    it(`(${c.name}) fails alone: the other environment answers at the same time`, async () => {
      through.proxy.setFault(c.fault);
      try {
        const [staging, healthy] = await Promise.allSettled([
          accountQueues(through.context),
          accountQueues(production()),
        ]);
        expect(staging.status).toBe("rejected");
        const err = await appErrorOf(Promise.reject((staging as PromiseRejectedResult).reason));
        expect(err.code).toBe(c.code);
        expect(err.message).toMatch(c.says);
        expect(healthy.status).toBe("fulfilled");
      } finally {
        through.proxy.setFault({ mode: "pass" });
      }
    });
  }

  it("answers again once the fault is gone, in its own account", async () => {
    const { queues } = await accountQueues(through.context);
    expect(queues.every((q) => q.url.includes("/222222222222/"))).toBe(true);
  });
});
