import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The repository's root folder. */
export const projectRoot = findProjectRoot(process.cwd());

/** The nearest folder upwards holding this file's requirements: scripts run from the root or a subfolder. */
function findProjectRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "infra/local/requirements.txt"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}
/** The project's Python environment: moto, the SAM translator and cfn-lint, pinned in one file. */
export const venvDir = path.join(projectRoot, ".venv");
export const requirementsFile = path.join(projectRoot, "infra/local/requirements.txt");
const stampFile = path.join(venvDir, ".fanout-requirements-hash");

export function venvBin(name: string): string {
  return path.join(venvDir, "bin", name);
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"], cwd: projectRoot });
  if (result.status !== 0) {
    throw new Error(
      `\`${command} ${args.join(" ")}\` failed (exit ${result.status ?? result.signal}). ` +
        `Python 3 with the venv module is required (Debian: apt-get install python3-venv).`,
    );
  }
}

/**
 * Creates `.venv` and installs the pinned requirements, unless it already holds exactly them:
 * a second run touches no network.
 */
export function ensureVenv(log: (line: string) => void = console.log): void {
  const wanted = createHash("sha256").update(readFileSync(requirementsFile)).digest("hex");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === wanted && existsSync(venvBin("moto_server"))) return;
  const started = Date.now();
  if (!existsSync(venvBin("python"))) {
    log("[setup] creating the Python venv in .venv/ …");
    run(process.env.PYTHON ?? "python3", ["-m", "venv", venvDir]);
  }
  log("[setup] installing infra/local/requirements.txt into .venv/ …");
  run(venvBin("pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", requirementsFile]);
  writeFileSync(stampFile, wanted);
  log(`[setup] Python venv ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
