import { execFile, spawnSync } from "node:child_process";
import {
  chownSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { findFreePort, startLogged, waitUntil } from "./processes";
import { projectRoot } from "./project-root";

const run = promisify(execFile);

/** The programs the harness runs; a folder holding all of them is a PostgreSQL installation. */
const programs = ["initdb", "postgres", "pg_isready", "psql"];

/** The role initdb makes the superuser: every URL of a throwaway server connects as it. */
const superuser = "fanout";

/**
 * The bin folder of the newest PostgreSQL on this machine: Debian's `/usr/lib/postgresql/<version>/bin`
 * (several versions can be installed side by side; `/usr/bin` has only wrappers, no server), else the
 * first folder on the PATH holding the server and its tools (Homebrew, a source build).
 */
export function findPostgresBinaries(where: { debianRoot?: string; searchPath?: string } = {}): string | undefined {
  const { debianRoot = "/usr/lib/postgresql", searchPath = process.env.PATH ?? "" } = where;
  const complete = (dir: string) => programs.every((p) => existsSync(path.join(dir, p)));
  const versions = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const debian = versions.map((v) => path.join(debianRoot, v, "bin")).find(complete);
  return debian ?? searchPath.split(path.delimiter).filter(Boolean).find(complete);
}

const isRoot = () => process.getuid?.() === 0;

/**
 * The PostgreSQL bin folder, installing Debian's `postgresql` package first when it is missing and
 * this process may (root on Debian or Ubuntu). Throws naming the package otherwise.
 */
export function ensurePostgres(): string {
  const found = findPostgresBinaries();
  if (found) return found;
  if (isRoot() && existsSync("/etc/debian_version")) {
    console.log("[postgres] no PostgreSQL found; installing Debian's package: apt-get install -y postgresql");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const updated = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env }).status === 0;
    if (updated) spawnSync("apt-get", ["install", "-y", "-qq", "postgresql"], { stdio: "inherit", env });
    const installed = findPostgresBinaries();
    if (installed) return installed;
  }
  throw new Error(
    [
      "No PostgreSQL server for the tests (looked in /usr/lib/postgresql/*/bin and on the PATH for " +
        `${programs.join(", ")}), and none could be installed. Any one of these fixes it:`,
      "  sudo apt-get install -y postgresql     (Debian, Ubuntu: the package `postgresql`)",
      "  brew install postgresql               (macOS; puts the programs on the PATH)",
    ].join("\n"),
  );
}

interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

function idOf(name: string, flag: "-u" | "-g"): number | undefined {
  const result = spawnSync("id", [flag, name], { encoding: "utf8" });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** Who the server runs as: PostgreSQL refuses to run as root, so root hands it to `postgres` (or `nobody`). */
function serverUser(): ServerUser | undefined {
  if (!isRoot()) return undefined;
  for (const name of ["postgres", "nobody"]) {
    const uid = idOf(name, "-u");
    const gid = idOf(name, "-g");
    if (uid !== undefined && gid !== undefined) return { name, uid, gid };
  }
  throw new Error("Running as root, but neither a `postgres` nor a `nobody` user exists to run PostgreSQL as.");
}

const hasSetpriv = () => spawnSync("setpriv", ["--version"]).status === 0;

/**
 * `program args` as `user`. With setpriv (util-linux), a parent death signal too: the server then
 * ends with the process that started it, even one killed outright (a crashed or interrupted test run).
 */
function commandAs(
  user: ServerUser | undefined,
  program: string,
  args: string[],
  parentDeathSignal?: NodeJS.Signals,
): [string, string[]] {
  if (hasSetpriv()) {
    const identity = user ? [`--reuid=${user.uid}`, `--regid=${user.gid}`, "--init-groups"] : [];
    const deathSignal = parentDeathSignal ? ["--pdeathsig", parentDeathSignal] : [];
    return ["setpriv", [...identity, ...deathSignal, "--", program, ...args]];
  }
  return user ? ["runuser", ["-u", user.name, "--", program, ...args]] : [program, args];
}

export interface ThrowawayPostgres {
  /** `postgres://fanout@127.0.0.1:<port>/postgres`: the superuser, no password (trust, loopback only). */
  url: string;
  port: number;
  /** The temporary folder holding the data directory and the server's socket. */
  dir: string;
  /** Stops the server at once and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts a PostgreSQL server of its own for tests and benchmarks: a new cluster in a temporary
 * folder, on a free loopback port, its output in `.test-output/postgres-<port>.log`. Durability is
 * off (fsync, synchronous commit, full-page writes) as the data dies with it; a benchmark that
 * measures the store passes `settings: { fsync: "on", … }` to get a server's usual costs back.
 */
export async function startThrowawayPostgres(
  options: { settings?: Record<string, string>; logDir?: string } = {},
): Promise<ThrowawayPostgres> {
  const bin = ensurePostgres();
  const user = serverUser();
  const port = await findFreePort();
  const logDir = options.logDir ?? path.join(projectRoot, ".test-output");
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `postgres-${port}.log`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "fanout-postgres-"));
  const data = path.join(dir, "data");
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  if (user) chownSync(dir, user.uid, user.gid);

  // The temporary folder is the working directory: the server's user may not enter the project's.
  const initdbArgs = ["-D", data, "-U", superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"];
  const [initCommand, initArgs] = commandAs(user, path.join(bin, "initdb"), initdbArgs);
  const init = spawnSync(initCommand, initArgs, { cwd: dir, encoding: "utf8" });
  writeFileSync(logFile, `${init.stdout ?? ""}${init.stderr ?? ""}`);
  if (init.status !== 0) {
    removeDir();
    throw new Error(`initdb failed (exit ${init.status ?? init.error?.message}); its output is in ${logFile}`);
  }

  const settings = {
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    ...options.settings,
    // Loopback only, whatever a caller asks: every role logs in without a password.
    listen_addresses: "127.0.0.1",
  };
  const serverArgs = ["-D", data, "-p", String(port), "-k", dir];
  for (const [name, value] of Object.entries(settings)) serverArgs.push("-c", `${name}=${value}`);
  const [command, args] = commandAs(user, path.join(bin, "postgres"), serverArgs, "SIGQUIT");
  const log = createWriteStream(logFile, { flags: "a" });
  // SIGQUIT is PostgreSQL's immediate shutdown: nothing is worth a checkpoint here.
  const server = startLogged("postgres", command, args, { cwd: dir, logTo: log, stopSignal: "SIGQUIT" });
  // Where setpriv is missing, an exit of this process that runs its handlers still takes the server along.
  const killOnExit = () => {
    if (server.child.pid !== undefined && server.child.exitCode === null) {
      try {
        process.kill(-server.child.pid, "SIGQUIT");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.off("exit", killOnExit);
      await server.stop();
      log.end();
      removeDir();
    })());

  try {
    await waitUntil(`PostgreSQL on 127.0.0.1:${port} (log: ${logFile})`, () => isReady(bin, port), {
      timeoutMs: 60_000,
      process: server,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `postgres://${superuser}@127.0.0.1:${port}/postgres`, port, dir, stop };
}

/** Whether the server accepts connections: pg_isready's exit status 0. */
async function isReady(bin: string, port: number): Promise<boolean> {
  const args = ["-h", "127.0.0.1", "-p", String(port), "-U", superuser, "-d", "postgres", "-t", "1"];
  return run(path.join(bin, "pg_isready"), args).then(
    () => true,
    () => false,
  );
}

/**
 * Runs SQL through psql (no psqlrc, stopping at the first error) and returns what it printed,
 * unaligned and without headers: `SELECT 1` gives "1\n".
 */
export async function psql(url: string, sql: string): Promise<string> {
  const bin = ensurePostgres();
  const { stdout } = await run(path.join(bin, "psql"), [
    "-X",
    "-q",
    "-A",
    "-t",
    "-v",
    "ON_ERROR_STOP=1",
    "-c",
    sql,
    url,
  ]);
  return stdout;
}

/** Creates an empty database on the server of `url` and returns its URL: one per test file. */
export async function createDatabase(url: string, name: string): Promise<string> {
  // A plain lower-case identifier needs no quoting, and nothing else reaches the SQL.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`database name ${JSON.stringify(name)}: use lower-case letters, digits and _ (at most 63)`);
  }
  await psql(url, `CREATE DATABASE ${name}`);
  const database = new URL(url);
  database.pathname = `/${name}`;
  return database.toString();
}
