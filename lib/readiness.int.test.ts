import { describe, expect, inject, it } from "vitest";
import { ConfigError, loadConfig } from "./env";
import { connectStore, openStore, StoreMigrationError } from "./store/db";
import { findFreePort } from "../scripts/lib/processes";
import { temporaryLocation, temporaryStore } from "../test/store-fixtures";
import { readiness } from "./readiness";

const configWith =
  (env: Record<string, string> = {}) =>
  () =>
    loadConfig({ AWS_ENDPOINT_URL: inject("awsEndpoint"), NEXTAUTH_SECRET: "s".repeat(32), ...env });

describe("readiness for a load balancer", () => {
  it("is ready with a valid configuration, a store that answers and every migration applied", async () => {
    const store = await temporaryStore("sqlite");
    expect(await readiness(configWith(), async () => store)).toEqual({
      ready: true,
      checks: [
        { name: "configuration", ok: true },
        { name: "store", ok: true },
        { name: "migrations", ok: true },
      ],
    });
  });

  it("names the invalid variables, and looks no further", async () => {
    const invalid = () => {
      throw new ConfigError([{ variable: "FANOUT_DATABASE_URL", problem: "is not a URL", fix: "…" }]);
    };
    expect(await readiness(invalid, () => Promise.reject(new Error("not asked")))).toEqual({
      ready: false,
      checks: [{ name: "configuration", ok: false, problem: "invalid: FANOUT_DATABASE_URL" }],
    });
  });

  it("is not ready while its PostgreSQL does not answer, and says no more than that", async () => {
    const url = `postgres://fanout:secret@127.0.0.1:${await findFreePort()}/fanout`;
    const verdict = await readiness(configWith({ FANOUT_DATABASE_URL: url }), () =>
      openStore({ databaseUrl: url, sqliteFile: "/nonexistent" }),
    );
    expect(verdict).toEqual({
      ready: false,
      checks: [
        { name: "configuration", ok: true },
        { name: "store", ok: false, problem: "does not answer" },
      ],
    });
    expect(JSON.stringify(verdict)).not.toContain("secret");
  });

  it("is not ready on a store whose migration failed, or that is not migrated yet", async () => {
    const failed = new StoreMigrationError(new Error("permission denied for schema public"), "0001-tables");
    expect((await readiness(configWith(), () => Promise.reject(failed))).checks).toEqual([
      { name: "configuration", ok: true },
      { name: "store", ok: true },
      { name: "migrations", ok: false, problem: "0001-tables failed" },
    ]);
    const location = await temporaryLocation("postgresql");
    const { db: unmigrated } = connectStore(location);
    const verdict = await readiness(configWith({ FANOUT_DATABASE_URL: location.databaseUrl! }), async () => unmigrated);
    expect(verdict.checks.at(-1)).toEqual({
      name: "migrations",
      ok: false,
      problem: expect.stringMatching(/^not applied: 0001-tables, 0002-leases/),
    });
    await unmigrated.destroy();
  });
});
