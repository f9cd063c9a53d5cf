import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "../domain/app-error";
import { listTopics } from "../aws/sns";
import { createTaggedQueue, deleteMessages, deleteQueue, listQueues, receiveMessages, sendMessage } from "../aws/sqs";
import { callerAccount, verifiedAccount } from "../aws/sts";
import type { OperationContext } from "./context";

/**
 * `npm run verify:aws`: what one environment and region answer with the console's own credentials,
 * step by step: the account its credentials reach (an assumed role is assumed on the way), the
 * reads the pages make, and with `roundTrip` a message through a scratch queue the check creates and
 * deletes. Each step says ok or why not; a failed step does not stop the ones that do not need it.
 */

export interface VerifyStep {
  step: string;
  ok: boolean;
  detail: string;
}

export async function verifyEnvironment(ctx: OperationContext, roundTrip: boolean): Promise<VerifyStep[]> {
  const steps: VerifyStep[] = [];
  const run = async (step: string, check: () => Promise<string>): Promise<boolean> => {
    try {
      steps.push({ step, ok: true, detail: await check() });
      return true;
    } catch (err) {
      steps.push({ step, ok: false, detail: err instanceof Error ? err.message : String(err) });
      return false;
    }
  };
  const { id, name, accountId } = ctx.environment;
  const reached = await run("account", async () => {
    // Asked now, not from the console's cache: an assumed role is assumed on the way, and its failure is the answer.
    const account =
      accountId === undefined
        ? await callerAccount(ctx.aws.clients)
        : await verifiedAccount({ id, name, accountId }, ctx.aws.clients);
    if (account === undefined) throw new AppError("upstream_unavailable", "sts:GetCallerIdentity did not answer.");
    return `credentials reach account ${account}`;
  });
  if (!reached) return steps;
  await run("sns:ListTopics", async () => `${(await listTopics(ctx.aws.clients)).length} topics`);
  await run("sqs:ListQueues", async () => `${(await listQueues(ctx.aws.clients)).length} queues`);
  if (!roundTrip) return steps;

  const queue = `fanout-verify-${randomUUID().slice(0, 8)}`;
  let url: string | undefined;
  await run("round trip", async () => {
    url = await createTaggedQueue(queue, { "fanout:purpose": "verify-aws scratch queue" }, ctx.aws.clients);
    const sent = await sendMessage(url, JSON.stringify({ check: queue }), ctx.aws.clients);
    const received = await receiveMessages(url, { max: 1, visibilitySeconds: 30, waitSeconds: 5 }, ctx.aws.clients);
    const message = received.find((m) => m.messageId === sent);
    if (!message) throw new AppError("upstream_unavailable", `${queue}: the message sent was not received back.`);
    await deleteMessages(url, [message], ctx.aws.clients);
    return `created ${queue}, sent, received and deleted a message`;
  });
  if (url) {
    const created = url;
    await run("scratch queue deleted", async () => {
      await deleteQueue(created, ctx.aws.clients);
      return `${queue} deleted`;
    });
  }
  return steps;
}
