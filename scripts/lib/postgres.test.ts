import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createDatabase, findPostgresBinaries, psql, startThrowawayPostgres } from "./postgres";
import { isPortInUse } from "./processes";

/** A fake installation: a bin folder holding empty files named as the programs the harness runs. */
function fakeBin(dir: string) {
  mkdirSync(dir, { recursive: true });
  for (const program of ["initdb", "postgres", "pg_isready", "psql"]) writeFileSync(path.join(dir, program), "");
  return dir;
}

describe("findPostgresBinaries", () => {
  it("takes the newest of Debian's versions by number, not by spelling", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "fanout-pg-bins-"));
    for (const version of ["9.6", "15", "10"]) fakeBin(path.join(root, version, "bin"));
    mkdirSync(path.join(root, "17")); // a version whose server package is gone: no bin folder
    expect(findPostgresBinaries({ debianRoot: root, searchPath: "" })).toBe(path.join(root, "15", "bin"));
  });

  it("falls back to the first PATH folder holding the server and its tools", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "fanout-pg-bins-"));
    const clientOnly = path.join(root, "client");
    mkdirSync(clientOnly);
    writeFileSync(path.join(clientOnly, "psql"), "");
    const server = fakeBin(path.join(root, "server"));
    const searchPath = [clientOnly, server].join(path.delimiter);
    expect(findPostgresBinaries({ debianRoot: path.join(root, "none"), searchPath })).toBe(server);
    expect(findPostgresBinaries({ debianRoot: path.join(root, "none"), searchPath: clientOnly })).toBeUndefined();
  });
});

describe("a throwaway PostgreSQL", () => {
  it("serves a database of its own, then stops, leaving neither its folder nor its port behind", async () => {
    const postgres = await startThrowawayPostgres();
    try {
      expect(postgres.url).toBe(`postgres://fanout@127.0.0.1:${postgres.port}/postgres`);
      if (process.getuid?.() === 0) expect(statSync(postgres.dir).uid).not.toBe(0);

      const url = await createDatabase(postgres.url, "harness_check");
      expect(url).toBe(`postgres://fanout@127.0.0.1:${postgres.port}/harness_check`);
      expect(await psql(url, "SELECT 1")).toBe("1\n");
      expect(await psql(url, "SELECT current_database()")).toBe("harness_check\n");
      await expect(createDatabase(postgres.url, "harness_check")).rejects.toThrow(/already exists/);
    } finally {
      await postgres.stop();
    }
    expect(existsSync(postgres.dir)).toBe(false);
    expect(await isPortInUse(postgres.port)).toBe(false);
  });

  it("refuses a database name that would need quoting", async () => {
    await expect(createDatabase("postgres://fanout@127.0.0.1:1/postgres", "x; DROP DATABASE postgres")).rejects.toThrow(
      /database name/,
    );
  });
});
