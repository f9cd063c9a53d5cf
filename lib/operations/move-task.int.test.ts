import { describe, expect, it } from "vitest";
import { contextAs } from "../../test/context";
import { throughFaultProxy } from "../../test/proxied-context";
import { deadLetterPair } from "../../test/queues";

/**
 * A job run by SQS's message move task. moto has none, so the proxy answers the three move-task
 * APIs as SQS does (SQS API Reference, StartMessageMoveTask, ListMessageMoveTasks) and passes
 * everything else to moto.
 */

/** Acts through the proxy: every AWS call of this file goes through it. */
const through = throughFaultProxy((endpoint) => contextAs("otto", "operator", { endpoint }));

describe("a message move task job", () => {
  it(
    "sends the rate as given and leaves a dead-letters.redrive.finish audit entry when SQS reports the task completed",
    { timeout: 60_000 },
    async () => {
      const { getJob, startReplay } = await import("./redrive");
      const { getStore, listAudit } = await import("../store");
      const operator = through.context;
      const { dlq, dlqArn, source } = await deadLetterPair(operator.aws.clients.sqs, "mt", { sourceSuffix: "-src" });

      through.proxy.setFault({
        mode: "answer",
        answers: {
          StartMessageMoveTask: { TaskHandle: "task-1" },
          ListMessageMoveTasks: {
            Results: [
              {
                TaskHandle: "task-1",
                Status: "COMPLETED",
                SourceArn: dlqArn,
                ApproximateNumberOfMessagesMoved: 4,
                ApproximateNumberOfMessagesToMove: 4,
              },
            ],
          },
        },
      });
      const started = await startReplay(operator, dlq, { all: true, ratePerSecond: 7 });
      expect(started.engine).toBe("sqs-move-task");
      for (
        const until = Date.now() + 30_000;
        (await getJob(operator, started.id)).status === "running" && Date.now() < until;
      )
        await new Promise((r) => setTimeout(r, 200));

      expect(await getJob(operator, started.id)).toMatchObject({ status: "completed", moved: 4, remaining: 0 });
      expect(through.proxy.answered.find((a) => a.operation === "StartMessageMoveTask")?.body).toEqual({
        SourceArn: dlqArn,
        DestinationArn: expect.stringMatching(/-src$/),
        MaxNumberOfMessagesPerSecond: 7,
      });
      const finish = (await listAudit(await getStore(), { action: "dead-letters.redrive.finish" })).filter(
        (e) => (e.after as { jobId: string }).jobId === started.id,
      );
      expect(finish).toHaveLength(1);
      expect(finish[0]).toMatchObject({
        outcome: "success",
        actor: "otto",
        after: { engine: "sqs-move-task", status: "completed", moved: 4, target: source },
      });
    },
  );
});
