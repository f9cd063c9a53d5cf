import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseEnvironments } from "../../lib/domain/environments";
import { readEnvironments } from "../../lib/environments";
import { rolesOutsideEnvironments, usersSchema, type UserEntry } from "../../lib/env";
import { demoEnvironments, environmentsFileEntries, writeEnvironmentsFile } from "./demo-environments";
import { ensureDemoUsers } from "./demo-users";

const endpoint = "http://127.0.0.1:4566";

let dataDir: string;
beforeEach(() => void (dataDir = mkdtempSync(path.join(tmpdir(), "fanout-demo-environments-"))));
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe("the demo's environments", () => {
  it("are a valid FANOUT_ENVIRONMENTS: production first, then staging in its own account and region", () => {
    const parsed = parseEnvironments(environmentsFileEntries(endpoint));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(
      parsed.environments.map((e) => [e.id, e.kind, e.accountId, e.regions, e.local, e.serviceEndpoints.lambda]),
    ).toEqual([
      ["production", "production", "123456789012", ["us-east-1"], true, endpoint],
      ["staging", "staging", "222222222222", ["eu-west-1"], true, endpoint],
    ]);
    expect(parsed.environments.map((e) => e.credentials)).toEqual([
      {
        source: "assume-role",
        roleArn: "arn:aws:iam::123456789012:role/fanout-console",
        externalId: "fanout-demo-production",
        sessionName: "fanout-console",
      },
      {
        source: "assume-role",
        roleArn: "arn:aws:iam::222222222222:role/fanout-console",
        externalId: "fanout-demo-staging",
        sessionName: "fanout-console",
      },
    ]);
  });

  it("fail more in staging than in production", () => {
    const [production, staging] = demoEnvironments;
    expect(staging!.traffic.poisonShare).toBeGreaterThan(production!.traffic.poisonShare);
  });

  it("are written as a YAML file the console reads back as the same environments", () => {
    const file = writeEnvironmentsFile(dataDir, endpoint);
    expect(path.basename(file)).toBe("environments.yaml");
    expect(readFileSync(file, "utf8")).toMatch(/^# The demo's environments/);
    expect(readEnvironments(file)).toEqual(parseEnvironments(environmentsFileEntries(endpoint)));
  });

  it("are the ones the demo users' per-environment roles name, in a users file the console accepts", () => {
    const users = ensureDemoUsers(dataDir, false);
    const parsed = usersSchema.safeParse(JSON.parse(readFileSync(users.usersFile, "utf8")));
    if (!parsed.success) throw new Error(parsed.error.message);
    const parsedEnvironments = parseEnvironments(environmentsFileEntries(endpoint));
    if (!parsedEnvironments.ok) throw new Error(JSON.stringify(parsedEnvironments.issues));
    expect(parsed.data.filter((u) => u.roles).map((u) => [u.username, u.role, u.roles])).toEqual([
      ["contractor", "viewer", { staging: "operator" }],
    ]);
    expect(rolesOutsideEnvironments(parsed.data as UserEntry[], parsedEnvironments.environments)).toEqual([]);
  });
});
