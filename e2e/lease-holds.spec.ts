import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { signIn, userByRole, type E2eUser } from "./helpers";

/**
 * Letters someone else holds are never "not there": the DLQ page says how many are held, by whom
 * and until when, an operator takes a view's lease over (audited), and during a redrive the list
 * says what the job holds and what remains.
 */

const sqs = new SQSClient({
  region: "us-east-1",
  endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

/** A DLQ of its own (and its source queue) holding `paid` order.paid and `refunded` order.refunded letters. */
async function deadLetterQueue(label: string, paid: number, refunded: number) {
  const name = `e2e-held-${label}-${Date.now().toString(36)}`;
  const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] })))
    .Attributes!.QueueArn!;
  await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
    }),
  );
  const letters = [
    ...Array.from({ length: paid }, (_, i) => ({ eventType: "order.paid", body: `{"orderId":"paid-${i}"}` })),
    ...Array.from({ length: refunded }, (_, i) => ({ eventType: "order.refunded", body: `{"orderId":"ref-${i}"}` })),
  ];
  for (let start = 0; start < letters.length; start += 10) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: dlqUrl,
        Entries: letters.slice(start, start + 10).map((l, i) => ({
          Id: `e${i}`,
          MessageBody: l.body,
          MessageAttributes: { eventType: { DataType: "String", StringValue: l.eventType } },
        })),
      }),
    );
  }
  return `${name}-dlq`;
}

async function signedIn(browser: Browser, user: E2eUser, path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, user, path);
  return page;
}

const letterList = (page: Page) => page.getByRole("listbox", { name: "Dead letters" });
const messages = (page: Page) => page.getByRole("region", { name: "Messages" });
const banner = (page: Page) => page.getByRole("region", { name: "Letters held elsewhere" });

test("an operator sees whose view holds the letters and until when, and takes them over", async ({ browser }) => {
  test.setTimeout(60_000);
  const dlq = await deadLetterQueue("view", 5, 0);
  const vera = await signedIn(browser, userByRole("viewer"), `/dead-letters/${dlq}`);
  await expect(letterList(vera).getByRole("option")).toHaveCount(5);

  const otto = await signedIn(browser, userByRole("operator"), `/dead-letters/${dlq}`);
  // Nothing is visible to the operator, and the page says why instead of calling the queue empty.
  await expect(messages(otto)).toContainText("No letter was visible to you when this view loaded.");
  await expect(messages(otto)).toContainText(/Held elsewhere: 5 letters held by vera's view until \d/);
  await expect(otto.getByText("No messages in this queue right now.")).toHaveCount(0);
  await expect(otto.getByText("No messages match.")).toHaveCount(0);
  await expect(
    otto.getByRole("status").filter({ hasText: "Nothing is leased to you: no letter was visible" }),
  ).toBeVisible();
  await expect(banner(otto)).toContainText(/5 letters held by vera's view until \d/);
  const axe = await new AxeBuilder({ page: otto }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  if (process.env.FANOUT_E2E_SCREENSHOTS)
    await otto.screenshot({ path: ".test-output/screens/lease-banner.png", fullPage: true });

  // The viewer may see who holds letters, but takes nothing over.
  await expect(vera.getByRole("button", { name: /^Take over/ })).toHaveCount(0);

  // By keyboard: the button, then the confirmation.
  await banner(otto).getByRole("button", { name: "Take over vera's view" }).focus();
  await otto.keyboard.press("Enter");
  const dialog = otto.getByRole("dialog", { name: "Take over vera's lease?" });
  await expect(dialog).toContainText("vera's view loses its 5 letters");
  await dialog.getByRole("button", { name: "Take over" }).focus();
  await otto.keyboard.press("Enter");

  await expect(otto.getByText("Took over 5 letters from vera. Leasing them to you.")).toBeVisible();
  await expect(letterList(otto).getByRole("option")).toHaveCount(5);
  await expect(otto.getByRole("status").filter({ hasText: "5 messages leased to you" })).toBeVisible();
  await expect(banner(otto)).toHaveCount(0);

  // The viewer is told who took the lease, and no longer lists letters that are not theirs.
  await expect(vera.getByRole("alert").filter({ hasText: "Your lease was taken over by otto" })).toBeVisible();
  await expect(letterList(vera)).toHaveCount(0);
  await expect(vera.getByRole("status").filter({ hasText: "Nothing is leased to you now" })).toBeVisible();

  const audit = (await (await otto.request.get("/api/audit?action=dead-letters.lease.take-over")).json()) as {
    entries: { actor: string; outcome: string; after: { released?: number }; before: { holder: string }[] }[];
  };
  const done = audit.entries.find(
    (e) => e.actor === "otto" && e.outcome === "success" && e.before[0]?.holder === "vera",
  );
  expect(done?.after.released).toBe(5);

  // Leaving gives the letters back.
  await vera.goto("/dead-letters");
  await otto.goto("/dead-letters");
  await vera.context().close();
  await otto.context().close();
});

test("during a redrive the list says what the job holds and what remains, never that nothing matches", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const dlq = await deadLetterQueue("job", 12, 8);
  const otto = await signedIn(browser, userByRole("operator"), `/dead-letters/${dlq}`);
  await expect(otto.getByRole("status").filter({ hasText: /\d+ messages leased to you/ })).toBeVisible();

  // Only the paid ones, slowly: the job holds the refunded ones it looked at while it moves the rest.
  await otto.getByRole("button", { name: "Redrive all…" }).click();
  await otto.getByLabel("Only those matching a filter policy").check();
  await otto.getByLabel(/Filter policy/).fill('{"eventType":["order.paid"]}');
  await otto.getByLabel("Rate").fill("2");
  await otto.getByRole("button", { name: "Start the redrive" }).click();

  const jobLine = messages(otto).getByText(
    /^Redrive job [0-9a-f]{8}: holds \d+ letters?; \d+ remain to move, \d+ moved\.$/,
  );
  await expect(jobLine).toBeVisible();
  if (process.env.FANOUT_E2E_SCREENSHOTS)
    await otto.screenshot({ path: ".test-output/screens/lease-banner-job.png", fullPage: true });
  await expect(otto.getByText("No messages match.")).toHaveCount(0);
  await expect(banner(otto)).toContainText(/not taken over: cancel the job to free them/);
  // The job's line links to its row.
  const link = banner(otto).getByRole("link").first();
  const jobId = (await link.getAttribute("href"))!.replace("#job-", "");
  await expect(otto.locator(`#job-${jobId}`)).toContainText("running");
  // A job is not a view: nothing to take over.
  await expect(banner(otto).getByRole("button", { name: /^Take over/ })).toHaveCount(0);

  const job = otto.locator(`#job-${jobId}`);
  await expect(job).toContainText("completed", { timeout: 60_000 });
  await expect(job).toContainText("moved 12");
  // The job has let go of the refunded letters: nothing is held elsewhere, and the list says what happened.
  await expect(banner(otto)).toHaveCount(0);
  await expect(messages(otto)).toContainText("The letters you loaded were released, replayed, deleted or taken over.");
  await expect(otto.getByText("No messages match.")).toHaveCount(0);
  await otto.goto("/dead-letters");
  await otto.context().close();
});
