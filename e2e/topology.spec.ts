import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signIn, userByRole } from "./helpers";

interface Pipeline {
  environment: string;
  topicArn: string;
  queues: string[];
  functions: string[];
}
const pipeline = () => JSON.parse(process.env.FANOUT_E2E_PIPELINE!) as Pipeline;

test("the topology shows the deployed pipeline: its topic, three queues, three DLQs and three functions, with their edges", async ({
  page,
}) => {
  const p = pipeline();
  await signIn(page, userByRole("viewer"), "/topology");
  const graph = page.locator(".react-flow");
  await expect(graph).toBeVisible();
  const topicName = p.topicArn.split(":").pop()!;
  const card = (name: string) =>
    graph.locator(".topo-card", {
      has: page.locator(".topo-name", { hasText: new RegExp(`^${name.replace(/[.]/g, "\\.")}$`) }),
    });
  await expect(card(topicName)).toContainText("SNS topic");
  const services = ["inventory", "payment", "notification"];
  for (const service of services) {
    await expect(card(`${p.environment}-${service}.fifo`)).toContainText("SQS queue");
    await expect(card(`${p.environment}-${service}-dlq.fifo`)).toContainText("dead-letter queue");
    await expect(card(`${p.environment}-${service}`)).toContainText("Lambda function");
  }

  // The edges, read from the API the graph draws: subscription, redrive and event source per service.
  const topology = (await (await page.request.get("/api/topology")).json()) as {
    nodes: Array<{ id: string; name: string }>;
    edges: Array<{ from: string; to: string; kind: string }>;
  };
  const idOf = (name: string) => topology.nodes.find((n) => n.name === name)!.id;
  for (const service of services) {
    const queue = idOf(`${p.environment}-${service}.fifo`);
    expect(topology.edges).toContainEqual(
      expect.objectContaining({ from: idOf(topicName), to: queue, kind: "subscription" }),
    );
    expect(topology.edges).toContainEqual(
      expect.objectContaining({ from: queue, to: idOf(`${p.environment}-${service}-dlq.fifo`), kind: "redrive" }),
    );
    expect(topology.edges).toContainEqual(
      expect.objectContaining({ from: queue, to: idOf(`${p.environment}-${service}`), kind: "event-source" }),
    );
  }
  const drawnEdges = await graph.locator(".react-flow__edge").count();
  expect(drawnEdges).toBeGreaterThanOrEqual(9);

  // Click a queue: its details, in the URL; then on to its dead letters.
  await card(`${p.environment}-payment.fifo`).click();
  await expect(page).toHaveURL(/[?&]node=/);
  const panel = page.getByRole("complementary", { name: `${p.environment}-payment.fifo` });
  await expect(panel).toContainText("after 3 receives");
  await expect(panel).toContainText("amount");
  await panel.getByRole("link", { name: /Its dead letters/ }).click();
  await expect(page).toHaveURL(new RegExp(`/dead-letters/${p.environment}-payment-dlq\\.fifo$`));
  await expect(page.getByRole("heading", { name: `Dead letters in ${p.environment}-payment-dlq.fifo` })).toBeVisible();
});

test("the selection survives a reload, the list view has the same nodes, and search narrows them", async ({ page }) => {
  const p = pipeline();
  await signIn(page, userByRole("viewer"), "/topology?view=list");
  const table = page.getByRole("table", { name: "Topology nodes" });
  await expect(table.getByRole("button", { name: `${p.environment}-inventory.fifo`, exact: true })).toBeVisible();
  await table.getByRole("button", { name: `${p.environment}-inventory.fifo`, exact: true }).click();
  await expect(page).toHaveURL(/[?&]node=/);
  await page.reload();
  await expect(page.getByRole("complementary", { name: `${p.environment}-inventory.fifo` })).toBeVisible();
  await page.getByPlaceholder("Search by name").fill("e2e-payments");
  await expect(table.locator("tbody tr")).toHaveCount(2);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});

test("configuration findings are listed: the DLQ the e2e seed left without an alarm", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/topology");
  await page.getByText(/configuration finding/).click();
  await expect(
    page.getByRole("button", { name: /Dead-letter queue e2e-payments-dlq has no CloudWatch alarm/ }),
  ).toBeVisible();
  // A finding leads to its node.
  await page.getByRole("button", { name: /Dead-letter queue e2e-payments-dlq has no CloudWatch alarm/ }).click();
  await expect(page.getByRole("complementary", { name: "e2e-payments-dlq" })).toContainText(
    "no alarm watches this dead-letter queue",
  );
});
