import { createWriteStream, mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { localConsoleEnv, startConsole, type RunningConsole } from "../scripts/lib/console";
import { findFreePort } from "../scripts/lib/processes";
import { startOidcProvider, type OidcLogin, type OidcProvider } from "../test/oidc-provider";
import { e2eEnvironments } from "./seed";

/**
 * Single sign-on end to end: a console of its own, configured for OIDC against the test provider
 * (test/oidc-provider.ts), with the e2e environments mapping the provider's groups to roles. The
 * shared e2e console has no single sign-on, so this one runs beside it on the same moto.
 */
const stagingPages = "/e/staging/eu-west-1";
const stagingApi = "/api/e/staging/eu-west-1";
const productionApi = "/api/e/production/us-east-1";
const client = { clientId: "fanout-e2e", clientSecret: "fanout-e2e-client-secret" };

/**
 * The e2e environments, with groups: payments-ops operates staging, auditors view both, and the
 * inventory team operates production's inventory queues only (a binding on an ARN pattern).
 */
function environmentsWithGroups(): string {
  const { lambdaEndpoint } = JSON.parse(process.env.FANOUT_E2E_PIPELINE!) as { lambdaEndpoint: string };
  const groups: Record<string, Record<string, unknown>> = {
    production: {
      auditors: "viewer",
      "inventory-team": [{ role: "operator", resources: ["arn:aws:sqs:*:*:e2e-inventory*"] }],
    },
    staging: { "payments-ops": "operator", auditors: "viewer" },
  };
  const environments = JSON.parse(e2eEnvironments(process.env.FANOUT_E2E_AWS_ENDPOINT!, lambdaEndpoint)) as {
    id: string;
  }[];
  return JSON.stringify(environments.map((environment) => ({ ...environment, groups: groups[environment.id] })));
}

test.describe("single sign-on through an OIDC provider", () => {
  let provider: OidcProvider;
  let sso: RunningConsole;
  const logTo = createWriteStream(".test-output/e2e-sso.log");

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    provider = await startOidcProvider(client);
    const port = await findFreePort();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-sso-"));
    const { lambdaEndpoint } = JSON.parse(process.env.FANOUT_E2E_PIPELINE!) as { lambdaEndpoint: string };
    sso = await startConsole({
      host: "127.0.0.1",
      port,
      logTo,
      env: {
        ...localConsoleEnv({ port, awsEndpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!, lambdaEndpoint, dataDir }),
        FANOUT_OIDC_ISSUER: provider.issuer,
        FANOUT_OIDC_CLIENT_ID: client.clientId,
        FANOUT_OIDC_CLIENT_SECRET: client.clientSecret,
        FANOUT_OIDC_GROUPS_CLAIM: "groups",
        FANOUT_ENVIRONMENTS: environmentsWithGroups(),
      },
    });
  });
  test.afterAll(async () => {
    await sso?.stop();
    await provider?.stop();
    logTo.end();
  });

  /** A fresh browser that opens `pagePath` on the SSO console and signs in there as `login`. */
  async function signInWithSso(browser: Browser, login: OidcLogin, pagePath: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: sso.url });
    const page = await context.newPage();
    await page.goto(pagePath);
    await expect(page).toHaveURL(/\/login/);
    provider.nextLogin(login);
    await page.getByRole("button", { name: "Sign in with single sign-on" }).click();
    return page;
  }

  /** Whether the operator route answers past the role check (the mapping does not exist: its own 4xx). */
  const disableConsumer = (page: Page, api: string, queue: string) =>
    page.request.put(`${api}/queues/${queue}/consumers`, {
      headers: { origin: sso.url },
      data: { uuid: "00000000-0000-0000-0000-000000000000", enabled: false },
    });

  const rolesByEnvironment = async (page: Page) => {
    const overview = (await (await page.request.get("/api/overview")).json()) as {
      scopes: { environment: { id: string }; role: string }[];
    };
    return Object.fromEntries(overview.scopes.map((scope) => [scope.environment.id, scope.role]));
  };

  test("a member of payments-ops operates staging, where the group is mapped, and only views production", async ({
    browser,
  }) => {
    const page = await signInWithSso(
      browser,
      { sub: "sso-1", preferred_username: "pat", fanout_role: "viewer", groups: ["payments-ops"] },
      `${stagingPages}/dead-letters`,
    );
    await expect(page).toHaveURL(`${stagingPages}/dead-letters`);
    await expect(page.getByTestId("signed-in-user")).toHaveText("oidc:pat operator");
    expect((await disableConsumer(page, stagingApi, "stg-shipping")).status()).not.toBe(403);
    const inProduction = await disableConsumer(page, productionApi, "e2e-inventory");
    expect(inProduction.status()).toBe(403);
    await page.goto("/e/production/us-east-1/dead-letters");
    await expect(page.getByTestId("signed-in-user")).toHaveText("oidc:pat viewer");
    // The token endpoint was called as next-auth's client does by default.
    expect(provider.tokenAuthMethods).toContain("client_secret_basic");
    await page.context().close();
  });

  test("a member of a viewer group and an operator group gets the higher role, only where it is mapped", async ({
    browser,
  }) => {
    const page = await signInWithSso(
      browser,
      { sub: "sso-2", preferred_username: "quinn", fanout_role: "viewer", groups: ["auditors", "payments-ops"] },
      `${stagingPages}/topology`,
    );
    await expect(page.getByTestId("signed-in-user")).toHaveText("oidc:quinn operator");
    expect(await rolesByEnvironment(page)).toEqual({ production: "viewer", staging: "operator" });
    expect((await disableConsumer(page, productionApi, "e2e-inventory")).status()).toBe(403);
    await page.context().close();
  });

  test("a group mapped to a binding on some queues is enough to sign in, and acts on those queues only", async ({
    browser,
  }) => {
    // No role claim: the group's binding is all the user has.
    const page = await signInWithSso(
      browser,
      { sub: "sso-4", preferred_username: "ines", groups: ["inventory-team"] },
      "/e/production/us-east-1/dead-letters",
    );
    await expect(page).toHaveURL("/e/production/us-east-1/dead-letters");
    await expect(page.getByTestId("signed-in-user")).toHaveText("oidc:ines operator (scoped)");
    // Staging is not hers at all: the overview leaves it out.
    expect(await rolesByEnvironment(page)).toEqual({ production: "operator" });
    expect((await disableConsumer(page, productionApi, "e2e-inventory")).status()).not.toBe(403);
    const elsewhere = await disableConsumer(page, productionApi, "e2e-payments");
    expect(elsewhere.status()).toBe(403);
    expect(((await elsewhere.json()) as { error: { message: string } }).error.message).toContain(
      "None of your bindings reaches arn:aws:sqs:",
    );
    expect((await disableConsumer(page, stagingApi, "stg-shipping")).status()).toBe(403);
    // The topology shows her queues, and says that the rest is outside her bindings rather than absent.
    await page.goto("/e/production/us-east-1/topology");
    await expect(page.getByText(/outside your bindings/).first()).toBeVisible();
    if (process.env.FANOUT_E2E_SCREENSHOTS)
      await page.screenshot({ path: ".test-output/screens/topology-bindings.png" });
    await page.context().close();
  });

  test("a user whose groups map to nothing and who has no role claim is refused, and told why", async ({ browser }) => {
    const page = await signInWithSso(
      browser,
      { sub: "sso-3", preferred_username: "rui", groups: ["everyone", "finance"] },
      `${stagingPages}/dead-letters`,
    );
    await expect(page).toHaveURL(/\/login\?error=NoConsoleRole&refusal=/);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      "Your identity provider account has no Fanout role: none of your groups (everyone, finance) is mapped to a role " +
        "or binding in any environment, and no fanout_role claim was sent. Ask an admin to map one of your groups.",
    );
    // The groups are sealed in the address, not readable there, and no session was made.
    expect(page.url()).not.toContain("finance");
    expect((await page.request.get("/api/overview")).status()).toBe(401);
    mkdirSync(".test-output", { recursive: true });
    await page.screenshot({ path: ".test-output/sso-refusal.png" });

    // A crafted link cannot make the page say something else: only the plain message shows.
    await page.goto("/login?error=NoConsoleRole&refusal=v1.Y3JhZnRlZA");
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(
      "Sign-in failed. Check your credentials, or ask an admin for a console role.",
    );
    await page.context().close();
  });
});
