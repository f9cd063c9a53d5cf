import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createServer } from "node:net";
import type { Writable } from "node:stream";

/** A port the OS says is free on 127.0.0.1 right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Whether something already listens on 127.0.0.1:port. */
export function isPortInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}

function prefixLines(prefix: string, out: Writable, keep: (line: string) => boolean) {
  let partial = "";
  return (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (keep(line)) out.write(`${prefix} ${line}\n`);
  };
}

export interface LoggedProcess {
  child: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts a process in its own process group with every output line prefixed by its name (or
 * written to `logTo`), so several components can share one terminal and be stopped together.
 * `stop()` sends the group `stopSignal` (SIGTERM unless told), then SIGKILL after 5 s.
 */
export function startLogged(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & {
    logTo?: Writable;
    keepLine?: (line: string) => boolean;
    stopSignal?: NodeJS.Signals;
  } = {},
): LoggedProcess {
  const { logTo, keepLine = () => true, stopSignal = "SIGTERM", ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[${name}]`;
  child.stdout?.on("data", prefixLines(prefix, logTo ?? process.stdout, keepLine));
  child.stderr?.on("data", prefixLines(prefix, logTo ?? process.stderr, keepLine));
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(-1));
  });
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      const signal = (sig: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, sig);
        } catch {
          // already gone
        }
      };
      signal(stopSignal);
      const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 5_000).unref());
      if ((await Promise.race([exited, timeout])) === "timeout") {
        signal("SIGKILL");
        await exited;
      }
    },
  };
}

/** Polls `check` until it resolves true, the process dies, or time runs out. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; process?: LoggedProcess },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let died = false;
  void options.process?.exited.then(() => (died = true));
  while (Date.now() < deadline) {
    if (died) throw new Error(`${what}: the process exited before it was ready (see its log above)`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not ready after ${options.timeoutMs / 1000} s`);
}
