import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { appErrorOf } from "../../test/app-error";
import { productionAndStagingEnvironments } from "../../test/environment-fixtures";
import { contextAs } from "../../test/context";
import { deadLetterPair, queueArn, queueDepth, sendLetters, subscribeQueue } from "../../test/queues";
import { settled } from "../../test/redrive-helpers";
import type { Role } from "../domain/roles";
import type { Scope } from "../domain/scope";
import { createRedriveJob, getRedriveJob, getStore, listAudit, listDlqRemovals, type NewRedriveJob } from "../store";
import { recordAudit } from "./audited";
import { scopeOfContext } from "./context";
import { ownAccount } from "./endpoint";
import { filterPolicyHistory, rollbackFilterPolicy, saveFilterPolicy } from "./filter-policy";
import { actOnJob, ensureRunning, getJob, listJobs, redriveJobScope, pickUpRedriveJobs, startReplay } from "./redrive";

/**
 * Two environments on the suite's moto: production in its default account (us-east-1) and staging in
 * account 222222222222 (eu-west-1) through AssumeRole. What the console stores of one (redrive jobs,
 * their removals, policy history, audit entries) never shows in the other, even for queues of the
 * same name, and start-up resumes a job only in its own environment.
 */

const endpoint = process.env.AWS_ENDPOINT_URL!;
const environments = productionAndStagingEnvironments(endpoint, { staging: { roleName: "fanout-isolation" } });

const inScope = (scope: Scope, role: Role = "operator") =>
  contextAs("otto", role, { env: { FANOUT_ENVIRONMENTS: environments }, scope });
const production = inScope({ environment: "production", region: "us-east-1" });
const staging = inScope({ environment: "staging", region: "eu-west-1" });

/** The same DLQ and source queue names in both environments. */
async function pairsInBoth() {
  const name = `iso-${randomUUID().slice(0, 8)}`;
  const [inProduction, inStaging] = await Promise.all(
    [production, staging].map((ctx) => deadLetterPair(ctx.aws.clients.sqs, "iso", { name })),
  );
  return { inProduction: inProduction!, inStaging: inStaging! };
}

const totalRemoved = async (scope: Scope, dlq: string) =>
  ((await listDlqRemovals(await getStore(), scope, [dlq], 0)).get(dlq) ?? []).reduce((n, r) => n + r.count, 0);

describe("what the console keeps of one environment stays in it", () => {
  it(
    "a redrive job, what it removed and its audit entries belong to its environment alone",
    { timeout: 120_000 },
    async () => {
      const { inProduction, inStaging } = await pairsInBoth();
      await sendLetters(production.aws.clients.sqs, inProduction.dlqUrl, 2);
      await sendLetters(staging.aws.clients.sqs, inStaging.dlqUrl, 5);

      const started = await startReplay(staging, inStaging.dlq, { all: true });
      expect(await settled(started.id, 90_000, staging)).toMatchObject({
        status: "completed",
        moved: 5,
        environment: "staging",
        region: "eu-west-1",
      });
      expect(await queueDepth(production.aws.clients.sqs, inProduction.dlqUrl)).toEqual({ visible: 2, inFlight: 0 });

      // Listed, read and acted on in staging only, though production has a DLQ of the same name.
      expect((await listJobs(staging, inStaging.dlq)).map((j) => j.id)).toEqual([started.id]);
      expect(await listJobs(production, inStaging.dlq)).toEqual([]);
      expect((await listJobs(production)).some((j) => j.id === started.id)).toBe(false);
      expect((await appErrorOf(getJob(production, started.id))).code).toBe("not_found");
      expect((await appErrorOf(actOnJob(production, started.id, "cancel"))).code).toBe("not_found");
      // The unscoped job routes find it where it is.
      expect(await redriveJobScope(started.id)).toEqual(scopeOfContext(staging));

      expect(await totalRemoved(scopeOfContext(staging), inStaging.dlq)).toBe(5);
      expect(await totalRemoved(scopeOfContext(production), inStaging.dlq)).toBe(0);

      const replayed = async (environment: string) =>
        (await listAudit(await getStore(), { action: "dead-letters.replay", environment })).filter(
          (e) => (e.after as { jobId: string }).jobId === started.id,
        );
      expect(await replayed("staging")).toMatchObject([
        { environment: "staging", region: "eu-west-1", account: "222222222222", target: inStaging.dlqArn },
      ]);
      expect(await replayed("production")).toEqual([]);
    },
  );

  it("a filter policy's history, and a version's id, belong to their environment alone", async () => {
    const original = { policy: '{"eventType":["order.placed"]}', scope: "MessageAttributes" as const };
    const name = `iso-${randomUUID().slice(0, 8)}`;
    const [productionArn, stagingArn] = await Promise.all(
      [production, staging].map(async (ctx) => {
        const topic = await ctx.aws.clients.sns.send(new CreateTopicCommand({ Name: name }));
        return subscribeQueue(ctx.aws.clients, topic.TopicArn!, `${name}-q`, { FilterPolicy: original.policy });
      }),
    );
    await saveFilterPolicy(staging, stagingArn!, {
      policy: { eventType: ["order.paid"] },
      scope: "MessageAttributes",
      expected: original,
    });
    const history = await filterPolicyHistory(staging, stagingArn!);
    expect(history.map((v) => v.actor)).toEqual(["otto", "(found on AWS)"]);
    expect(await filterPolicyHistory(production, stagingArn!)).toEqual([]);
    expect(await filterPolicyHistory(production, productionArn!)).toEqual([]);

    // Staging's version cannot be rolled back to in production, whatever its id.
    const refused = await appErrorOf(
      rollbackFilterPolicy(production, productionArn!, { versionId: history[0]!.id, expected: original }),
    );
    expect(refused.code).toBe("not_found");
    expect(await filterPolicyHistory(production, productionArn!)).toEqual([]);
  });

  it(
    "start-up resumes a job in its own environment, and leaves one of an environment no longer configured alone",
    { timeout: 120_000 },
    async () => {
      const { inStaging } = await pairsInBoth();
      await sendLetters(staging.aws.clients.sqs, inStaging.dlqUrl, 3);
      const sourceArn = await queueArn(staging.aws.clients.sqs, inStaging.sourceUrl);
      const stored = (scope: Scope): NewRedriveJob => ({
        id: randomUUID(),
        scope,
        actor: "otto",
        role: "operator",
        requestId: randomUUID(),
        dlq: { name: inStaging.dlq, url: inStaging.dlqUrl, arn: inStaging.dlqArn, fifo: false },
        target: { name: inStaging.source, url: inStaging.sourceUrl, arn: sourceArn, fifo: false },
        selection: { kind: "all" },
        leaseSeconds: 60,
        engine: "fanout",
      });
      const resumedJob = await createRedriveJob(await getStore(), stored(scopeOfContext(staging)));
      const retired = { environment: "retired", region: "eu-west-1" };
      const retiredJob = await createRedriveJob(await getStore(), stored(retired));

      const { resumed, leftAlone } = await pickUpRedriveJobs((scope) =>
        contextAs("fanout", "admin", { env: { FANOUT_ENVIRONMENTS: environments }, scope }),
      );
      expect(resumed).toBeGreaterThanOrEqual(1);
      expect(leftAlone).toEqual([
        { jobId: retiredJob.id, scope: retired, reason: expect.stringContaining('No environment "retired"') },
      ]);
      expect(await settled(resumedJob.id, 90_000, staging)).toMatchObject({ status: "completed", moved: 3 });
      expect(await getRedriveJob(await getStore(), retiredJob.id)).toMatchObject({
        status: "running",
        moved: 0,
        examined: 0,
      });
      // Nor can anything run it in an environment it does not belong to.
      await expect(ensureRunning(production, retiredJob.id)).rejects.toThrow(/never run elsewhere/);

      const finished = (await listAudit(await getStore(), { action: "dead-letters.redrive.finish" })).find(
        (e) => (e.after as { jobId: string }).jobId === resumedJob.id,
      );
      expect(finished).toMatchObject({ actor: "otto", environment: "staging", region: "eu-west-1" });
      expect(finished?.account).toBe("222222222222");
    },
  );
});

describe("audit entries say where they were done", () => {
  it("in the default environment, the credentials' account once STS has named it", async () => {
    const ctx = contextAs("otto", "operator");
    expect(ctx.environment.accountId).toBeUndefined();
    await ownAccount(ctx);
    const target = `where-${randomUUID()}`;
    await recordAudit(ctx, { action: "queue.read", target });
    expect(await listAudit(await getStore(), { target })).toMatchObject([
      { environment: "default", region: "us-east-1", account: "123456789012" },
    ]);
  });

  it("without waiting for STS: an endpoint that does not answer leaves the account unknown", async () => {
    const ctx = contextAs("otto", "operator", { endpoint: "http://127.0.0.1:9" });
    const target = `where-${randomUUID()}`;
    await recordAudit(ctx, { action: "queue.read", target });
    expect(await listAudit(await getStore(), { target })).toMatchObject([
      { environment: "default", region: "us-east-1", account: null },
    ]);
  });
});
