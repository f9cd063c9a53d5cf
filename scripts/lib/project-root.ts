import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The repository's root folder: the nearest folder upwards holding package-lock.json, which npm
 * keeps only at the root of a workspace set. Found from the working directory because scripts
 * run from the root or a subfolder (a workspace's npm script runs in its own folder).
 */
export const projectRoot = findProjectRoot(process.cwd());

function findProjectRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package-lock.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}
