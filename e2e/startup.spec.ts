import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { findFreePort } from "../scripts/lib/processes";

test("the server refuses to start on a bad configuration, naming each variable and its fix", async () => {
  const port = await findFreePort();
  const result = spawnSync("node_modules/.bin/next", ["start", "-H", "127.0.0.1", "-p", String(port)], {
    env: {
      NODE_ENV: "production",
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ENDPOINT_URL: "https://aws.example.com",
      AWS_REGION: "mars",
      PORT: String(port),
    },
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("Fanout cannot start");
  expect(result.stderr).toMatch(/AWS_REGION: "mars" is not an AWS region\n\s+fix: /);
  expect(result.stderr).toMatch(/NEXTAUTH_SECRET: is required when the AWS endpoint is not on this machine\n\s+fix: /);
});
