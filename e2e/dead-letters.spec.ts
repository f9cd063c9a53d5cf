import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { SQSClient } from "@aws-sdk/client-sqs";
import { deadLetterPair, sendLetters } from "../test/queues";
import { signIn, userByRole, type E2eUser } from "./helpers";

const sqs = new SQSClient({
  region: "us-east-1",
  endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

const cloudwatch = new CloudWatchClient({
  region: "us-east-1",
  endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

interface Overview {
  collectedAt: string;
}

/** How many in-flight depth samples CloudWatch holds for a queue in the minute starting at `minute`. */
async function depthSamplesInMinute(queueName: string, minute: number): Promise<number> {
  const out = await cloudwatch.send(
    new GetMetricStatisticsCommand({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesNotVisible",
      Dimensions: [{ Name: "QueueName", Value: queueName }],
      StartTime: new Date(minute),
      EndTime: new Date(minute + 60_000),
      Period: 60,
      Statistics: ["SampleCount"],
    }),
  );
  return out.Datapoints?.[0]?.SampleCount ?? 0;
}

async function signedIn(browser: Browser, user: E2eUser, path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, user, path);
  return page;
}

test("the dead-letter overview lists each DLQ with what feeds it and CloudWatch's figures", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/dead-letters");
  const row = page.locator("tbody tr", { hasText: "e2e-inventory-dlq" });
  await expect(row).toContainText("queue e2e-inventory after 1 receives");
  await expect(row.locator("td").nth(1)).toHaveText("1");
  await expect(row).toHaveClass(/row-trouble/);
  // The pipeline's telemetry publishes AWS/SQS metrics for every queue: the oldest letter's age is
  // CloudWatch's. (A queue without datapoints shows "no data": lib/operations/dead-letters.int.test.ts.)
  await expect(row.locator("td").nth(3)).toHaveText(/^\d+ (s|min|h|d)/);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});

test("a DLQ someone is reading still shows what arrived in it, and holds its letters as leased", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const { dlq, dlqUrl } = await deadLetterPair(sqs, "e2e-arrivals");
  const otto = await signedIn(browser, userByRole("operator"), "/dead-letters");
  const cells = otto.locator("tbody tr", { hasText: dlq }).locator("td");
  const held = cells.nth(1);
  const arrived = cells.nth(5);
  // The derivation needs two minutes of depth samples from the pipeline's telemetry: until then the
  // empty DLQ reads "no data", then "+0".
  await expect(arrived).toHaveText("+0 in 15 min", { timeout: 150_000 });

  await sendLetters(sqs, dlqUrl, 3);
  await expect(arrived).toHaveText("+3 in 15 min", { timeout: 60_000 });

  // A viewer opens the DLQ: the server leases all three, none is visible any more.
  const vera = await signedIn(browser, userByRole("viewer"), `/dead-letters/${dlq}`);
  await expect(vera.getByRole("status").filter({ hasText: "3 messages leased to you" })).toBeVisible();
  // Wait for a minute whose depth samples all come after the lease (telemetry samples every 10 s):
  // counted by visible messages alone, the queue would now read as drained. Then for an overview
  // collected after CloudWatch had that minute (the overview is shared for a few seconds, and its
  // time is stamped when its collection ends: one ending 5 s after the sample began after it).
  const nextMinute = (Math.floor(Date.now() / 60_000) + 1) * 60_000;
  await expect
    .poll(() => depthSamplesInMinute(dlq, nextMinute), { timeout: 150_000, intervals: [5_000] })
    .toBeGreaterThan(0);
  const sampled = Date.now();
  await expect
    .poll(
      async () => Date.parse(((await (await otto.request.get("/api/dead-letters")).json()) as Overview).collectedAt),
      {
        timeout: 60_000,
        intervals: [3_000],
      },
    )
    .toBeGreaterThanOrEqual(sampled + 5_000);
  await otto.reload();
  await expect(held).toHaveText(/^3\s*3 leased$/);
  // Exactly the three: the minute they went from visible to in flight has both maxima at 3, and its
  // depth is the larger of Maximum visible + Minimum in flight and Minimum visible + Maximum in
  // flight, not their maxima's sum.
  await expect(arrived).toHaveText("+3 in 15 min");
  if (process.env.FANOUT_E2E_SCREENSHOTS)
    await otto.screenshot({ path: ".test-output/screens/dead-letter-overview.png", fullPage: true });

  await vera.goto("/dead-letters");
  await vera.context().close();
  await otto.context().close();
});

test("an operator opens a DLQ, reads a message, replays it with the button, and sees the count drop and the audit entry", async ({
  page,
}) => {
  await signIn(page, userByRole("operator"), "/dead-letters");
  const row = page.locator("tbody tr", { hasText: "e2e-payments-dlq" });
  await expect(row.locator("td").nth(1)).toHaveText("3");
  await row.getByRole("link", { name: "e2e-payments-dlq" }).click();
  await expect(page).toHaveURL(/\/dead-letters\/e2e-payments-dlq$/);

  const list = page.getByRole("listbox", { name: "Dead letters" });
  await expect(list.getByRole("option")).toHaveCount(3);
  await expect(page.getByRole("status").filter({ hasText: "3 messages leased to you" })).toBeVisible();

  // A body that is not JSON (here hostile HTML) cannot be masked, so with masking rules in force
  // it is withheld, never shown raw; and nothing of it runs.
  await list.getByRole("option").filter({ hasText: "is not JSON" }).click();
  await expect(page.getByRole("region", { name: /^Message / })).toContainText("Withheld by the server");
  expect(await page.content()).not.toContain("onerror");
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();

  // The masked field never reaches the browser until an operator reveals it.
  await list.getByRole("option").filter({ hasText: "ord-masked" }).click();
  const detail = page.getByRole("region", { name: /^Message / });
  await expect(detail).toContainText("payload.customer.email");
  expect(await page.content()).not.toContain("ada@example.com");
  await detail.getByRole("button", { name: "Reveal (audited)" }).click();
  await expect(detail).toContainText("= ada@example.com");

  await list.getByRole("option").filter({ hasText: "ord-plain" }).click();
  await page
    .getByRole("region", { name: /^Message / })
    .getByRole("button", { name: "Replay", exact: true })
    .click();
  await expect(page.getByText("Replaying 1 message to e2e-payments.")).toBeVisible();
  await expect(list.getByRole("option")).toHaveCount(2);
  const job = page.getByRole("table", { name: "Redrive jobs" }).locator("tbody tr").first();
  await expect(job).toContainText("completed");
  await expect(job).toContainText("moved 1");
  await expect(job).toContainText("Fanout's engine");

  // Leaving the view releases the lease; the overview counts the two that are left.
  await page.getByRole("link", { name: "← All dead-letter queues" }).click();
  await expect(page.locator("tbody tr", { hasText: "e2e-payments-dlq" }).locator("td").nth(1)).toHaveText("2");

  await page.goto("/audit");
  const entries = page.getByRole("table", { name: "Audit entries" });
  await expect(entries.getByRole("cell", { name: "dead-letters.replay", exact: true }).first()).toBeVisible();
  await expect(entries.getByRole("cell", { name: "dead-letters.reveal", exact: true }).first()).toBeVisible();
  await expect(page.locator("body")).not.toContainText("ada@example.com");
});

test("a viewer reads dead letters but gets no replay or delete, and may not read a source queue", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/dead-letters/e2e-payments-dlq");
  await expect(page.getByRole("listbox", { name: "Dead letters" }).getByRole("option").first()).toBeVisible();
  await page.getByRole("listbox", { name: "Dead letters" }).getByRole("option").first().click();
  await expect(page.getByText("Replaying and deleting need the operator role.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Replay", exact: true })).toHaveCount(0);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // Reading a source queue counts toward its maxReceiveCount: operators only, so no confirmation is offered.
  await page.goto("/dead-letters/e2e-payments");
  const refused = page.locator(".state-error");
  await expect(refused).toContainText("Not allowed for your role");
  await expect(refused).toContainText("maxReceiveCount (3)");
  await expect(page.getByRole("alertdialog", { name: "Read a source queue?" })).toHaveCount(0);
  const origin = new URL(page.url()).origin;
  const sourceRead = await page.request.get("/api/queues/e2e-payments/messages?confirm=source-read", {
    headers: { origin },
  });
  expect(sourceRead.status()).toBe(403);
  const replay = await page.request.post("/api/queues/e2e-payments-dlq/replay", {
    data: { all: true },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(replay.status()).toBe(403);
});

test("bad replay input is refused naming the field, before any AWS call", async ({ page }) => {
  await signIn(page, userByRole("operator"), "/dead-letters");
  const origin = new URL(page.url()).origin;
  const cases: Array<[unknown, string]> = [
    [{}, "messageIds"],
    [{ all: true, target: "not a queue!" }, "target"],
    [{ all: true, ratePerSecond: -1 }, "ratePerSecond"],
    [{ messageIds: ["a", "b"], edits: { body: "x" } }, "edits"],
    [{ all: true, filter: { policy: '{"a":[{"prefix":1}]}', scope: "MessageAttributes" } }, "filter.policy"],
  ];
  for (const [data, field] of cases) {
    const res = await page.request.post("/api/queues/e2e-payments-dlq/replay", { data, headers: { origin } });
    expect(res.status(), JSON.stringify(data)).toBe(422);
    const body = (await res.json()) as { error: { issues: Array<{ path: string }> } };
    expect(body.error.issues.map((i) => i.path).join(" ")).toContain(field);
  }
});
