import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { layoutTopology, type Topology } from "../lib/domain/topology";
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

test("when the graph's code does not load, the page says so and draws the graph on retry", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/topology?view=list");
  await expect(page.getByRole("table", { name: "Topology nodes" })).toBeVisible();
  // From here on, every script the page has not loaded yet fails, as on a network that dropped.
  let failing = true;
  await page.route("**/_next/static/chunks/**", (route) => (failing ? route.abort("failed") : route.continue()));
  await page.getByRole("tab", { name: "Graph" }).click();
  const failed = page.getByRole("alert").filter({ hasText: "This part of the page did not load" });
  await expect(failed).toBeVisible();
  await expect(page.locator(".topo-card")).toHaveCount(0);
  if (process.env.FANOUT_E2E_SCREENSHOTS) await page.screenshot({ path: ".test-output/screens/graph-not-loaded.png" });
  failing = false;
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(page.locator(".topo-card").first()).toBeVisible();
  await expect(failed).toHaveCount(0);
});

test("configuration findings are listed: the DLQ the e2e seed left without an alarm", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/topology");
  await page.locator("summary", { hasText: /\d+ configuration findings?/ }).click();
  await expect(
    page.getByRole("button", { name: /Dead-letter queue e2e-payments-dlq has no CloudWatch alarm/ }),
  ).toBeVisible();
  // A finding leads to its node.
  await page.getByRole("button", { name: /Dead-letter queue e2e-payments-dlq has no CloudWatch alarm/ }).click();
  await expect(page.getByRole("complementary", { name: "e2e-payments-dlq" })).toContainText(
    "no alarm watches this dead-letter queue",
  );
});

test("a dead-letter queue's card reads what entered it in the last 5 minutes, as the SLA derives it", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, userByRole("viewer"), "/topology");
  // The derivation needs a depth sample from a minute before the letter arrives: wait for the
  // pipeline's telemetry to have published one for e2e-inventory-dlq.
  await expect
    .poll(
      async () => {
        const res = await page.request.get("/api/metrics?kind=queue&name=e2e-inventory-dlq&window=1h");
        const metrics = (await res.json()) as {
          charts: Array<{ id: string; series: Array<{ points: Array<{ at: number }> }> }>;
        };
        const points = metrics.charts.find((c) => c.id === "depth")?.series[0]?.points ?? [];
        const minute = Math.floor(Date.now() / 60_000) * 60_000;
        return points.some((p) => p.at + 60_000 <= minute);
      },
      { timeout: 120_000, intervals: [5000] },
    )
    .toBe(true);

  // Dead-letter a message: e2e-inventory moves it to its DLQ on the receive after the first.
  const sqs = new SQSClient({
    region: "us-east-1",
    endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "e2e-inventory" }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "{}" }));
  for (let i = 0; i < 2; i++) await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));

  const card = page.locator(".react-flow .topo-card", {
    has: page.locator(".topo-name", { hasText: /^e2e-inventory-dlq$/ }),
  });
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await card.locator(".topo-figures").textContent()) ?? "";
      },
      { timeout: 90_000, intervals: [5000] },
    )
    .toMatch(/^\+[1-9]\d* in 5 min · holds \d+ messages? \(\d+ leased\)/);
});

test("the panel links a queue to its filter policy and charts, and the topic to who gets its events", async ({
  page,
}) => {
  const p = pipeline();
  const queue = `${p.environment}-inventory.fifo`;
  await signIn(page, userByRole("viewer"), "/topology?view=list");
  const table = page.getByRole("table", { name: "Topology nodes" });
  await table.getByRole("button", { name: queue, exact: true }).click();
  const panel = page.getByRole("complementary", { name: queue });
  const topicName = p.topicArn.split(":").pop()!;
  await expect(panel.getByRole("link", { name: `Filter policy from ${topicName}` })).toHaveAttribute(
    "href",
    new RegExp(`^/filter-policies/${encodeURIComponent(`${p.topicArn}:`).replace(/[.]/g, "\\.")}`),
  );
  await expect(panel.getByRole("link", { name: "Who gets this event?" })).toHaveCount(0);
  await panel.getByRole("link", { name: "Charts" }).click();
  await expect(page).toHaveURL(/\/dashboards\/resource\?kind=queue&name=/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(queue);

  await page.goBack();
  await table.getByRole("button", { name: topicName, exact: true }).click();
  const topicPanel = page.getByRole("complementary", { name: topicName });
  await expect(topicPanel.getByRole("link", { name: /^Filter policy/ })).toHaveCount(0);
  await topicPanel.getByRole("link", { name: "Who gets this event?" }).click();
  await expect(page.getByRole("heading", { name: "Who gets this event?" })).toBeVisible();
});

test("the minimap never covers the selected node", async ({ page }) => {
  await signIn(page, userByRole("viewer"), "/topology");
  const minimap = page.locator(".react-flow__minimap");
  await expect(minimap).toBeVisible();
  if (process.env.FANOUT_E2E_SCREENSHOTS)
    await minimap.screenshot({ path: ".test-output/screens/topology-overview.png" });
  const corner = (await minimap.boundingBox())!;
  // The drawn node nearest the minimap's corner: the one most likely to end up under it.
  const nodes = page.locator(".react-flow__node");
  await expect(nodes.first()).toBeVisible();
  let nearest = { index: 0, distance: Infinity };
  for (let i = 0; i < (await nodes.count()); i++) {
    const box = (await nodes.nth(i).boundingBox())!;
    const distance = Math.hypot(box.x + box.width - corner.x, box.y + box.height - corner.y);
    if (distance < nearest.distance) nearest = { index: i, distance };
  }
  const node = nodes.nth(nearest.index);
  const id = (await node.getAttribute("data-id"))!;
  await node.click();
  await expect(page).toHaveURL(/[?&]node=/);
  await expect(page.locator(".topo-panel")).toBeVisible();
  const selected = page.locator(`.react-flow__node[data-id="${id}"]`);
  const nodeBox = (await selected.boundingBox())!;
  const mapBox = (await minimap.count()) ? await minimap.boundingBox() : null;
  const overlaps =
    mapBox !== null &&
    nodeBox.x < mapBox.x + mapBox.width &&
    mapBox.x < nodeBox.x + nodeBox.width &&
    nodeBox.y < mapBox.y + mapBox.height &&
    mapBox.y < nodeBox.y + nodeBox.height;
  expect(overlaps).toBe(false);

  // Closing the panel brings the overview back.
  await page.getByRole("button", { name: "Close details" }).click();
  await expect(minimap).toBeVisible();
});

test("pressing in the overview centres the view there, and its wheel zooms the view, not the page", async ({
  page,
}) => {
  await page.setViewportSize({ width: 900, height: 700 });
  await signIn(page, userByRole("viewer"), "/topology");
  const overview = page.getByRole("img", { name: "Overview of the whole graph" });
  await expect(overview).toBeVisible();
  await expect(page.locator(".react-flow__node").first()).toBeVisible();
  const viewport = page.locator(".react-flow__viewport");
  const transform = async () => {
    const matrix = await viewport.evaluate((el) => new DOMMatrix(getComputedStyle(el).transform));
    return { x: matrix.e, y: matrix.f, zoom: matrix.a };
  };
  await overview.scrollIntoViewIfNeeded();
  const before = await transform();
  // A point near the overview's lower edge, and where it lies in the graph's coordinates (the browser's own mapping).
  const box = (await overview.boundingBox())!;
  const press = { x: box.x + box.width / 2, y: box.y + box.height - 6 };
  const target = await overview.evaluate(
    (svg, at) => new DOMPoint(at.x, at.y).matrixTransform((svg as SVGSVGElement).getScreenCTM()!.inverse()),
    press,
  );
  await page.mouse.click(press.x, press.y);
  // The view's centre moves there, at the same zoom.
  const pane = (await page.locator(".react-flow").boundingBox())!;
  const centre = async () => {
    const t = await transform();
    return { x: (pane.width / 2 - t.x) / t.zoom, y: (pane.height / 2 - t.y) / t.zoom };
  };
  await expect.poll(async () => Math.abs((await centre()).y - target.y)).toBeLessThan(2);
  expect(Math.abs((await centre()).x - target.x)).toBeLessThan(2);
  expect((await transform()).zoom).toBeCloseTo(before.zoom, 5);

  // The page can scroll up from here, yet the wheel over the overview zooms the view instead.
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled).toBeGreaterThan(0);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -200);
  await expect.poll(async () => (await transform()).zoom).toBeGreaterThan(before.zoom);
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
});

test("the graph brings the selected node into view when the selection changes, and leaves the panning to the user", async ({
  page,
}) => {
  await page.setViewportSize({ width: 700, height: 640 });
  await signIn(page, userByRole("viewer"), "/topology");
  // The page's graph leaves alarms out; the layout's order of rows and columns does not depend on its spacing.
  const topology = (await (await page.request.get("/api/topology")).json()) as Topology;
  const drawn = {
    ...topology,
    nodes: topology.nodes.filter((n) => n.kind !== "alarm"),
    edges: topology.edges.filter((e) => e.kind !== "alarm"),
  };
  const { positions } = layoutTopology(drawn);
  const byPlace = Object.entries(positions).sort(([, a], [, b]) => a.y - b.y || a.x - b.x);
  const [nearId] = byPlace[0]!;
  // The node farthest from the origin that a configuration finding leads to (the seed leaves
  // e2e-payments-dlq without an alarm).
  const withFinding = new Set(topology.warnings.map((w) => w.nodeId));
  const [farId] = byPlace.filter(([id]) => withFinding.has(id)).at(-1)!;
  const finding = topology.warnings.find((w) => w.nodeId === farId)!.message;

  const graph = page.locator(".react-flow");
  const card = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
  const panelOf = (id: string) =>
    page.getByRole("complementary", { name: drawn.nodes.find((n) => n.id === id)!.name, exact: true });
  /** Whether the node is drawn wholly inside the graph's box (off-screen nodes are not drawn at all). */
  const inView = async (id: string) => {
    if ((await card(id).count()) === 0) return false;
    const box = (await graph.boundingBox())!;
    const node = await card(id).boundingBox();
    return (
      node !== null &&
      node.x >= box.x - 1 &&
      node.y >= box.y - 1 &&
      node.x + node.width <= box.x + box.width + 1 &&
      node.y + node.height <= box.y + box.height + 1
    );
  };

  // Opened on that node, as from a link.
  await page.goto(`/topology?node=${encodeURIComponent(farId)}`);
  await expect(panelOf(farId)).toBeVisible();
  await expect.poll(() => inView(farId)).toBe(true);

  // Another node, then zoomed in far enough that the first one leaves the canvas.
  await card(nearId).click();
  await expect(panelOf(nearId)).toBeVisible();
  for (let i = 0; i < 6; i++) await page.locator(".react-flow__controls-zoomin").click();
  await expect.poll(() => inView(farId)).toBe(false);

  // Its finding selects it again: the graph pans to it.
  await page.locator("summary", { hasText: /configuration findings?/ }).click();
  await page.getByRole("button", { name: finding }).first().click();
  await expect(panelOf(farId)).toBeVisible();
  await expect.poll(() => inView(farId)).toBe(true);

  // The user zooms in on the top left corner: the selection has not changed, so the graph stays
  // where they put it, also when the page draws the graph again (a search dims the other nodes).
  for (let i = 0; i < 3; i++) await page.locator(".react-flow__controls-zoomout").click();
  await graph.scrollIntoViewIfNeeded();
  const pane = (await graph.boundingBox())!;
  await page.mouse.move(pane.x + 5, pane.y + 5);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, -200);
  await expect.poll(() => inView(farId)).toBe(false);
  await page.getByLabel("Search by name").fill("e2e");
  // Drawn again: once the viewport has kept still for 30 frames (a centring animates it for 300 ms), it is
  // where the user left it.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const viewport = document.querySelector<HTMLElement>(".react-flow__viewport")!;
        let last = viewport.style.transform;
        let still = 0;
        const frame = () => {
          const now = viewport.style.transform;
          still = now === last ? still + 1 : 0;
          last = now;
          if (still >= 30) resolve();
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
  );
  expect(await inView(farId)).toBe(false);
});
