import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firstLoadFiles, readBuildManifests, routeOfAppPath } from "./page-weight-manifests";

describe("routeOfAppPath", () => {
  it.each([
    ["/(console)/page", "/"],
    ["/(console)/topology/page", "/topology"],
    ["/(scoped)/e/[env]/[region]/traces/[id]/page", "/e/[env]/[region]/traces/[id]"],
    ["/(missing)/[...missing]/page", "/[...missing]"],
    ["/dashboards/@chart/page", "/dashboards"],
    ["/_not-found/page", "/_not-found"],
  ])("%s → %s", (appPath, route) => {
    expect(routeOfAppPath(appPath)).toBe(route);
  });
});

describe("the first-load files of a build's pages", () => {
  // A build as Turbopack writes it: the root main files, the app paths, one client reference manifest per page.
  const dist = mkdtempSync(path.join(os.tmpdir(), "fanout-page-weight-"));
  afterAll(() => rmSync(dist, { recursive: true, force: true }));
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
    writeFileSync(path.join(dist, file), content);
  };
  write(
    "build-manifest.json",
    JSON.stringify({
      polyfillFiles: ["static/chunks/polyfills.js"],
      rootMainFiles: ["static/chunks/react.js", "static/chunks/turbopack.js"],
      rootMainFilesTree: { "/login/page": ["static/chunks/react.js"] },
    }),
  );
  write(
    "server/app-paths-manifest.json",
    JSON.stringify({
      "/(console)/topology/page": "app/(console)/topology/page.js",
      "/login/page": "app/login/page.js",
      "/api/topology/route": "app/api/topology/route.js",
    }),
  );
  const manifest = (appPath: string, entryJSFiles: Record<string, string[]>) =>
    write(
      `server/app${appPath}_client-reference-manifest.js`,
      `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\n` +
        `globalThis.__RSC_MANIFEST[${JSON.stringify(appPath)}] = ${JSON.stringify({ clientModules: {}, entryJSFiles })};\n`,
    );
  manifest("/(console)/topology/page", {
    "[project]/app/layout": ["static/chunks/layout.js"],
    "[project]/app/(console)/error": ["static/chunks/layout.js", "static/chunks/error.js"],
    "[project]/app/(console)/topology/page": [
      "static/chunks/layout.js",
      "static/chunks/graph.js",
      "static/chunks/x.css",
    ],
  });
  manifest("/login/page", { "[project]/app/login/page": ["static/chunks/login.js"] });

  it("lists, per page, the root main files and every segment's chunks once, without CSS, polyfills or routes", () => {
    const pages = firstLoadFiles(readBuildManifests(dist));
    expect(Object.fromEntries(pages)).toEqual({
      "/topology": [
        "static/chunks/error.js",
        "static/chunks/graph.js",
        "static/chunks/layout.js",
        "static/chunks/react.js",
        "static/chunks/turbopack.js",
      ],
      "/login": ["static/chunks/login.js", "static/chunks/react.js"],
    });
  });

  it("fails on a page without a client reference manifest rather than counting it as empty", () => {
    const manifests = readBuildManifests(dist);
    expect(() => firstLoadFiles({ ...manifests, appPaths: [...manifests.appPaths, "/tokens/page"] })).toThrow(
      /no client reference manifest for \/tokens\/page/,
    );
  });
});
