import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signIn, userByName, userByRole } from "./helpers";

const subscriptionArn = () => process.env.FANOUT_E2E_SUBSCRIPTION_ARN!;
const editorPath = () => `/filter-policies/${encodeURIComponent(subscriptionArn())}`;

test.describe.configure({ mode: "serial" });

test("an operator adds a rule through the form, tests it, saves it, finds it in history and the audit log, and rolls back", async ({
  page,
}) => {
  await signIn(page, userByRole("operator"), "/filter-policies");
  await page.getByRole("link", { name: "e2e-inventory" }).click();
  await expect(page.getByRole("heading", { name: "Subscription filter policy" })).toBeVisible();
  await expect(page.getByLabel("Key", { exact: true }).first()).toHaveValue("eventType");

  // Add `amount > 100` through the form.
  await page.getByRole("button", { name: "+ Add key" }).click();
  await page.getByLabel("Key", { exact: true }).last().fill("amount");
  await page.getByLabel("Operator for amount").selectOption("numeric");
  await page.getByLabel("Comparison 1 for amount").selectOption(">");
  await page.getByLabel("Number 1 for amount").fill("100");
  await expect(page.getByText("Valid for AWS.")).toBeVisible();
  await expect(page.getByText("Keys: 2 of 5")).toBeVisible();

  // The JSON tab shows the same policy.
  await page.getByRole("tab", { name: "JSON" }).click();
  const json = JSON.parse(await page.getByLabel("Policy JSON").innerText());
  expect(json).toEqual({ eventType: ["order.placed", "order.cancelled"], amount: [{ numeric: [">", 100] }] });
  await page.getByRole("tab", { name: "Form" }).click();

  // The sample order (amount 59.9) does not match; with amount 150 it does.
  const testPanel = page.getByRole("region", { name: "Test a message" });
  await testPanel.getByRole("button", { name: "Test against this policy" }).click();
  await expect(testPanel.getByText("✗ No match")).toBeVisible();
  await expect(testPanel.locator(".explain-failed", { hasText: "amount" })).toContainText("59.9");
  const attributes = testPanel.getByRole("textbox");
  await attributes.fill(
    JSON.stringify({ eventType: { Type: "String", Value: "order.placed" }, amount: { Type: "Number", Value: "150" } }),
  );
  await testPanel.getByRole("button", { name: "Test against this policy" }).click();
  await expect(testPanel.getByText("✓ Match")).toBeVisible();

  // Save, after reviewing the diff.
  await page.getByRole("button", { name: "Review and save…" }).click();
  const confirm = page.getByRole("dialog", { name: "Save this change?" });
  await expect(confirm.locator(".diff-added", { hasText: "amount" })).toBeVisible();
  await confirm.getByRole("button", { name: "Save to AWS" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toContainText("up to about 15 minutes");

  // History: the saved version is live, the one it replaced kept.
  const history = page.getByRole("region", { name: "History" });
  await expect(history.locator("li")).toHaveCount(2);
  await expect(history.locator("li").first()).toContainText("otto");
  await expect(history.locator("li").first()).toContainText("live");
  await expect(history.locator("li").last()).toContainText("(found on AWS)");

  // The audit log has the change, with before and after.
  await page.getByRole("link", { name: "Audit log of this subscription" }).click();
  // The change is recorded as an intent before SNS is asked, then with its outcome: the outcome row.
  const row = page.locator("tbody tr", { hasText: "filter-policy.update" }).filter({ hasText: "success" });
  await expect(row).toContainText("otto");
  await expect(row).toContainText("success");
  await expect(row).toContainText('"amount"');
  await page.goBack();

  // Roll back to the policy as found.
  await page
    .getByRole("region", { name: "History" })
    .locator("li")
    .last()
    .getByRole("button", { name: "Roll back…" })
    .click();
  await page.getByRole("button", { name: /Roll back to #/ }).click();
  await expect(page.getByLabel("Key", { exact: true })).toHaveCount(1);
  await expect(page.getByLabel("Key", { exact: true })).toHaveValue("eventType");
  await expect(page.getByRole("region", { name: "History" }).locator("li")).toHaveCount(3);
});

test("bad input is explained where it was typed and never saved", async ({ page }) => {
  await signIn(page, userByRole("operator"), editorPath());
  await page.getByRole("tab", { name: "JSON" }).click();
  const box = page.getByLabel("Policy JSON");
  await box.fill('{"eventType": [{"starts-with": "order"}]}');
  await expect(page.locator("#policy-problem")).toContainText("Unrecognized match type starts-with");
  await expect(page.getByRole("button", { name: "Review and save…" })).toBeDisabled();
  await box.fill('{"eventType": ["order.placed"');
  await expect(page.locator("#policy-problem .form-error")).toContainText(/line 1, column \d+/);
  // The JSON editor marks where the text stops being JSON.
  await expect(page.locator(".json-editor .cm-lint-marker-error")).toBeVisible();
  await expect(page.getByRole("button", { name: "Review and save…" })).toBeDisabled();
});

test("the impact of a draft on recent traffic updates as the form changes, naming events that reach no subscriber", async ({
  page,
  baseURL,
}) => {
  // Staging's e2e-orders has a tap (e2e/seed.ts stagingTapEvents); its e2e-inventory starts from a known policy.
  const stagingArn = process.env.FANOUT_E2E_STAGING_INVENTORY_SUBSCRIPTION_ARN!;
  const api = `/api/e/staging/eu-west-1/subscriptions/${encodeURIComponent(stagingArn)}`;
  await signIn(page, userByName("ada"), "/topology");
  const { subscription } = (await (await page.request.get(api)).json()) as {
    subscription: { filterPolicy: string | null; filterPolicyScope: string };
  };
  const current = { eventType: ["order.placed"], region: ["eu"] };
  const set = await page.request.put(`${api}/filter-policy`, {
    headers: { origin: baseURL! },
    data: {
      policy: current,
      scope: "MessageAttributes",
      expected: { policy: subscription.filterPolicy, scope: subscription.filterPolicyScope },
    },
  });
  expect(set.status(), await set.text()).toBe(200);

  await page.goto(`/e/staging/eu-west-1/filter-policies/${encodeURIComponent(stagingArn)}`);
  const impact = page.getByRole("region", { name: "Impact on recent traffic" });
  // The console drains the tap in the background: the events are there soon after it starts.
  await expect(async () => {
    await page.reload();
    await expect(impact.getByText("Read", { exact: true }).first()).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 20_000 });
  await expect(impact.getByTestId("impact-delivered")).toHaveText("2 now → 2 after the change");

  // Any region: the US order is newly delivered, the cancelled one still reaches no subscriber.
  await page.getByRole("tab", { name: "JSON" }).click();
  await page.getByLabel("Policy JSON").fill(JSON.stringify({ eventType: ["order.placed"] }));
  await expect(impact.getByTestId("impact-delivered")).toHaveText("2 now → 3 after the change");
  await expect(impact.getByTestId("impact-newly-delivered")).toHaveText("Newly delivered: 1");
  await expect(impact.getByTestId("impact-newly-dropped")).toHaveText("Newly dropped: 0");
  await expect(impact).toContainText("stg-tap-2");
  await expect(impact.getByTestId("impact-no-subscriber")).toContainText("this event reaches no subscriber (0 of them");

  // Only cancellations: both European orders are dropped, and nothing else reads them.
  await page.getByLabel("Policy JSON").fill(JSON.stringify({ eventType: ["order.cancelled"] }));
  await expect(impact.getByTestId("impact-delivered")).toHaveText("2 now → 1 after the change");
  await expect(impact.getByTestId("impact-newly-dropped")).toHaveText("Newly dropped: 2");
  await expect(impact.getByTestId("impact-no-subscriber")).toContainText(
    "these 3 events reach no subscriber (2 of them",
  );
  // A body that is HTML is shown as text, never run.
  await expect(impact.locator("pre", { hasText: "stg-tap-4" }).first()).toContainText('"note":"<img src=x onerror=');
  await expect(impact.locator("img")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __impactXss?: number }).__impactXss)).toBeUndefined();
  await page.screenshot({ path: ".test-output/e2e-artifacts/filter-policy-impact.png", fullPage: true });

  // An invalid draft is not sent: the panel asks for a valid one.
  await page.getByLabel("Policy JSON").fill('{"eventType": [{"starts-with": "order"}]}');
  await expect(impact).toContainText("Fix the policy first");
});

test("without a tap the impact says so, and still judges the change on the dead letters; a viewer may ask", async ({
  page,
}) => {
  await signIn(page, userByRole("viewer"), editorPath());
  const impact = page.getByRole("region", { name: "Impact on recent traffic" });
  await expect(impact).toContainText("No tap queue is configured (FANOUT_TAP_QUEUE)");
  await expect(impact).toContainText("1 dead letter");
  const res = await page.request.post(
    `/api/subscriptions/${encodeURIComponent(subscriptionArn())}/filter-policy/impact`,
    {
      headers: { origin: new URL(page.url()).origin },
      data: { policy: { eventType: ["order.cancelled"] }, scope: "MessageAttributes" },
    },
  );
  expect(res.status()).toBe(200);
  const body = (await res.json()) as {
    recentEvents: { tapConfigured: boolean };
    deadLetters: { read: number; impact: unknown };
  };
  expect(body.recentEvents.tapConfigured).toBe(false);
  expect(body.deadLetters).toMatchObject({ read: 1, impact: { deliveredBefore: 1, deliveredAfter: 0 } });
  const invalid = await page.request.post(
    `/api/subscriptions/${encodeURIComponent(subscriptionArn())}/filter-policy/impact`,
    {
      headers: { origin: new URL(page.url()).origin },
      data: { policy: { amount: [{ numeric: [">", "ten"] }] }, scope: "MessageAttributes" },
    },
  );
  expect(invalid.status()).toBe(422);
  expect(((await invalid.json()) as { error: { message: string } }).error.message).toMatch(/^policy\.amount/);
});

test("a viewer can read and test a policy but not save it", async ({ page }) => {
  await signIn(page, userByRole("viewer"), editorPath());
  const res = await page.request.put(`/api/subscriptions/${encodeURIComponent(subscriptionArn())}/filter-policy`, {
    headers: { origin: new URL(page.url()).origin },
    data: {
      policy: { eventType: ["x"] },
      scope: "MessageAttributes",
      expected: { policy: null, scope: "MessageAttributes" },
    },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("forbidden");
});

test("who gets this event: every subscription of the topic, and why", async ({ page }) => {
  await signIn(page, userByRole("viewer"), `/topics/${encodeURIComponent(process.env.FANOUT_E2E_TOPIC_ARN!)}`);
  // Until the page is hydrated a choice in the select is not seen; choose until the message changes.
  await expect(async () => {
    await page.getByLabel("Sample", { exact: true }).selectOption({ label: "Order paid" });
    await expect(page.locator("textarea").first()).toHaveValue(/order\.paid/, { timeout: 1000 });
  }).toPass();
  await page.getByRole("button", { name: "Who gets this event?" }).click();
  const results = page.getByRole("region", { name: "Routing result" });
  await expect(results).toContainText("1 of 2 subscriptions receive this event.");
  await expect(results.locator(".route-card", { hasText: "e2e-inventory" })).toContainText("does not receive");
  await expect(results.locator(".route-card", { hasText: "e2e-audit" })).toContainText(
    "no filter policy: receives every message",
  );
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});

test("the editor has no accessibility violations", async ({ page }) => {
  await signIn(page, userByRole("viewer"), editorPath());
  await expect(page.getByLabel("Key", { exact: true }).first()).toBeVisible();
  const violations = async () =>
    (await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze()).violations.map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
  expect(await violations()).toEqual([]);
  await page.getByRole("tab", { name: "JSON" }).click();
  await expect(page.getByLabel("Policy JSON")).toBeVisible();
  expect(await violations()).toEqual([]);
});

test("where the local endpoint differs from AWS the editor says so, and a policy that would break its deliveries needs the topic name typed", async ({
  page,
}) => {
  await signIn(page, userByRole("operator"), editorPath());
  await page.getByLabel("Scope").selectOption("MessageBody");
  await page.getByRole("tab", { name: "JSON" }).click();
  await page
    .getByLabel("Policy JSON")
    .fill(JSON.stringify({ $or: [{ type: ["order.placed"] }, { amount: [{ numeric: [">", 100] }] }] }));
  const note = page.getByRole("note");
  await expect(note).toContainText("This endpoint (moto) differs from AWS here");
  await expect(note).toContainText("fails every Publish to the topic");
  // The form shows the same note on the $or group itself.
  await page.getByRole("tab", { name: "Form" }).click();
  await expect(page.locator(".or-group .rule-notes")).toContainText("fails every Publish");
  await page.getByRole("button", { name: "Review and save…" }).click();
  const save = page.getByRole("dialog").getByRole("button", { name: "Save to AWS" });
  await expect(save).toBeDisabled();
  await page.getByLabel("Topic name to confirm").fill("e2e-orders");
  await expect(save).toBeEnabled();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
});

test("a message saved as a sample is there for the whole team, and its saving is audited", async ({ page }) => {
  await signIn(page, userByRole("operator"), editorPath());
  const testPanel = page.getByRole("region", { name: "Test a message" });
  await testPanel
    .getByRole("textbox")
    .fill(JSON.stringify({ eventType: { Type: "String", Value: "order.cancelled" } }));
  await testPanel.getByRole("button", { name: "save this message…" }).click();
  await testPanel.getByLabel("Sample name").fill("cancelled order, attributes only");
  await testPanel.getByRole("button", { name: "Save sample" }).click();
  await expect(testPanel.getByLabel("Sample", { exact: true }).locator("option:checked")).toHaveText(
    "cancelled order, attributes only",
  );

  await page.reload();
  const picker = page.getByRole("region", { name: "Test a message" }).getByLabel("Sample", { exact: true });
  await picker.selectOption({ label: "cancelled order, attributes only" });
  await expect(page.getByRole("region", { name: "Test a message" }).getByRole("textbox")).toHaveValue(
    /order\.cancelled/,
  );

  await page.goto("/audit?action=sample-message.create");
  await expect(page.locator("tbody tr").first()).toContainText("otto");
});

test("the test panel takes a real dead letter of the subscription, and says why there are no recent events", async ({
  page,
}) => {
  await signIn(page, userByRole("viewer"), editorPath());
  const testPanel = page.getByRole("region", { name: "Test a message" });
  await testPanel.getByRole("button", { name: "load dead letters" }).click();
  await expect(testPanel.getByText(/Loaded 1 dead letter/)).toBeVisible();
  const option = testPanel
    .getByLabel("Sample", { exact: true })
    .locator("optgroup[label='Dead letters of this subscription'] option");
  await expect(option).toHaveCount(1);
  await testPanel.getByLabel("Sample", { exact: true }).selectOption({ label: (await option.textContent())! });
  // Body or attributes, whichever the policy's scope tests: both name the event type.
  await expect(testPanel.getByRole("textbox")).toHaveValue(/order\.placed/);

  // The e2e console has no tap queue configured: it says so instead of inventing events.
  await testPanel.getByRole("button", { name: "load recent events" }).click();
  await expect(testPanel.getByText(/No tap queue is configured \(FANOUT_TAP_QUEUE\)/)).toBeVisible();
});

test("an unsaved edit asks before it is lost: on an in-app link, and on closing the tab", async ({ page }) => {
  await signIn(page, userByRole("operator"), editorPath());
  const json = page.getByLabel("Policy JSON");
  const auditLink = page.getByRole("navigation", { name: "Console sections" }).getByRole("link", { name: "Audit" });
  const leave = page.getByRole("dialog", { name: "Leave without saving?" });
  await page.getByRole("tab", { name: "JSON" }).click();
  const saved = await json.innerText();
  const edit = JSON.stringify({ eventType: ["order.refunded"] });
  await json.fill(edit);

  // Staying keeps the page and the edit.
  await auditLink.click();
  await expect(leave).toBeVisible();
  await leave.getByRole("button", { name: "Cancel" }).click();
  await expect(leave).toBeHidden();
  expect(new URL(page.url()).pathname).toBe(editorPath());
  expect(JSON.parse(await json.innerText())).toEqual({ eventType: ["order.refunded"] });

  // Leaving goes where the link pointed.
  await auditLink.click();
  await leave.getByRole("button", { name: "Leave and discard" }).click();
  await expect(page).toHaveURL(/\/audit$/);

  // An edit undone asks nothing.
  await page.goBack();
  await page.getByRole("tab", { name: "JSON" }).click();
  await expect(json).not.toHaveText(edit);
  await json.fill(edit);
  await json.fill(saved);
  await auditLink.click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(leave).toHaveCount(0);

  // Closing the tab with an edit gets the browser's own prompt.
  await page.goBack();
  await page.getByRole("tab", { name: "JSON" }).click();
  await json.fill(edit);
  const prompt = page.waitForEvent("dialog");
  await page.close({ runBeforeUnload: true });
  const dialog = await prompt;
  expect(dialog.type()).toBe("beforeunload");
  await dialog.accept();
});

test("an unsaved edit asks before the browser's Back leaves it; staying keeps the edit, leaving goes back", async ({
  page,
}) => {
  await signIn(page, userByRole("operator"), "/filter-policies");
  await page.getByRole("link", { name: "e2e-inventory" }).click();
  await expect(page).toHaveURL(new RegExp(`${editorPath().replace(/[.]/g, "\\.")}$`));
  const json = page.getByLabel("Policy JSON");
  const leave = page.getByRole("dialog", { name: "Leave without saving?" });
  await page.getByRole("tab", { name: "JSON" }).click();
  const edit = { eventType: ["order.refunded"] };
  await json.fill(JSON.stringify(edit));

  // Staying keeps the page and the edit.
  await page.goBack();
  await expect(leave).toBeVisible();
  await leave.getByRole("button", { name: "Cancel" }).click();
  await expect(leave).toBeHidden();
  expect(new URL(page.url()).pathname).toBe(editorPath());
  expect(JSON.parse(await json.innerText())).toEqual(edit);

  // Asked again on the next Back; leaving goes back to the list.
  await page.goBack();
  await expect(leave).toBeVisible();
  await leave.getByRole("button", { name: "Leave and discard" }).click();
  await expect(page).toHaveURL(/\/filter-policies$/);
  await expect(leave).toHaveCount(0);

  // Forward returns to the policy as saved, and Back with nothing unsaved asks nothing.
  await page.goForward();
  await expect(page).toHaveURL(new RegExp(`${editorPath().replace(/[.]/g, "\\.")}$`));
  await page.getByRole("tab", { name: "JSON" }).click();
  await expect(json).not.toHaveText(JSON.stringify(edit));
  await page.goBack();
  await expect(page).toHaveURL(/\/filter-policies$/);
});
