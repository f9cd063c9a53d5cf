/**
 * `npm run -s bench:page-weight [-- --no-build]`
 *
 * How much JavaScript each page of the production build loads before it can draw: the scripts its HTML
 * lists (the root main files of build-manifest.json and the entry chunks of every segment of the page, from
 * its client reference manifest, as Next's own first-load figure counts them), each file gzipped with
 * node:zlib at the default level (6, what `next start` compresses with) and counted once per page. Chunks
 * loaded later, when a part is needed (next/dynamic, import()), CSS and the polyfills (loaded only by
 * browsers without ES modules) are not counted. Builds first unless the build is of these sources
 * (`--no-build`: measure `.next` as it is). Prints one JSON object:
 * { pages: { "/topology": { gzipKB, files }, … }, maxGzipKB, limitKB }, KB being 1,000 bytes; exits with
 * status 1 when a page is over the limit.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { projectRoot } from "../scripts/lib/project-root";
import { benchOptions } from "./cli";
import { firstLoadFiles, readBuildManifests } from "./page-weight-manifests";

const limitKB = 250;
const { "no-build": noBuild } = benchOptions({ "no-build": false });

/** `next build` when sources changed, in a child whose output goes to stderr: stdout holds nothing but the JSON. */
function build() {
  const code = `require("./scripts/lib/console").ensureBuild((line) => console.error(line));`;
  const result = spawnSync(process.execPath, ["--import", "tsx", "--eval", code], {
    cwd: projectRoot,
    stdio: ["ignore", 2, 2],
  });
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal})`);
}

if (!noBuild) build();
const distDir = path.join(projectRoot, ".next");
const gzipBytes = new Map<string, number>();
const gzippedSize = (file: string) => {
  let size = gzipBytes.get(file);
  if (size === undefined) gzipBytes.set(file, (size = gzipSync(readFileSync(path.join(distDir, file))).length));
  return size;
};
const kB = (bytes: number) => Math.round(bytes / 100) / 10;

const pages = Object.fromEntries(
  [...firstLoadFiles(readBuildManifests(distDir))].map(([route, files]) => [
    route,
    { gzipKB: kB(files.reduce((sum, f) => sum + gzippedSize(f), 0)), files: files.length },
  ]),
);
const maxGzipKB = Math.max(...Object.values(pages).map((p) => p.gzipKB));
console.log(JSON.stringify({ pages, maxGzipKB, limitKB }, null, 2));
if (maxGzipKB > limitKB) {
  const over = Object.entries(pages).filter(([, p]) => p.gzipKB > limitKB);
  console.error(`over ${limitKB} KB: ${over.map(([route, p]) => `${route} (${p.gzipKB} KB)`).join(", ")}`);
  process.exit(1);
}
