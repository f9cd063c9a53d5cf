import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

const systemBrowsers = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

/** Chromium flags for a headless run on a machine with a closed network and no user namespace sandbox. */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The first browser already on this machine: CHROMIUM_PATH, a system Chromium or Chrome, then Playwright's own. */
export function findInstalledChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const system = systemBrowsers.find((p) => existsSync(p));
  if (system) return system;
  const bundled = chromium.executablePath();
  return bundled && existsSync(bundled) ? bundled : undefined;
}

function attempt(label: string, command: string, args: string[], timeoutMs: number): boolean {
  console.log(`[browser] ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", timeout: timeoutMs });
  return result.status === 0;
}

/**
 * Finds a Chromium for the end-to-end tests, installing one if none is present: Playwright's
 * download first (the usual route on a developer's machine), then Debian's package when running
 * as root (the route where Playwright's download is blocked). Throws with the commands to run.
 */
export function ensureChromium(): string {
  if (process.env.CHROMIUM_PATH && !existsSync(process.env.CHROMIUM_PATH)) {
    throw new Error(
      `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist. Point it at a Chromium or Chrome binary, or unset it.`,
    );
  }
  let found = findInstalledChromium();
  if (found) return found;
  attempt("no Chromium found, trying Playwright's download", "npx", ["playwright", "install", "chromium"], 180_000);
  found = findInstalledChromium();
  if (found) return found;
  const isDebian = existsSync("/etc/debian_version");
  const isRoot = process.getuid?.() === 0;
  if (isDebian && isRoot) {
    attempt("trying Debian's package", "apt-get", ["update", "-qq"], 300_000);
    attempt("trying Debian's package", "apt-get", ["install", "-y", "-qq", "chromium"], 600_000);
    found = findInstalledChromium();
    if (found) return found;
  }
  throw new Error(
    [
      "No Chromium for the end-to-end tests, and none could be installed. Any one of these fixes it:",
      "  npx playwright install chromium          (Playwright's own browser)",
      "  sudo apt-get install -y chromium         (Debian, Ubuntu)",
      "  CHROMIUM_PATH=/path/to/chrome npm test   (a browser you already have)",
    ].join("\n"),
  );
}
