/**
 * Takes the README's screenshots of the start page, a grouped DLQ and a narrow screen from a
 * running demo (start it first and let it run a few minutes, so dead letters and traces exist):
 *   PORT=3310 npm run demo            # in one terminal
 *   PORT=3310 npx tsx scripts/screenshots.ts
 * Signs in as the demo's operator with the password from .fanout/demo-passwords.txt and writes
 * palette PNGs to docs/. Viewport shots, not full pages: a README image should show one screen.
 */
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
// sharp comes with Next.js (its optional dependency for images, prebuilt for the usual platforms).
import sharp, { type Sharp } from "sharp";
import { chromiumArgs, findInstalledChromium } from "./lib/chromium";
import { passwordsFileName, readPasswordsFile } from "./lib/demo-users";
import { projectRoot } from "./lib/project-root";

const baseURL = `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const dataDir = path.resolve(process.env.FANOUT_DATA_DIR ?? path.join(projectRoot, ".fanout"));
const docsDir = path.join(projectRoot, "docs");
const dlq = "fanout-demo-payment-dlq.fifo";

/** Waits until the page's queries have answered: no loading skeleton left on screen. */
async function settled(page: Page) {
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  await page.waitForFunction(() => !document.querySelector(".skeleton"), undefined, { timeout: 60_000 });
  // Charts and graphs lay themselves out after their data arrives.
  await page.waitForTimeout(1_000);
}

/** A palette PNG keeps a console screenshot (flat colours, text) sharp at a fraction of the size. */
async function save(image: Sharp, name: string) {
  const file = path.join(docsDir, name);
  await image.png({ palette: true, quality: 90, compressionLevel: 9, effort: 10 }).toFile(file);
  console.log(`wrote ${path.relative(projectRoot, file)}`);
}

/**
 * Opens the DLQ and, through one poison letter's "View trace", gives that letter the exception it
 * failed with, so the groups show both sources: "(trace)" and "(shape)".
 */
async function openGroupedDeadLetters(page: Page) {
  const groups = page.getByRole("region", { name: "Why they failed" }).getByTestId("failure-group");
  await page.goto(`/dead-letters/${dlq}`);
  await groups.first().waitFor({ timeout: 60_000 });
  await page.getByRole("listbox").getByRole("option").filter({ hasText: "poison:boolean" }).first().click();
  await page.getByRole("link", { name: "View trace" }).click();
  await page.locator(".trace-story-reason").waitFor({ timeout: 60_000 });
  await page.goBack();
  await groups.filter({ hasText: "(trace)" }).first().waitFor({ timeout: 60_000 });
  // The depth was read before this view's lease: wait for its next refresh (every 15 s).
  await page.waitForTimeout(16_000);
}

async function main() {
  const operator = readPasswordsFile(path.join(dataDir, passwordsFileName))?.find((l) => l.role === "operator");
  if (!operator)
    throw new Error(`no operator password in ${path.join(dataDir, passwordsFileName)}: is the demo running?`);
  const browser = await chromium.launch({ executablePath: findInstalledChromium(), args: chromiumArgs });
  try {
    const page = await browser.newPage({ baseURL, viewport: { width: 1440, height: 900 }, colorScheme: "light" });
    await page.goto("/incidents");
    await page.getByLabel("Username").fill(operator.username);
    await page.getByLabel("Password").fill(operator.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/incidents/);
    await settled(page);
    await save(sharp(await page.screenshot()), "incidents.png");

    // Taller, so that the groups and the list's Failure column are both in view.
    await page.setViewportSize({ width: 1440, height: 1200 });
    await openGroupedDeadLetters(page);
    await save(sharp(await page.screenshot()), "dead-letter-groups.png");

    // Two phones side by side: the menu folded open on the start page, and a DLQ's groups and list.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/incidents");
    await settled(page);
    await page.getByRole("button", { name: "Menu" }).click();
    const menu = await page.screenshot();
    await openGroupedDeadLetters(page);
    await page.getByRole("heading", { name: "Why they failed" }).evaluate((el) => {
      el.scrollIntoView();
      window.scrollBy(0, -24);
    });
    const groups = await page.screenshot();
    await page.goto("/dead-letters");
    const gap = 24;
    await save(
      sharp({ create: { width: 390 * 2 + gap, height: 844, channels: 3, background: "#ffffff" } }).composite([
        { input: menu, left: 0, top: 0 },
        { input: groups, left: 390 + gap, top: 0 },
      ]),
      "narrow.png",
    );
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
