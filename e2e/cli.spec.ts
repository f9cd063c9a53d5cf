import { execFile } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { expect, test } from "@playwright/test";
import { deadLetterQueueWith, queueDepth, subscribeQueue } from "../test/queues";
import { signIn, userByRole } from "./helpers";

// The command line against the running console, as a CI job would use it: a token, no browser.
const aws = {
  region: "us-east-1",
  endpoint: process.env.FANOUT_E2E_AWS_ENDPOINT!,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
};
const sqs = new SQSClient(aws);
const sns = new SNSClient(aws);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function fanout(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["bin/fanout.mjs", ...args],
      { env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: os.tmpdir(), ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(stdin ?? "");
  });
}

test("a CI job replays a DLQ with --wait, and checks a filter-policy change before applying it", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, userByRole("operator"), "/incidents");
  const url = new URL(page.url()).origin;
  const made = await page.request.post("/api/tokens", {
    headers: { origin: url },
    data: { name: "cli e2e", expiresInDays: 1 },
  });
  expect(made.status()).toBe(201);
  const { token } = (await made.json()) as { token: string };
  const config = path.join(mkdtempSync(path.join(os.tmpdir(), "fanout-cli-")), "cli.json");
  const env = { FANOUT_CLI_CONFIG: config };

  // Help for people, on standard output, exit 0; a bad command line exits 2.
  const help = await fanout(["--help"], env);
  expect(help).toMatchObject({ code: 0, stderr: "" });
  expect(help.stdout).toContain("policy test <subscription> <message-file>");
  expect((await fanout(["replay", "--help"], env)).stdout).toContain("--wait");
  expect((await fanout(["nope"], env)).code).toBe(2);

  // Login checks the token, then keeps it readable by its owner only.
  expect((await fanout(["login", "--url", url], env, "fanout_not_a_token\n")).code).toBe(3);
  const login = await fanout(["login", "--url", url], env, `${token}\n`);
  expect(login.code).toBe(0);
  expect(statSync(config).mode & 0o777).toBe(0o600);
  const envs = await fanout(["env", "list", "--output", "json"], env);
  expect(envs.code).toBe(0);
  expect((JSON.parse(envs.stdout) as { id: string; role: string }[]).map((e) => e.id)).toContain("production");

  // A replay of a whole DLQ, followed to the end.
  const pair = await deadLetterQueueWith(sqs, "cli-replay", 5);
  expect((await fanout(["dlq", "list"], env)).stdout).toContain(pair.dlq);
  const replayed = await fanout(["replay", pair.dlq, "--all", "--wait"], env);
  expect(replayed.stderr).toContain("Started job");
  expect(replayed.stdout).toMatch(/completed: 5 moved, 0 failed/);
  expect(replayed.code).toBe(0);
  expect(await queueDepth(sqs, pair.sourceUrl)).toMatchObject({ visible: 5 });
  const shown = await fanout(["dlq", "show", pair.dlq, "--output", "json"], env);
  expect((JSON.parse(shown.stdout) as { messages: unknown[] }).messages).toEqual([]);

  // A policy change checked as code: the diff, a test of the candidate, a save against the reviewed base.
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `cli-topic-${Date.now().toString(36)}` }));
  const current = { kind: ["order"] };
  const candidate = { kind: ["order", "refund"] };
  const arn = await subscribeQueue({ sns, sqs }, TopicArn!, `cli-sub-${Date.now().toString(36)}`, {
    FilterPolicy: JSON.stringify(current),
    FilterPolicyScope: "MessageBody",
  });
  const dir = path.dirname(config);
  const file = (name: string, value: unknown) => {
    writeFileSync(path.join(dir, name), typeof value === "string" ? value : JSON.stringify(value));
    return path.join(dir, name);
  };
  const get = await fanout(["policy", "get", arn, "--output", "json"], env);
  expect(JSON.parse(get.stdout)).toEqual({ policy: current, scope: "MessageBody" });
  const diff = await fanout(["policy", "diff", arn, file("candidate.json", candidate)], env);
  expect(diff.code).toBe(1);
  expect(diff.stdout).toContain('+    "refund"');
  const refund = file("refund.json", { body: JSON.stringify({ kind: "refund" }) });
  expect((await fanout(["policy", "test", arn, refund], env)).code).toBe(1);
  expect((await fanout(["policy", "test", arn, refund, "--policy", path.join(dir, "candidate.json")], env)).code).toBe(
    0,
  );
  // Reviewed against another base: refused, and nothing changes.
  const stale = await fanout(
    ["policy", "set", arn, path.join(dir, "candidate.json"), "--expect", file("stale.json", { kind: ["x"] })],
    env,
  );
  expect(stale.code).toBe(3);
  expect(stale.stderr).toContain("409");
  const set = await fanout(
    ["policy", "set", arn, path.join(dir, "candidate.json"), "--expect", file("base.json", current)],
    env,
  );
  expect(set).toMatchObject({ code: 0 });
  expect((await fanout(["policy", "diff", arn, path.join(dir, "candidate.json")], env)).code).toBe(0);

  const slo = await fanout(["sla", "--window", "1h", "--output", "json"], env);
  expect(slo.code).toBe(0);
  expect(JSON.parse(slo.stdout)).toHaveProperty("endToEnd");
  // A revoked token: refused, exit 3.
  const id = token.slice(7, 23);
  expect((await page.request.delete(`/api/tokens/${id}`, { headers: { origin: url } })).status()).toBe(200);
  expect((await fanout(["env", "list"], env)).code).toBe(3);
});
