import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generatedFilesOnDisk, scopedFiles } from "./lib/scoped-routes";

/** Writes the scoped twins of the console's pages and API routes, and removes those left over (scripts/lib/scoped-routes.ts). */
const root = path.resolve(import.meta.dirname, "..");
const wanted = scopedFiles(root);
for (const file of generatedFilesOnDisk(root)) {
  if (!wanted.some((w) => w.file === file)) {
    rmSync(path.join(root, file));
    console.log(`removed ${file}`);
  }
}
for (const { file, content } of wanted) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
}
console.log(`${wanted.length} scoped pages and routes written`);
