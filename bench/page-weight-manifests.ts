import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { runInNewContext } from "node:vm";

/** What `next build` wrote that says which scripts a page loads, read from `.next/`. */
export interface BuildManifests {
  /** The runtime and framework chunks every page loads (build-manifest.json), per page when it has its own. */
  rootMainFiles: string[];
  rootMainFilesTree: Record<string, string[]>;
  /** The app paths of the build (server/app-paths-manifest.json): "/(console)/topology/page", "/api/…/route". */
  appPaths: string[];
  /**
   * The client chunks of each segment (layouts, error boundaries, the page) an app path renders: `entryJSFiles`
   * of its client reference manifest. The HTML of the page lists them as <script> tags.
   */
  entryJSFiles(appPath: string): Record<string, string[]> | undefined;
}

/**
 * The URL route of an app path, as Next prints it: route groups and parallel slots dropped.
 * "/(scoped)/e/[env]/[region]/topology/page" → "/e/[env]/[region]/topology"; "/(console)/page" → "/".
 */
export function routeOfAppPath(appPath: string): string {
  const segments = appPath
    .split("/")
    .filter((s) => s !== "" && !(s.startsWith("(") && s.endsWith(")")) && !s.startsWith("@"))
    .slice(0, -1);
  return `/${segments.join("/")}`;
}

/**
 * The JavaScript each page loads before it can draw, per route: the root main files and the entry chunks
 * of every segment of the page (as Next's own first-load figure counts them), each file once, sorted.
 * Chunks loaded later (next/dynamic, import()) are not in these lists. Route handlers are left out, and so
 * are the polyfills (loaded only by browsers without ES modules).
 */
export function firstLoadFiles(manifests: BuildManifests): Map<string, string[]> {
  const pages = new Map<string, string[]>();
  for (const appPath of manifests.appPaths.filter((p) => p.endsWith("/page")).sort()) {
    const entries = manifests.entryJSFiles(appPath);
    if (!entries) throw new Error(`no client reference manifest for ${appPath}`);
    const root = manifests.rootMainFilesTree[appPath] ?? manifests.rootMainFiles;
    const files = new Set([...root, ...Object.values(entries).flat()].filter((f) => f.endsWith(".js")));
    pages.set(routeOfAppPath(appPath), [...files].sort());
  }
  return pages;
}

/** Reads the manifests of a production build in `distDir` (`.next`). */
export function readBuildManifests(distDir: string): BuildManifests {
  const readJson = (file: string) => JSON.parse(readFileSync(path.join(distDir, file), "utf8")) as unknown;
  const buildManifest = readJson("build-manifest.json") as {
    rootMainFiles: string[];
    rootMainFilesTree?: Record<string, string[]>;
  };
  const appPaths = Object.keys(readJson("server/app-paths-manifest.json") as Record<string, string>);
  return {
    rootMainFiles: buildManifest.rootMainFiles,
    rootMainFilesTree: buildManifest.rootMainFilesTree ?? {},
    appPaths,
    entryJSFiles(appPath) {
      const file = path.join(distDir, "server/app", `${appPath}_client-reference-manifest.js`);
      if (!existsSync(file)) return undefined;
      // The manifest is a script that assigns globalThis.__RSC_MANIFEST[appPath]; run it in a context of its own.
      const context: { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } = {};
      runInNewContext(readFileSync(file, "utf8"), context);
      return context.__RSC_MANIFEST?.[appPath]?.entryJSFiles;
    },
  };
}
