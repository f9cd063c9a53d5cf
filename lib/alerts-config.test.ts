import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  configuredDestinations,
  consoleBaseUrl,
  destinationOf,
  destinationPolicyOf,
  WEBHOOK_DESTINATION_ID,
} from "./alerts-config";
import { loadConfig } from "./env";

const local = { AWS_ENDPOINT_URL: "http://127.0.0.1:4566" };

describe("the alerts' destinations from the configuration", () => {
  it("are none without FANOUT_ALERTS_WEBHOOK", () => {
    const config = loadConfig(local);
    expect(configuredDestinations(config)).toEqual([]);
    expect(destinationOf(config, WEBHOOK_DESTINATION_ID)).toBeUndefined();
  });

  it("are the one webhook, its secret added only when it is looked up to send", () => {
    const config = loadConfig({
      ...local,
      FANOUT_ALERTS_WEBHOOK: "http://127.0.0.1:9000/hook",
      FANOUT_ALERTS_WEBHOOK_SECRET: "w".repeat(32),
      FANOUT_ALERTS_ALLOWED_HOSTS: "alerts.example.com",
    });
    expect(configuredDestinations(config)).toEqual([{ id: "webhook", kind: "webhook" }]);
    expect(destinationOf(config, "webhook")).toEqual({
      id: "webhook",
      kind: "webhook",
      url: "http://127.0.0.1:9000/hook",
      secret: "w".repeat(32),
    });
    expect(destinationOf(config, "slack")).toBeUndefined();
    expect(destinationPolicyOf(config)).toEqual({ localMode: true, allowedHosts: ["alerts.example.com"] });
  });

  it("sign with the secret generated in the data dir when none is given", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "fanout-alerts-config-"));
    const config = loadConfig({ ...local, FANOUT_DATA_DIR: dataDir, FANOUT_ALERTS_WEBHOOK: "http://127.0.0.1:9000/" });
    const destination = destinationOf(config, "webhook");
    expect(destination).toMatchObject({ kind: "webhook", secret: expect.stringMatching(/^.{32,}$/) });
    expect(destinationOf(config, "webhook")).toEqual(destination);
  });
});

describe("the console's base URL for links", () => {
  it("is NEXTAUTH_URL without its trailing slash, else the local port", () => {
    expect(consoleBaseUrl(loadConfig({ ...local, NEXTAUTH_URL: "https://fanout.example.com/" }))).toBe(
      "https://fanout.example.com",
    );
    expect(consoleBaseUrl(loadConfig({ ...local, PORT: "3100" }))).toBe("http://localhost:3100");
  });
});
