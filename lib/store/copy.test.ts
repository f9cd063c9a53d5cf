import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { appendAudit, listAudit } from "./audit";
import { copyStore } from "./copy";
import { recordDlqRemoval, listDlqRemovals } from "./dlq-removals";
import { addPolicyVersion, listPolicyVersions } from "./policy-history";
import { addRecentEvents, listRecentEvents } from "./recent-events";
import { createRedriveJob, getRedriveJob, listRedriveItems, recordRedriveItems } from "./redrive-jobs";
import { addSampleMessage, listSampleMessages } from "./sample-messages";
import { findSession, insertSession } from "./sessions";
import { insertApiToken, listApiTokens } from "./api-tokens";
import { attemptSignIn } from "./sign-in-limits";
import {
  addSilence,
  listAlertStates,
  listDlqDepthReadings,
  listSilences,
  saveAlertState,
  saveDlqDepthReadings,
} from "./alerts";
import { claimDueDeliveries, listDeliveries } from "./alert-outbox";
import { DEFAULT_SCOPE as here, newAuditEntry, newRedriveJob, temporaryStore } from "../../test/store-fixtures";

describe("copying a data dir's store into PostgreSQL", () => {
  it("brings every row of every table, ids kept, and PostgreSQL numbers on after them", async () => {
    const source = await temporaryStore("sqlite", "fanout-copy-");
    for (const requestId of ["r1", "r2", "r3"])
      await appendAudit(source, newAuditEntry({ requestId, after: { requestId } }));
    const version = await addPolicyVersion(source, here, {
      subscriptionArn: "arn:s",
      actor: "ana",
      scope: "MessageBody",
      policy: '{"a":[1]}',
    });
    await addSampleMessage(source, { name: "paid", body: "{}", attributes: {}, createdBy: "ana" });
    await createRedriveJob(source, newRedriveJob("j1", { ratePerSecond: 2.5 }));
    await recordRedriveItems(source, "j1", [{ messageId: "m1", state: "sending" }], 1_700_000_000_123);
    await recordRedriveItems(source, "j1", [{ messageId: "m1", state: "moved", targetMessageId: "t1" }]);
    await addRecentEvents(source, here, [{ messageId: "e1", topicArn: "arn:t", body: "b", attributes: {} }]);
    const session = { id: "s1", username: "ana", provider: "credentials", role: "admin", roles: { staging: "viewer" } };
    await insertSession(source, { ...session, createdAt: 1_700_000_000_000, expiresAt: 4_102_444_800_000 });
    await recordDlqRemoval(source, here, "orders-dlq", 3, "delete", 1_700_000_000_456);
    // A user locked out by one failed sign-in, and refused once.
    const signInLimits = { perUser: 1, perAddress: 5, windowMs: 60_000 };
    const signIn = (db: typeof source, at: number) => attemptSignIn(db, "mallory", "10.0.0.1", at, signInLimits);
    await signIn(source, 1_700_000_000_000);
    await signIn(source, 1_700_000_000_001);
    await insertApiToken(source, {
      id: "aaaaaaaaaaaaaaaa",
      name: "ci",
      kind: "service",
      owner: "service:ci",
      createdBy: "ana",
      role: "operator",
      roles: {},
      secretHash: "ab".repeat(32),
      createdAt: 1_700_000_000_000,
      expiresAt: 1_800_000_000_000,
    });

    const alert = {
      ...here,
      rule: "dead-letters-arrived" as const,
      resource: "arn:aws:sqs:us-east-1:1:orders-dlq",
      status: "firing" as const,
      since: 1_700_000_000_000,
      summary: "orders-dlq holds 3 dead letters",
      link: "http://127.0.0.1:3000/dlq/orders-dlq",
      evaluatedAt: 1_700_000_000_000,
      notifiedAt: 1_700_000_000_000,
      notifiedStatus: "firing" as const,
      version: 0,
    };
    const payload = '{"status":"firing"}';
    await saveAlertState(source, alert, [{ destination: "hook", payload }], 1_700_000_000_000);
    await saveDlqDepthReadings(source, here, new Map([["arn:aws:sqs:us-east-1:1:orders-dlq", { depth: 3, at: 1 }]]));
    await addSilence(source, {
      id: "s1",
      ...here,
      rule: "dead-letters-expiring",
      reason: "known",
      createdBy: "ana",
      createdAt: 1_700_000_000_000,
      expiresAt: 1_700_000_600_000,
    });

    const target = await temporaryStore("postgresql", "fanout-copy-");
    expect(await copyStore(source, target, "postgresql")).toEqual({
      audit: 3,
      policy_versions: 1,
      sample_messages: 1,
      redrive_jobs: 1,
      redrive_items: 1,
      recent_events: 1,
      sessions: 1,
      dlq_removals: 1,
      sign_in_failures: 2,
      sign_in_refusals: 1,
      api_tokens: 1,
      alert_states: 1,
      alert_silences: 1,
      alert_outbox: 1,
      alert_dlq_depths: 1,
    });
    expect(await listAlertStates(target, here)).toEqual(await listAlertStates(source, here));
    expect(await listSilences(target, here)).toEqual(await listSilences(source, here));
    expect(await listDlqDepthReadings(target, here)).toEqual(await listDlqDepthReadings(source, here));
    expect(await listDeliveries(target, here)).toEqual(await listDeliveries(source, here));
    // The copied notification is still to be delivered, and the outbox numbers on after it.
    expect(await claimDueDeliveries(target, "r", 1_700_000_000_000, { limit: 5, claimMs: 1 })).toHaveLength(1);
    await saveAlertState(target, { ...alert, resource: "arn:other" }, [{ destination: "hook", payload }], 1);
    expect((await listDeliveries(target, here)).map((d) => d.id)).toEqual([2, 1]);
    expect(await listAudit(target)).toEqual(await listAudit(source));
    expect(await listApiTokens(target)).toEqual(await listApiTokens(source));
    expect(await listPolicyVersions(target, here, "arn:s")).toEqual([version]);
    expect(await listSampleMessages(target)).toEqual(await listSampleMessages(source));
    expect(await getRedriveJob(target, "j1")).toEqual(await getRedriveJob(source, "j1"));
    expect(await listRedriveItems(target, "j1")).toEqual([
      { messageId: "m1", state: "moved", targetMessageId: "t1", attempts: 1, firstSentAt: 1_700_000_000_123 },
    ]);
    expect(await listRecentEvents(target, here, "arn:t")).toEqual(await listRecentEvents(source, here, "arn:t"));
    expect(await findSession(target, "s1")).toEqual(await findSession(source, "s1"));
    expect(await listDlqRemovals(target, here, ["orders-dlq"], 0)).toEqual(
      await listDlqRemovals(source, here, ["orders-dlq"], 0),
    );
    // Still locked out, and in the window of the refusal already audited.
    const refused = await signIn(target, 1_700_000_000_010);
    expect(refused).toMatchObject({ allowed: false, by: "user" });
    expect(refused).not.toHaveProperty("audit");
    // The next entry follows the copied ones, and the copied trail is as append-only as ever.
    expect((await appendAudit(target, newAuditEntry({ requestId: "r4" }))).id).toBe(4);
    await expect(sql`DELETE FROM audit`.execute(target)).rejects.toThrow("append-only");
    await Promise.all([source.destroy(), target.destroy()]);
  });

  it("refuses a target that holds anything, and copies nothing into it", async () => {
    const source = await temporaryStore("sqlite", "fanout-copy-");
    await appendAudit(source, newAuditEntry({ requestId: "from-source" }));
    const target = await temporaryStore("postgresql", "fanout-copy-");
    await appendAudit(target, newAuditEntry({ requestId: "already-there" }));
    await expect(copyStore(source, target, "postgresql")).rejects.toThrow(/not empty \(audit: 1/);
    expect((await listAudit(target)).map((e) => e.requestId)).toEqual(["already-there"]);
    await Promise.all([source.destroy(), target.destroy()]);
  });
});
