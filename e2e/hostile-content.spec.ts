import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { CreateQueueCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { PutTraceSegmentsCommand, XRayClient } from "@aws-sdk/client-xray";
import { signIn, userByRole } from "./helpers";

/**
 * Message content is untrusted: whatever a message, its attributes or a trace carry is shown as
 * text, the page stays usable, and nothing in it runs, opens a dialog or makes the browser fetch
 * anything from elsewhere.
 */

const aws = {
  region: "us-east-1",
  endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
};
const queue = `e2e-hostile-${Date.now().toString(36)}`;
const traceId = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString("hex")}`;

const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = "</script><script>window.__xss=2</script>";
const LINK = "javascript:window.__xss=3";
const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
const huge = `${"x".repeat(262_144 - 200)}${IMG}`;
const PLAIN = `${SCRIPT} plain text ${IMG}`;

test.beforeAll(async () => {
  const sqs = new SQSClient(aws);
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queue }));
  const send = (
    body: string,
    attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }> = {},
  ) => sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageAttributes: attributes }));
  await send(JSON.stringify({ note: IMG, html: SCRIPT, href: LINK, [IMG]: "a key of markup" }), {
    [`x-${"a".repeat(10)}`]: { DataType: "String", StringValue: SCRIPT },
  });
  await send(PLAIN, {
    bytes: { DataType: "Binary", BinaryValue: Uint8Array.from([0xff, 0xfe, 0xc3, 0x28, 0x00, 0x3c, 0x73, 0x63]) },
  });
  await send(deep);
  await send(huge);
  // A trace whose names, annotations and exception are markup.
  const now = Date.now() / 1000;
  const segment = {
    id: randomBytes(8).toString("hex"),
    trace_id: traceId,
    name: IMG,
    start_time: now - 2,
    end_time: now - 1,
    fault: true,
    annotations: { note: SCRIPT },
    cause: {
      working_directory: "/",
      exceptions: [
        {
          id: randomBytes(8).toString("hex"),
          type: IMG,
          message: SCRIPT,
          stack: [{ path: LINK, line: 1, label: IMG }],
        },
      ],
    },
    subsegments: [
      {
        id: randomBytes(8).toString("hex"),
        name: SCRIPT,
        namespace: "remote",
        start_time: now - 1.8,
        end_time: now - 1.2,
        http: { request: { url: LINK } },
        metadata: { default: { deep: JSON.parse(`${"[".repeat(500)}1${"]".repeat(500)}`) } },
      },
    ],
  };
  await new XRayClient(aws).send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [JSON.stringify(segment)] }));
});

/** Fails the test on any dialog, script error, or request to another origin. */
function watch(page: Page, baseURL: string) {
  const problems: string[] = [];
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
      problems.push(`console error: ${m.text()}`);
  });
  page.on("request", (r) => {
    if (!r.url().startsWith(baseURL) && !r.url().startsWith("data:") && !r.url().startsWith("blob:"))
      problems.push(`request to ${r.url()}`);
  });
  return problems;
}

const executed = (page: Page) => page.evaluate(() => (window as { __xss?: number }).__xss);

test("dead letters full of markup, a 256 KB body, binary and invalid UTF-8 attributes and JSON 10,000 deep are shown as inert text", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const problems = watch(page, baseURL!);
  await signIn(page, userByRole("operator"), `/dead-letters/${queue}`);
  const list = page.getByRole("listbox", { name: "Dead letters" });
  await expect(list.getByRole("option")).toHaveCount(4);
  const detail = page.getByRole("region", { name: /^Message / });

  await list.getByRole("option").filter({ hasText: "a key of markup" }).click();
  await expect(detail).toContainText(IMG);
  await expect(detail).toContainText(LINK);
  await expect(detail.locator("a[href^='javascript:']")).toHaveCount(0);

  // The console runs with masking rules (FANOUT_MASK_FIELDS): a body they cannot be applied to,
  // text or JSON too deep, is withheld with its size and why, never shown raw.
  await list
    .getByRole("option")
    .filter({ hasText: `this ${Buffer.byteLength(PLAIN)}-byte body is not JSON` })
    .click();
  await expect(detail).toContainText("Withheld by the server");
  await expect(detail).not.toContainText("plain text");
  await expect(detail).toContainText("bytes");

  await list.getByRole("option").filter({ hasText: "nested deeper than 128 levels" }).click();
  await expect(detail).toContainText("Withheld by the server");

  await list
    .getByRole("option")
    .filter({ hasText: `this ${Buffer.byteLength(huge)}-byte body is not JSON` })
    .click();
  await expect(detail).toContainText("Withheld by the server");
  // Still responsive: the list answers a search at once.
  await page.getByPlaceholder(/Search loaded messages/).fill("a key of markup");
  await expect(list.getByRole("option")).toHaveCount(1);

  expect(await executed(page)).toBeUndefined();
  expect(await page.locator("img[src='x']").count()).toBe(0);
  expect(problems).toEqual([]);
});

test("a trace whose names, annotations and exception are markup is shown as inert text", async ({ page, baseURL }) => {
  const problems = watch(page, baseURL!);
  await signIn(page, userByRole("viewer"), `/traces/${traceId}`);
  const failed = page.getByRole("region", { name: "Where it failed" });
  await expect(failed).toContainText(IMG);
  await expect(failed).toContainText(SCRIPT);
  await page.getByRole("button", { name: new RegExp(SCRIPT.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")) }).click();
  await expect(page.getByText(LINK).first()).toBeVisible();
  expect(await executed(page)).toBeUndefined();
  expect(await page.locator("img[src='x'], a[href^='javascript:']").count()).toBe(0);
  expect(problems).toEqual([]);
});

test("a queue name with markup is refused naming the field, before any AWS call", async ({ page, baseURL }) => {
  await signIn(page, userByRole("viewer"));
  const res = await page.request.get(`/api/queues/${encodeURIComponent(IMG)}/messages?max=10`, {
    headers: { origin: baseURL! },
  });
  expect(res.status()).toBe(422);
  expect(JSON.stringify(await res.json())).toContain("name");
});
