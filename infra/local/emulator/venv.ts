import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../../scripts/lib/project-root";

/**
 * The project's Python environment: moto, the SAM translator and cfn-lint, pinned in this package's
 * requirements.txt. It lives with the local AWS because what it installs is the emulator and the
 * offline deployer; `npm test` also takes cfn-lint from it.
 */
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
