import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { forgetSession, signIn, submitLogin, userByRole } from "./helpers";

/** Headers, cookies, sign-in limits and audit, and what the browser is sent. */

test("pages carry a nonce-based Content-Security-Policy that Next's own scripts satisfy, and the hardening headers", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  const res = await page.goto("/login");
  const csp = res!.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(res!.headers()).toMatchObject({
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
  });
  // Every script Next rendered carries this response's nonce, and the page hydrated under the policy.
  const scriptNonces = await page
    .locator("script")
    .evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));
  await submitLogin(page, userByRole("viewer").username, userByRole("viewer").password);
  await expect(page.getByTestId("signed-in-user")).toContainText("viewer");
  expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  // A second request gets a fresh nonce.
  const again = (await page.request.get("/login")).headers()["content-security-policy"];
  expect(again).not.toContain(nonce!);
});

test("API answers forbid loading, running and framing anything", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.headers()["content-security-policy"]).toBe(
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  );
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
});

test("the session cookie is HttpOnly, SameSite=Lax and expires within a working shift", async ({ page, context }) => {
  await signIn(page, userByRole("viewer"));
  const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  const hours = (cookie!.expires * 1000 - Date.now()) / 3_600_000;
  expect(hours).toBeGreaterThan(7.9);
  expect(hours).toBeLessThanOrEqual(8);
});

test("sign-ins are audited, granted or not, and the audit trail exports as JSON Lines and cannot be edited", async ({
  page,
  browser,
  playwright,
  baseURL,
}) => {
  const stranger = await playwright.request.newContext({ baseURL });
  const csrf = ((await (await stranger.get("/api/auth/csrf")).json()) as { csrfToken: string }).csrfToken;
  const viewer = userByRole("viewer");
  await stranger.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf, username: viewer.username, password: "not-the-password", json: "true" },
  });
  await stranger.dispose();
  await signIn(page, viewer);

  type Line = { outcome: string; detail?: string; role: string; after: { provider: string } };
  const res = await page.request.get(`/api/audit?action=auth.sign-in&actor=${viewer.username}&format=jsonl`);
  expect(res.headers()["content-type"]).toContain("application/x-ndjson");
  expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="fanout-audit-.*\.jsonl"$/);
  const lines = (await res.text())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Line);
  expect(lines[0]).toMatchObject({ outcome: "success", role: "viewer", after: { provider: "credentials" } });
  // A failed sign-in's typed name is for admins only: a viewer cannot find one by name.
  expect(lines.every((l) => l.outcome === "success")).toBe(true);
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, userByRole("admin"));
  const asAdmin = (
    await (await admin.request.get(`/api/audit?action=auth.sign-in&actor=${viewer.username}&format=jsonl`)).text()
  )
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Line);
  expect(asAdmin.some((l) => l.outcome === "failure" && l.detail === "wrong username or password")).toBe(true);
  expect(JSON.stringify([...lines, ...asAdmin])).not.toContain("not-the-password");
  await admin.context().close();

  for (const method of ["DELETE", "PUT", "PATCH", "POST"]) {
    const attempt = await page.request.fetch("/api/audit", { method, headers: { origin: new URL(page.url()).origin } });
    expect(attempt.status(), method).toBe(405);
  }
});

test("sign-in attempts are limited per user: past five failures the form says so, and the refusals are audited", async ({
  page,
}) => {
  const probe = `probe-${Date.now().toString(36)}`;
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await submitLogin(page, probe, "wrong");
    await expect(page.locator(".form-error")).toHaveText("Wrong username or password.");
  }
  await submitLogin(page, probe, "wrong");
  await expect(page.locator(".form-error")).toHaveText(
    "Too many failed sign-ins for this user or from this address. Wait a few minutes and try again.",
  );
  await signIn(page, userByRole("admin"));
  const entries = (
    (await (await page.request.get(`/api/audit?action=auth.sign-in&actor=${probe}`)).json()) as {
      entries: Array<{ outcome: string; detail: string }>;
    }
  ).entries;
  expect(entries.map((e) => e.detail)).toEqual([
    expect.stringMatching(/^refused: too many failed sign-ins for this user; allowed again in \d+ s; 1 refused since /),
    ...Array(5).fill("wrong username or password"),
  ]);

  // Further refusals of the locked name are counted, not written one row each; viewers see no typed name.
  await forgetSession(page);
  await page.goto("/login");
  for (let i = 0; i < 3; i++) {
    await submitLogin(page, probe, "wrong");
    await expect(page.locator(".form-error")).toHaveText(/Too many failed sign-ins/);
  }
  await signIn(page, userByRole("admin"));
  expect(
    ((await (await page.request.get(`/api/audit?action=auth.sign-in&actor=${probe}`)).json()) as { entries: unknown[] })
      .entries,
  ).toHaveLength(6);
  await forgetSession(page);
  await signIn(page, userByRole("viewer"));
  const seen = JSON.stringify(await (await page.request.get("/api/audit?action=auth.sign-in&outcome=failure")).json());
  expect(seen).not.toContain(probe);
  expect(seen).toContain("(hidden: failed sign-in)");
});

test("the browser is sent no server secret: no credentials, auth secret, password hash or server-only module in the client bundles", async () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(js|css|json|map)$/.test(entry)) files.push(full);
    }
  };
  walk(".next/static");
  expect(files.length).toBeGreaterThan(10);
  const authSecret = readFileSync(path.join(process.env.FANOUT_E2E_DATA_DIR!, "auth-secret"), "utf8").trim();
  const forbidden = [
    authSecret,
    "AWS_SECRET_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "NEXTAUTH_SECRET",
    "FANOUT_OIDC_CLIENT_SECRET",
    "secretAccessKey",
    "$2a$",
    "$2b$",
    "better-sqlite3",
    "@aws-sdk/client-",
    "auth-secret",
  ];
  const leaks = files.flatMap((f) => {
    const text = readFileSync(f, "utf8");
    return forbidden
      .filter((s) => text.includes(s))
      .map((s) => `${path.relative(".next/static", f)}: ${s === authSecret ? "the auth secret" : s}`);
  });
  expect(leaks).toEqual([]);
});

test("pausing and resuming a queue's consumer is audited, each with its request id", async ({ page }) => {
  const queue = (JSON.parse(process.env.FANOUT_E2E_PIPELINE!) as { queues: string[] }).queues.find((q) =>
    q.endsWith("-payment.fifo"),
  )!;
  await signIn(page, userByRole("operator"));
  const origin = new URL(page.url()).origin;
  const { consumers } = (await (await page.request.get(`/api/queues/${queue}/consumers`)).json()) as {
    consumers: Array<{ uuid: string; enabled: boolean }>;
  };
  const uuid = consumers[0]!.uuid;
  const requestIds: string[] = [];
  try {
    for (const enabled of [false, true]) {
      const res = await page.request.put(`/api/queues/${queue}/consumers`, {
        headers: { origin },
        data: { uuid, enabled },
      });
      expect(res.status()).toBe(200);
      requestIds.push(res.headers()["x-request-id"]!);
    }
  } finally {
    await page.request.put(`/api/queues/${queue}/consumers`, { headers: { origin }, data: { uuid, enabled: true } });
  }
  const operator = userByRole("operator").username;
  const entries = (
    (await (await page.request.get(`/api/audit?actor=${operator}&limit=50`)).json()) as {
      entries: Array<{ action: string; requestId: string; outcome: string; target: string }>;
    }
  ).entries;
  expect(requestIds.map((id) => entries.find((e) => e.requestId === id))).toMatchObject([
    { action: "consumer.pause", outcome: "success", target: expect.stringContaining(queue) },
    { action: "consumer.resume", outcome: "success", target: expect.stringContaining(queue) },
  ]);
});
