import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { MASK } from "../domain/dead-letter-message";
import type { BindingSpec } from "../domain/bindings";
import { loadConfig } from "../env";
import { actorIn, contextFromConfig } from "../request-context";
import { getStore, listAudit } from "../store";
import { userWith } from "../../test/context";
import { deadLetterPair } from "../../test/queues";
import { exportLeased, openLease, releaseLease, revealField } from "./dead-letter-browse";

/**
 * Masking policies against moto: the policy whose pattern matches a DLQ's ARN decides what is hidden
 * and who may reveal it, by the caller's role on THAT queue (their bindings), in the reader, a reveal
 * and an export; a DLQ no policy matches keeps FANOUT_MASK_FIELDS, revealed by an operator.
 */

const config = loadConfig({
  AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL,
  AWS_REGION: "us-east-1",
  FANOUT_DATA_DIR: process.env.FANOUT_DATA_DIR,
  FANOUT_MASK_FIELDS: "customer.email",
  FANOUT_MASKING: JSON.stringify([
    {
      name: "strict",
      resources: ["arn:aws:sqs:*:*:mstrict-*"],
      maskByDefault: true,
      allow: { fields: ["orderId"], attributes: ["eventType"] },
      reveal: "admin",
    },
    { name: "sealed", resources: ["arn:aws:sqs:*:*:msealed-*"], fields: ["customer.email"], reveal: "none" },
  ]),
});
const environment = config.environments[0]!;

/** A context for a user of these bindings, as the route wrapper builds one (their role in the environment, narrowed per resource). */
function contextOf(name: string, bindings: BindingSpec[]) {
  const user = userWith(config, { name: `${name}-${randomUUID().slice(0, 6)}`, bindings });
  return contextFromConfig(config, actorIn(user, environment)!, randomUUID());
}
const everywhere = (role: "viewer" | "operator" | "admin"): BindingSpec => ({ role, environments: ["*"] });

const clients = contextOf("setup", [everywhere("admin")]).aws.clients;

/** A DLQ `<prefix>-…-dlq` holding one letter with a secret in its payload and in an attribute. */
async function dlqWithSecret(prefix: string) {
  const q = await deadLetterPair(clients.sqs, prefix);
  const secret = `ada-${randomUUID()}@example.com`;
  await clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: q.dlqUrl,
      MessageBody: JSON.stringify({ orderId: "o-1", customer: { email: secret, name: "Ada" } }),
      MessageAttributes: {
        eventType: { DataType: "String", StringValue: "order.paid" },
        token: { DataType: "String", StringValue: `tok-${secret}` },
      },
    }),
  );
  return { ...q, secret };
}

const entriesOf = async (requestId: string, action: string) =>
  (await listAudit(await getStore(), { action: action as "dead-letters.reveal" })).filter(
    (e) => e.requestId === requestId,
  );

describe("revealing under a masking policy", () => {
  it(
    "refuses an operator where the policy wants an admin on the queue, and lets a user who is admin on it",
    { timeout: 60_000 },
    async () => {
      const q = await dlqWithSecret("mstrict");
      const other = await dlqWithSecret("mstrict");
      const olga = contextOf("olga", [everywhere("operator")]);
      const lease = await openLease(olga, q.dlq, { max: 10, confirmSourceRead: false });
      expect(JSON.stringify(lease)).not.toContain(q.secret);
      const [m] = lease.messages;
      expect(m!.bodyJson).toEqual({ orderId: "o-1", customer: MASK });
      expect(m!.masked).toEqual(["attribute.token", "payload.customer"]);
      expect(m!.attributes.eventType?.stringValue).toBe("order.paid");
      expect(lease.masking).toMatchObject({
        name: "strict",
        from: "FANOUT_MASKING[0]",
        pattern: "arn:aws:sqs:*:*:mstrict-*",
        reveal: "admin",
        mayReveal: false,
      });
      expect(lease.masking.text[0]).toContain(`this queue's ARN ${q.dlqArn} matches arn:aws:sqs:*:*:mstrict-*`);

      await expect(revealField(olga, q.dlq, m!.messageId, "payload.customer")).rejects.toMatchObject({
        code: "forbidden",
        status: 403,
        message: expect.stringContaining(
          `The masking policy "strict" (FANOUT_MASKING[0]): only an admin on ${q.dlqArn} may reveal masked values; ` +
            "your bindings give you operator there.",
        ),
      });
      // The attempt is audited as refused, without the value; a retry in the same window is only counted.
      const refused = await entriesOf(olga.requestId, "dead-letters.reveal");
      expect(refused).toMatchObject([
        { actor: olga.actor.name, target: q.dlqArn, outcome: "failure", after: { refused: 1 } },
      ]);
      expect(refused[0]!.detail).toContain('The masking policy "strict"');
      expect(JSON.stringify(refused)).not.toContain(q.secret);
      await expect(revealField(olga, q.dlq, m!.messageId, "attribute.token")).rejects.toMatchObject({
        code: "forbidden",
      });
      expect(await entriesOf(olga.requestId, "dead-letters.reveal")).toHaveLength(1);
      await releaseLease(olga, q.dlq);

      // Admin on this one queue, operator elsewhere: the role on THE queue counts.
      const ada = contextOf("ada", [
        everywhere("operator"),
        { role: "admin", environments: ["*"], resources: [q.dlqArn] },
      ]);
      const adaLease = await openLease(ada, q.dlq, { max: 10, confirmSourceRead: false });
      expect(adaLease.masking.mayReveal).toBe(true);
      const revealed = await revealField(ada, q.dlq, adaLease.messages[0]!.messageId, "payload.customer");
      expect(JSON.parse(revealed.value)).toEqual({ email: q.secret, name: "Ada" });
      const [entry] = await entriesOf(ada.requestId, "dead-letters.reveal");
      expect(entry!.after).toMatchObject({
        path: "payload.customer",
        fingerprint: expect.stringMatching(/^hmac-sha256:/),
      });
      expect(JSON.stringify(entry)).not.toContain(q.secret);

      const otherLease = await openLease(ada, other.dlq, { max: 10, confirmSourceRead: false });
      expect(otherLease.masking.mayReveal).toBe(false);
      await expect(
        revealField(ada, other.dlq, otherLease.messages[0]!.messageId, "attribute.token"),
      ).rejects.toMatchObject({ code: "forbidden" });
      await releaseLease(ada, q.dlq);
      await releaseLease(ada, other.dlq);
    },
  );

  it("lets nobody reveal under reveal: none, not even an admin", { timeout: 60_000 }, async () => {
    const q = await dlqWithSecret("msealed");
    const ada = contextOf("ada", [everywhere("admin")]);
    const lease = await openLease(ada, q.dlq, { max: 10, confirmSourceRead: false });
    expect(lease.masking).toMatchObject({ name: "sealed", reveal: "none", mayReveal: false });
    expect(lease.messages[0]!.masked).toEqual(["payload.customer.email"]);
    await expect(revealField(ada, q.dlq, lease.messages[0]!.messageId, "payload.customer.email")).rejects.toMatchObject(
      { code: "forbidden", message: expect.stringContaining("nobody may reveal masked values") },
    );
    await releaseLease(ada, q.dlq);
  });
});

describe("exporting under a masking policy", () => {
  it(
    "exports masked unless revealing is asked for and allowed; a revealed export is audited as a reveal, and can be retried",
    { timeout: 60_000 },
    async () => {
      const q = await dlqWithSecret("mstrict");
      const olga = contextOf("olga", [everywhere("operator")]);
      const lease = await openLease(olga, q.dlq, { max: 10, confirmSourceRead: false });
      const ids = lease.messages.map((m) => m.messageId);
      const masked = await exportLeased(olga, q.dlq, ids);
      expect(masked).not.toContain(q.secret);
      expect(JSON.parse(masked)).toMatchObject({ bodyJson: { orderId: "o-1", customer: MASK } });
      await expect(exportLeased(olga, q.dlq, ids, { reveal: true })).rejects.toMatchObject({ code: "forbidden" });
      // The attempt is audited as refused, without the value; a retry in the same window is only counted.
      const refused = await entriesOf(olga.requestId, "dead-letters.reveal");
      expect(refused).toMatchObject([
        { actor: olga.actor.name, target: q.dlqArn, outcome: "failure", after: { refused: 1 } },
      ]);
      expect(refused[0]!.detail).toContain('The masking policy "strict"');
      expect(JSON.stringify(refused)).not.toContain(q.secret);
      await expect(exportLeased(olga, q.dlq, ids, { reveal: true })).rejects.toMatchObject({ code: "forbidden" });
      expect(await entriesOf(olga.requestId, "dead-letters.reveal")).toHaveLength(1);
      await releaseLease(olga, q.dlq);

      const ada = contextOf("ada", [{ role: "admin", environments: ["*"], resources: [q.dlqArn] }]);
      const adaLease = await openLease(ada, q.dlq, { max: 10, confirmSourceRead: false });
      const adaIds = adaLease.messages.map((m) => m.messageId);
      const revealed = await exportLeased(ada, q.dlq, adaIds, { reveal: true });
      expect(JSON.parse(revealed)).toMatchObject({
        bodyJson: { orderId: "o-1", customer: { email: q.secret } },
        attributes: { token: { stringValue: `tok-${q.secret}` } },
        masked: [],
      });
      // Nothing changed in SQS or the lease: the same export again gives the same letters, audited again.
      expect(await exportLeased(ada, q.dlq, adaIds, { reveal: true })).toBe(revealed);
      const reveals = await entriesOf(ada.requestId, "dead-letters.reveal");
      expect(reveals).toHaveLength(2);
      expect(reveals[0]!.after).toEqual({
        export: true,
        letters: [{ messageId: adaIds[0], paths: ["attribute.token", "payload.customer"] }],
      });
      expect(JSON.stringify(reveals)).not.toContain(q.secret);
      const exports = await entriesOf(ada.requestId, "dead-letters.export");
      expect(exports.map((e) => e.after)).toEqual([
        { messageIds: adaIds, revealed: adaIds },
        { messageIds: adaIds, revealed: adaIds },
      ]);
      await releaseLease(ada, q.dlq);
    },
  );

  it(
    "keeps today's rules where no policy matches: masked for a viewer, who may not reveal",
    { timeout: 60_000 },
    async () => {
      const q = await dlqWithSecret("mplain");
      const vera = contextOf("vera", [everywhere("viewer")]);
      const lease = await openLease(vera, q.dlq, { max: 10, confirmSourceRead: false });
      expect(lease.masking).toMatchObject({ from: "FANOUT_MASK_FIELDS and FANOUT_MASK_ATTRIBUTES", mayReveal: false });
      expect(lease.masking.pattern).toBeUndefined();
      const ids = lease.messages.map((m) => m.messageId);
      const exported = await exportLeased(vera, q.dlq, ids);
      expect(JSON.parse(exported)).toMatchObject({
        bodyJson: { customer: { email: MASK, name: "Ada" } },
        masked: ["payload.customer.email"],
      });
      await expect(exportLeased(vera, q.dlq, ids, { reveal: true })).rejects.toMatchObject({
        code: "forbidden",
        message: expect.stringContaining("only an operator or admin"),
      });
      await releaseLease(vera, q.dlq);
    },
  );
});
