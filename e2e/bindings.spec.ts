import { expect, test, type Page } from "@playwright/test";
import { signIn, userByName, userByRole } from "./helpers";

// Role bindings: a team member who operates their team's queues only, through the API the pages use,
// and an admin asking the console what that member may do, and why.

// What the API answers, read loosely: each assertion names the fields it needs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** A request from the signed-in page, as the console's own pages make it (same origin, the session cookie). */
const call = (page: Page, path: string, body?: unknown) =>
  page.evaluate(
    async ({ path, body }) => {
      const response = await fetch(path, {
        method: body === undefined ? "GET" : "POST",
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: (await response.json()) as Json };
    },
    { path, body },
  );

/** A queue's ARN as the console lists it. */
async function queueArn(page: Page, name: string): Promise<string> {
  const { json } = await call(page, "/api/queues");
  const queues = (json.queues ?? json) as Array<{ name: string; arn?: string; url?: string }>;
  const queue = queues.find((q) => q.name === name);
  if (queue?.arn) return queue.arn;
  // Built as SQS names a queue: arn:aws:sqs:<region>:<account>:<name>, from its URL's account.
  const region = (await call(page, "/api/environments")).json.environments[0].regions[0] as string;
  const account = new URL(queue!.url!).pathname.split("/")[1];
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

test("a team member operates the team's queues and only reads the others'", async ({ page }) => {
  await signIn(page, userByName("pat"), "/incidents");
  // The header says the role holds on some resources only.
  await expect(page.getByTestId("signed-in-user")).toContainText("operator (scoped)");
  const environments = (await call(page, "/api/environments")).json.environments as Array<{
    role: string;
    scoped: boolean;
  }>;
  expect(environments[0]).toMatchObject({ role: "operator", scoped: true });

  // Another team's dead letters: refused on the resource, naming it and the role the bindings give there.
  const theirs = await call(page, "/api/queues/e2e-inventory-dlq/replay-check", {});
  expect(theirs.status).toBe(403);
  expect(theirs.json.error.message).toMatch(
    /needs the operator role on arn:aws:sqs:[^:]+:\d+:e2e-inventory-dlq; your bindings give you viewer there/,
  );
  // The team's own: past the role checks (the operation itself then wants a lease to check).
  const own = await call(page, "/api/queues/e2e-payments-dlq/replay-check", {});
  expect(own.status).not.toBe(403);
  // Admin routes stay refused before any lookup, whatever the bindings name.
  expect((await call(page, "/api/queues/e2e-payments-dlq/purge", { confirmName: "e2e-payments-dlq" })).status).toBe(
    403,
  );
  // Reading is for everyone the bindings reach.
  expect((await call(page, "/api/queues/e2e-inventory-dlq/leases")).status).toBe(200);
});

test("an admin sees what a user may do to a resource, and which binding says so", async ({ page }) => {
  await signIn(page, userByRole("admin"), "/incidents");
  await page.getByRole("navigation", { name: "Console sections" }).getByRole("link", { name: "Access" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Access" })).toBeVisible();
  const payments = await queueArn(page, "e2e-payments-dlq");

  await page.getByLabel("User").fill("pat");
  await page.getByLabel("Resource ARN").fill(payments);
  await page.getByRole("button", { name: "Explain" }).click();
  await expect(page.getByTestId("access-role")).toHaveText("operator");
  const own = page.getByTestId("access-binding").filter({ hasText: "users[pat].bindings[0]" });
  await expect(own).toContainText("yes");
  await expect(
    page.getByTestId("access-action").filter({ hasText: "POST /api/queues/[name]/replay" }).first(),
  ).toContainText("yes");
  await expect(page.getByTestId("access-action").filter({ hasText: "POST /api/queues/[name]/purge" })).toContainText(
    "no",
  );
  if (process.env.FANOUT_E2E_SCREENSHOTS)
    await page.screenshot({ path: ".test-output/screens/access.png", fullPage: true });

  // Another team's queue: viewer, and the reason the team binding does not match.
  await page.getByLabel("Resource ARN").fill(payments.replace("e2e-payments-dlq", "e2e-inventory-dlq"));
  await page.getByRole("button", { name: "Explain" }).click();
  await expect(page.getByTestId("access-role")).toHaveText("viewer");
  await expect(page.getByTestId("access-binding").filter({ hasText: "users[pat].bindings[0]" })).toContainText(
    "no ARN matches arn:aws:sqs:*:*:e2e-payments*",
  );
  // The question is in the address: the answer can be linked.
  expect(new URL(page.url()).searchParams.get("user")).toBe("pat");
});

test("a non-admin is told the access page is for admins", async ({ page }) => {
  await signIn(page, userByRole("operator"), "/access");
  await expect(page.getByRole("status").filter({ hasText: "Only admins" })).toBeVisible();
  expect((await call(page, "/api/access?user=pat&arn=arn:aws:sqs:us-east-1:123456789012:x")).status).toBe(403);
});
