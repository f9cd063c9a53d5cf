import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedFilesOnDisk, scopedFiles } from "./scoped-routes";

const root = path.resolve(import.meta.dirname, "../..");

describe("the scoped pages and API routes", () => {
  const wanted = scopedFiles(root);

  it("twin every console page and every API route but sign-in and the environment list", () => {
    const files = wanted.map((w) => w.file);
    expect(files).toContain("app/(scoped)/e/[env]/[region]/dead-letters/[name]/page.tsx");
    expect(files).toContain("app/api/e/[env]/[region]/queues/[name]/replay/route.ts");
    expect(files.some((f) => f.includes("/auth/") || f.includes("/environments/"))).toBe(false);
  });

  it("are on disk exactly as generated: run `npm run routes:scoped` after adding or changing a page or route", () => {
    expect(generatedFilesOnDisk(root)).toEqual(wanted.map((w) => w.file).sort());
    for (const { file, content } of wanted) expect(readFileSync(path.join(root, file), "utf8"), file).toBe(content);
  });
});
