import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { run } from "./main";
import { progressBar, table } from "./output";

/** Runs a command line with captured streams and no saved login; nothing here reaches a console. */
async function fanout(args: string[], env: Record<string, string> = { FANOUT_CLI_CONFIG: "/nonexistent/cli.json" }) {
  let stdout = "";
  let stderr = "";
  const sink = (write: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        write(chunk.toString());
        done();
      },
    });
  const code = await run(args, {
    out: sink((s) => (stdout += s)),
    err: sink((s) => (stderr += s)),
    env,
    stdin: () => Promise.resolve(""),
  });
  return { code, stdout, stderr };
}

describe("fanout, the command line", () => {
  it("prints help on standard output with exit 0, for itself and for each command", async () => {
    for (const args of [[], ["--help"], ["help"], ["policy", "set", "--help"], ["replay", "-h"], ["login", "--help"]]) {
      const result = await fanout(args);
      expect(result, args.join(" ")).toMatchObject({ code: 0, stderr: "" });
      expect(result.stdout).toMatch(/^(fanout:|Usage: fanout)/);
    }
    expect((await fanout(["policy", "set", "--help"])).stdout).toContain("--expect");
  });

  it("exits 2 with the reason on standard error for a bad command line, before any request", async () => {
    const cases: [string[], string][] = [
      [["nope"], "unknown command: nope"],
      [["env", "list", "--bogus"], "Unknown option"],
      [["env", "list", "--output", "yaml"], "--output is text or json"],
      [["env", "list"], "no console"],
      [["env", "list", "--url", "http://127.0.0.1:9"], "no API token"],
      [["dlq", "show", "q", "--url", "http://127.0.0.1:9", "--token", "t", "--max", "0"], "--max is a whole number"],
      [["replay", "q", "--url", "http://127.0.0.1:9", "--token", "t"], "replay needs --all"],
      [["sla", "extra", "--url", "http://127.0.0.1:9", "--token", "t"], "sla takes no arguments"],
      [["env", "list", "--url", "http://127.0.0.1:9", "--token", "t", "--env", "x"], "--env and --region go together"],
    ];
    for (const [args, reason] of cases) {
      const result = await fanout(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(reason);
      expect(result.stdout).toBe("");
    }
  });

  it("exits 3 when the console cannot be reached", async () => {
    const result = await fanout(["env", "list", "--url", "http://127.0.0.1:9", "--token", "t"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("cannot reach http://127.0.0.1:9");
  });
});

describe("its output", () => {
  it("draws progress against a total, or counts without one", () => {
    expect(progressBar(350, 1000, 10)).toBe("[####......]  35 % 350/1000");
    expect(progressBar(1000, 1000, 10)).toBe("[##########] 100 % 1000/1000");
    expect(progressBar(7, undefined, 4)).toBe("[....] 7");
  });

  it("pads columns to their widest cell", () => {
    expect(
      table(
        ["A", "BB"],
        [
          ["xyz", "1"],
          ["q", "22"],
        ],
      ),
    ).toBe("A    BB\nxyz  1\nq    22");
    expect(table(["A"], [])).toBe("(none)");
  });
});
