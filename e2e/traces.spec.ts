import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { SNSClient } from "@aws-sdk/client-sns";
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { XRayClient } from "@aws-sdk/client-xray";
import { createOrderStream, LocalTracer, publishOrderEvent, type PublishedEvent } from "../infra/local";
import { signIn, userByRole } from "./helpers";

/**
 * From a dead letter to the exception that put it there. A poison event is published with a
 * traced publish, as the storefront does; the deployed pipeline's functions fail on it until SQS
 * moves it to a DLQ, and their invocations are traced and linked to the publish.
 */

const pipeline = () => JSON.parse(process.env.FANOUT_E2E_PIPELINE!) as { topicArn: string; queues: string[] };
const aws = {
  region: "us-east-1",
  endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
};

let poison: PublishedEvent;
let dlq: string;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  const p = pipeline();
  const tracer = new LocalTracer(new XRayClient(aws), { region: "us-east-1", sampleRate: 1 });
  const next = createOrderStream(Math.random, { poisonShare: 1, testShare: 0 });
  const generated = next();
  const trace = tracer.beginPublish(p.topicArn, {
    order_id: generated.event.orderId,
    event_type: generated.event.type,
  });
  poison = await publishOrderEvent(new SNSClient(aws), p.topicArn, generated, trace.header);
  trace.finish({ messageId: poison.messageId });

  // Three receives, ten seconds apart (the local template's maxReceiveCount and visibility timeout).
  const sqs = new SQSClient(aws);
  const dlqs = p.queues.filter((q) => q.includes("-dlq"));
  await expect
    .poll(
      async () => {
        for (const name of dlqs) {
          const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
          const { Attributes } = await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
          );
          if (Number(Attributes?.ApproximateNumberOfMessages) > 0) return (dlq = name);
        }
        return undefined;
      },
      { timeout: 120_000, intervals: [2000] },
    )
    .toBeDefined();
});

const expectedError = () =>
  poison.body.startsWith("corrupted") ? /malformed JSON/ : new RegExp(`poison message: ${poison.event.eventId}`);

test("an operator goes from a dead letter to the exception that sent it there in one click", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, userByRole("operator"), `/dead-letters/${encodeURIComponent(dlq)}`);
  await page.getByPlaceholder(/Search loaded messages/).fill(poison.event.eventId);
  await page.getByRole("listbox", { name: "Dead letters" }).getByRole("option").first().click();
  // Before a replay: it failed three times alike in a function deployed before, so a replay would fail again.
  const warning = page.getByRole("note", { name: "Replay warning" });
  await expect(warning).toContainText("These letters will likely fail again", { timeout: 30_000 });
  await expect(warning).toContainText(/1 of 1 failed their last attempts with .+ has not changed since/);
  await expect(page.getByRole("button", { name: "Replay", exact: true })).toBeEnabled();
  // To look at, not to compare (as in layout.spec.ts).
  if (process.env.FANOUT_E2E_SCREENSHOTS)
    await page.screenshot({ path: ".test-output/screens/replay-warning.png", fullPage: true });
  await page.getByRole("link", { name: "View trace" }).click();

  await expect(page).toHaveURL(/\/traces\/1-[0-9a-f]{8}-[0-9a-f]{24}\?header=/);
  const story = page.getByRole("region", { name: "What happened to this message" });
  await expect(story.getByRole("status")).toContainText(/invocations? of .* consumed this message; .*failed/);
  const first = story.locator(".trace-invocation").first();
  await expect(first).toContainText("failed on this message");
  await expect(first.locator(".trace-exception-head")).toContainText(expectedError());
  await expect(first.locator(".trace-stack")).toContainText(/order-event\.ts/);
  await expect(page.getByRole("region", { name: "The publish that produced it" })).toContainText("storefront");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // The failed invocation's own trace: its waterfall puts where it failed first.
  await first.getByRole("link", { name: "invocation trace" }).click();
  const failed = page.getByRole("region", { name: "Where it failed" });
  await expect(failed).toContainText("process record");
  await expect(failed).toContainText(expectedError());
  await expect(page.getByRole("table", { name: /Segments and subsegments/ })).toContainText("Invocation");
  await expect(page.getByRole("region", { name: "Messages it consumed" })).toContainText("storefront");
  // Keyboard: a span opens to its details.
  const invocation = page.getByRole("button", { name: /Invocation$/ });
  await invocation.focus();
  await page.keyboard.press("Enter");
  await expect(invocation).toHaveAttribute("aria-expanded", "true");
  const waterfallAxe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(waterfallAxe.violations.map((v) => v.id)).toEqual([]);
});

test("the failure groups name the exception once the letters' traces are read", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, userByRole("viewer"), `/dead-letters/${encodeURIComponent(dlq)}`);
  const why = page.getByRole("region", { name: "Why they failed" });
  await why.getByRole("button", { name: /^Group by exception: read the traces? of/ }).click();
  await expect(why.getByRole("status")).toContainText(/Read the traces of \d+ letters?/, { timeout: 60_000 });
  const traced = why.getByTestId("failure-group").filter({ hasText: "(trace)" });
  // The poison letter's exception, its per-message id normalised so that such letters share one group.
  await expect(traced.filter({ hasText: /poison message: <uuid>|malformed JSON/ }).first()).toBeVisible();
  if (process.env.FANOUT_E2E_SCREENSHOTS)
    await page.screenshot({ path: ".test-output/screens/failure-groups-traced.png", fullPage: true });
});

test("the trace list filters by annotation and status, and the service map is derived from the traces", async ({
  page,
}) => {
  test.setTimeout(60_000);
  await signIn(page, userByRole("viewer"), "/traces");
  await expect(page.getByRole("note")).toContainText(
    /derived here from \d+ traces?: this endpoint does not evaluate filter expressions/,
  );
  await page.getByLabel("Annotation").fill(`order_id=${poison.event.orderId}`);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/annotation=order_id/);
  const rows = page.locator(".trace-table tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("storefront");

  await page.getByRole("button", { name: "Clear" }).click();
  await page.getByLabel("Status").selectOption("fault");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(rows.first()).toContainText("fault");
  await expect(rows.filter({ hasNotText: "fault" })).toHaveCount(0);

  await page.getByRole("tab", { name: "Service map" }).click();
  await expect(page.getByRole("note")).toContainText("Service map derived here from");
  await expect(page.locator(".react-flow__node")).not.toHaveCount(0);
  await expect(page.getByText("storefront", { exact: true })).toBeVisible();
  await expect(page.locator(".react-flow__edge.trace-edge-link").first()).toBeAttached();
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // A queue's traces, as its topology node links to them, are its consumers' traces.
  const source = dlq.replace("-dlq", "");
  await page.goto(`/traces?service=${encodeURIComponent(source)}`);
  await expect(page.getByText(`${source} is a queue`)).toContainText(/also shows the traces of \S+/);
  await expect(rows.first()).toContainText("AWS::Lambda");
});

test("a bad filter is refused naming the field, and an unknown trace says why it is missing", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/traces");
  const bad = await page.request.get("/api/traces?status=broken");
  expect(bad.status()).toBe(422);
  expect(((await bad.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]!.path).toBe("status");
  const badId = await page.request.get("/api/traces/not-a-trace");
  expect(badId.status()).toBe(422);
  await page.goto("/traces/1-00000001-000000000000000000000000");
  await expect(page.locator(".state-message")).toContainText(
    /X-Ray has no trace 1-00000001-000000000000000000000000: it was not recorded, is not indexed yet, or is past/,
  );
});
