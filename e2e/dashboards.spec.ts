import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { SNSClient } from "@aws-sdk/client-sns";
import { createOrderStream, publishOrderEvent } from "../infra/local";
import { signIn, userByRole } from "./helpers";

const pipeline = () => JSON.parse(process.env.FANOUT_E2E_PIPELINE!) as { environment: string; topicArn: string };

test("the SLA page shows the pipeline's live service levels, and a resource leads to its node", async ({ page }) => {
  test.setTimeout(120_000);
  const p = pipeline();
  // Real traffic through the deployed pipeline; its telemetry turns it into CloudWatch metrics.
  const sns = new SNSClient({
    region: "us-east-1",
    endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const next = createOrderStream(Math.random, { poisonShare: 0, testShare: 0 });
  for (let i = 0; i < 12; i++) await publishOrderEvent(sns, p.topicArn, next());

  await signIn(page, userByRole("viewer"), "/dashboards?window=1h");
  const topics = page.getByRole("region", { name: "SNS delivery" });
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await topics.locator(".sla-sli").textContent()) ?? "";
      },
      { timeout: 90_000, intervals: [3000] },
    )
    .toBe("100.000 %");
  await expect(topics).toContainText("meeting objective");
  // Each kind's card leads with the kind's aggregate, or names the one member it shows; every
  // figure says its window.
  await expect(topics.locator(".sla-headline")).toHaveText(/^all \d+ topics? together$/);
  await expect(topics).toContainText("SLI over 1h");
  await expect(topics).toContainText(/good · \d+ bad in 1h/);
  const lambda = page.getByRole("region", { name: "Lambda invocations" });
  await expect(lambda.locator(".sla-headline")).toHaveText(/^all \d+ functions together$/);
  // Records a consumer fails are no Lambda errors: shown apart, from the DLQ inflow of its queues.
  await expect(lambda.getByRole("group", { name: "Records" })).toContainText(/records dead-lettered in 1h/);
  await expect
    .poll(
      async () => {
        await page.reload();
        return (
          (await page.getByRole("region", { name: "Subscription paths" }).locator(".sla-headline").textContent()) ?? ""
        );
      },
      { timeout: 60_000, intervals: [3000] },
    )
    .toMatch(/^worst: /);
  await expect(page.getByRole("region", { name: "End to end" })).toContainText("objective 99.75 %");
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  await page.getByRole("button", { name: /Show each topic/ }).click();
  const topicName = p.topicArn.split(":").pop()!;
  await page.getByRole("table", { name: "SNS delivery per resource" }).getByRole("link", { name: topicName }).click();
  await expect(page).toHaveURL(/\/dashboards\/resource\?kind=topic/);
  const notifications = page.getByRole("region", { name: "Notifications" });
  await expect(notifications.locator(".recharts-line")).toHaveCount(4);
  await expect(notifications).toContainText("delivered");
  await page.getByRole("link", { name: "its node in the topology" }).click();
  await expect(page.getByRole("complementary", { name: topicName })).toBeVisible();
});

test("a bad window is refused naming the field", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/dashboards");
  const res = await page.request.get("/api/sla?window=2w");
  expect(res.status()).toBe(422);
  expect(((await res.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]!.path).toBe("window");
});

test("one time window across pages: 24 h chosen on the dashboards opens the traces on their nearest, 6 h", async ({
  page,
}) => {
  await signIn(page, userByRole("viewer"), "/dashboards");
  const nav = page.getByRole("navigation", { name: "Console sections" });
  const range = page.getByRole("tablist", { name: "Time range" });
  // Every page opens on the same default.
  await expect(range.getByRole("tab", { name: "1h" })).toHaveAttribute("aria-selected", "true");
  await range.getByRole("tab", { name: "24h" }).click();
  await expect(page).toHaveURL(/[?&]window=24h/);

  await nav.getByRole("link", { name: "Traces" }).click();
  await expect(page).toHaveURL(/\/traces$/);
  const traceWindow = page.getByRole("combobox", { name: "Window" });
  await expect(traceWindow).toHaveValue("6h");
  await expect(page.getByText("24h chosen; this page shows the nearest window it can: 6h")).toBeVisible();

  // A choice on the traces page is the one the dashboards open on next, at their nearest.
  await traceWindow.selectOption("15m");
  await expect(page).toHaveURL(/[?&]window=15m/);
  await nav.getByRole("link", { name: "Dashboards" }).click();
  await expect(page).toHaveURL(/\/dashboards$/);
  await expect(range.getByRole("tab", { name: "1h" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByText("15m chosen; this page shows the nearest window it can: 1h")).toBeVisible();
});
