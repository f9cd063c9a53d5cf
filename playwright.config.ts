import { defineConfig, devices } from "@playwright/test";
import { chromiumArgs, findInstalledChromium } from "./scripts/lib/chromium";

/**
 * End-to-end tests in a real Chromium against the production build (`next build && next start`)
 * and a moto server of their own, both on free loopback ports (see e2e/global-setup.ts).
 */
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  outputDir: ".test-output/e2e-artifacts",
  reporter: [["list"], ["json", { outputFile: ".test-output/e2e.json" }]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: process.env.FANOUT_E2E_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: findInstalledChromium(), args: chromiumArgs },
  },
});
