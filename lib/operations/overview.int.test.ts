import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../scripts/lib/processes";
import { startFaultProxy, type FaultProxy } from "../../test/fault-proxy";
import { deadLetterQueueWith } from "../../test/queues";
import type { ScopeOverview } from "../domain/overview";
import { loadConfig } from "../env";
import { contextsOfEveryScope } from "../scope-contexts";
import { actorIn } from "../request-context";
import { userWith } from "../../test/context";
import { forgetSharedResults } from "../shared-result";
import type { OperationContext } from "./context";
import { getOverview } from "./overview";

/**
 * The overview across environments on the suite's moto: production (moto's default account),
 * staging (account 222222222222 through sts:AssumeRole, behind a proxy that counts its calls) and an
 * environment whose endpoint is a closed loopback port. The broken one is its own row's reason;
 * the others answer, each with its own resources only.
 */

const prefix = `ov-${randomUUID().slice(0, 8)}`;
// A region no other test file uses in account 222222222222, so that staging holds this file's queues alone.
const STAGING_REGION = "ap-southeast-2";
let stagingProxy: FaultProxy;
let contexts: OperationContext[];
let stagingDlq: string;

beforeAll(async () => {
  const moto = process.env.AWS_ENDPOINT_URL!;
  stagingProxy = await startFaultProxy(moto);
  // Nothing listens there: every call is refused at once.
  const closed = `http://127.0.0.1:${await findFreePort()}`;
  const config = loadConfig({
    ...process.env,
    FANOUT_ENVIRONMENTS: JSON.stringify([
      {
        id: "production",
        name: "Production",
        accountId: "123456789012",
        regions: ["us-east-1"],
        kind: "production",
        credentials: { source: "default" },
        endpoint: moto,
      },
      {
        id: "staging",
        name: "Staging",
        accountId: "222222222222",
        regions: [STAGING_REGION],
        kind: "staging",
        credentials: {
          source: "assume-role",
          roleArn: "arn:aws:iam::222222222222:role/fanout-overview",
          externalId: "fanout-it",
        },
        endpoint: stagingProxy.url,
      },
      {
        id: "broken",
        name: "Broken",
        accountId: "333333333333",
        regions: ["eu-west-1"],
        credentials: { source: "default" },
        endpoint: closed,
      },
    ]),
  });
  // An operator in staging who is a viewer elsewhere.
  const cora = userWith(config, { name: "cora", role: "viewer", roles: { staging: "operator" } });
  contexts = contextsOfEveryScope(config, (environment) => actorIn(cora, environment), "req-1");

  // Staging: a dead-letter queue (its source queue's redrive policy names it) holding two letters.
  stagingDlq = (await deadLetterQueueWith(contexts[1]!.aws.clients.sqs, prefix, 2)).dlq;
});
afterAll(() => stagingProxy?.close());

const scope = (overview: { scopes: ScopeOverview[] }, id: string) =>
  overview.scopes.find((s) => s.environment.id === id)!;

describe("the overview across environments", () => {
  it(
    "answers for every environment and region, each with the caller's role there, the broken one with its reason",
    { timeout: 60_000 },
    async () => {
      forgetSharedResults();
      const overview = await getOverview(contexts);
      expect(overview.scopes.map((s) => [s.environment.id, s.region, s.role, s.ok])).toEqual([
        ["production", "us-east-1", "viewer", true],
        ["staging", STAGING_REGION, "operator", true],
        ["broken", "eu-west-1", "viewer", false],
      ]);

      const broken = scope(overview, "broken");
      expect(broken).toMatchObject({ ok: false, environment: { name: "Broken", accountId: "333333333333" } });
      // The credentials' account is checked first (sts:GetCallerIdentity), and the endpoint refuses it.
      expect(broken.ok ? "" : broken.reason).toBe("The AWS endpoint for sts did not answer (ECONNREFUSED)");

      const staging = scope(overview, "staging");
      if (!staging.ok) throw new Error(`staging: ${staging.reason}`);
      expect(staging.environment).toEqual({
        id: "staging",
        name: "Staging",
        kind: "staging",
        readOnly: false,
        accountId: "222222222222",
      });
      expect(staging.summary.failed).toEqual([]);
      expect(staging.summary.deadLetters).toEqual({
        ok: true,
        // moto publishes no AWS/SQS metrics: what arrived is unknown, not zero.
        value: {
          total: 2,
          arrived: null,
          growth: null,
          windowMinutes: 15,
          worst: [{ name: stagingDlq, depth: 2 }],
        },
      });
      // Two letters waiting, nothing arriving that CloudWatch says: a warning.
      expect(staging.summary.health).toBe("warning");
      expect(staging.summary.redriveJobs).toEqual({ ok: true, value: { running: 0 } });

      // Production answers too, and never with staging's queues.
      const production = scope(overview, "production");
      expect(production.ok).toBe(true);
      expect(JSON.stringify(production)).not.toContain(prefix);
    },
  );

  it(
    "shares each environment's reading: asked again at once, staging costs AWS nothing",
    { timeout: 60_000 },
    async () => {
      forgetSharedResults();
      await getOverview(contexts);
      stagingProxy.setFault({ mode: "pass" });
      const again = await getOverview(contexts);
      expect(stagingProxy.requests).toBe(0);
      expect(scope(again, "staging").ok).toBe(true);
      // A broken environment's answer is not kept: it is asked again, and answers the same.
      expect(scope(again, "broken")).toMatchObject({ ok: false, reason: expect.stringContaining("ECONNREFUSED") });
    },
  );
});
