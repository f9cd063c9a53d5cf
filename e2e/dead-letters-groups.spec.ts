import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { deadLetterPair } from "../test/queues";
import { signIn, userByRole } from "./helpers";

/** Dead letters grouped by why they failed: a Failure column, the groups with counts, and a group's letters selected at once. */

const sqs = new SQSClient({
  region: "us-east-1",
  endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

/** A DLQ of its own with poison letters of three kinds: four without an amount, two not JSON, one with an amount as text. */
async function poisonedQueue(): Promise<string> {
  const { dlq, dlqUrl } = await deadLetterPair(sqs, "e2e-groups");
  const bodies = [
    ...Array.from({ length: 4 }, (_, i) => JSON.stringify({ type: "order.paid", orderId: `ord-${i}` })),
    "<order id=1/>",
    "order 2, amount 5",
    JSON.stringify({ type: "order.paid", orderId: "ord-9", amount: "12.50" }),
  ];
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: dlqUrl,
      Entries: bodies.map((body, i) => ({ Id: `e${i}`, MessageBody: body })),
    }),
  );
  return dlq;
}

test("poison letters show their failure, grouped; a group can be selected, exported, and replayed after a confirmation", async ({
  page,
}) => {
  const dlq = await poisonedQueue();
  await signIn(page, userByRole("operator"), `/dead-letters/${dlq}`);
  const list = page.getByRole("listbox", { name: "Dead letters" });
  await expect(list.getByRole("option")).toHaveCount(7);

  const messages = page.getByRole("region", { name: "Messages" });
  await expect(messages.getByText("Failure", { exact: true })).toBeVisible();
  const cells = list.getByTestId("failure-cell");
  const texts = await cells.allTextContents();
  expect(texts.filter((t) => t === "orderId:string, type:string (shape)")).toHaveLength(4);
  expect(texts.filter((t) => t === "not JSON (shape)")).toHaveLength(2);
  expect(texts.filter((t) => t === "amount:string, orderId:string, type:string (shape)")).toHaveLength(1);

  const groups = page.getByRole("region", { name: "Why they failed" }).getByTestId("failure-group");
  await expect(groups).toHaveCount(3);
  await expect(groups.first()).toContainText("4 letters");
  await expect(groups.first()).toContainText("orderId:string, type:string");
  await expect(groups.nth(1)).toContainText("2 letters");

  await groups
    .first()
    .getByRole("button", { name: /^Select this group/ })
    .click();
  await expect(list.locator('[role="option"][aria-selected="true"]')).toHaveCount(4);
  for (const option of await list.locator('[role="option"][aria-selected="true"]').all())
    await expect(option.getByTestId("failure-cell")).toHaveText("orderId:string, type:string (shape)");
  await expect(messages).toContainText("7 shown · 4 selected");
  await expect(groups.first().getByRole("button", { name: /^Select this group/ })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  // To look at, not to compare (as in layout.spec.ts).
  if (process.env.FANOUT_E2E_SCREENSHOTS)
    await page.screenshot({ path: ".test-output/screens/dead-letter-groups.png", fullPage: true });
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // Export this group: the four letters, and only them.
  const download = page.waitForEvent("download");
  await messages.getByRole("button", { name: "Export selected" }).click();
  const lines = (await readFile((await (await download).path())!, "utf8")).trim().split("\n");
  expect(lines).toHaveLength(4);
  expect(lines.every((line) => !line.includes("amount") && line.includes("ord-"))).toBe(true);

  // A group's own Export: its one letter, whatever is selected.
  const single = page.waitForEvent("download");
  await groups
    .nth(2)
    .getByRole("button", { name: /^Export this group: 1 letter, amount:string/ })
    .click();
  const one = (await readFile((await (await single).path())!, "utf8")).trim().split("\n");
  expect(one).toHaveLength(1);
  expect(one[0]).toMatch(/amount\\*":\\*"12\.50/);

  // Replay… asks first, saying where the group goes; the check finds no traced letter to warn of.
  await groups
    .nth(1)
    .getByRole("button", { name: /^Replay this group: 2 letters/ })
    .click();
  const confirm = page.getByRole("dialog", { name: "Replay 2 letters?" });
  await expect(confirm).toContainText(/The group not JSON goes to e2e-groups-\w+\./);
  await expect(confirm.getByRole("note", { name: "Replay warning" })).toHaveCount(0);
  await confirm.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByText(/^Replaying 2 messages to /)).toBeVisible();
  await expect(list.getByRole("option")).toHaveCount(5);
  await expect(groups).toHaveCount(2);
  // No letter here carries a trace header: nothing to read in X-Ray.
  await expect(page.getByRole("button", { name: /^Group by exception/ })).toHaveCount(0);
});
