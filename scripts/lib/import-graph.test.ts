import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findCycles, readImports } from "./import-graph";

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "imports-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

describe("import graph", () => {
  it("resolves relative, @/ and index imports, and tells type-only imports apart", () => {
    const root = project({
      "a.ts": `import { b } from "./b";\nimport type { C } from "@/c";\nimport { type D } from "./d";\nexport * from "./e";\nimport "react";`,
      "b.ts": "export const b = 1;",
      "c.ts": "export type C = 1;",
      "d/index.ts": "export type D = 1;",
      "e.tsx": "export const e = 1;",
    });
    const [a] = readImports(root, ["a.ts"]);
    expect(a).toEqual({ file: "a.ts", values: ["b.ts", "e.tsx"], types: ["c.ts", "d/index.ts"] });
  });

  it("finds a cycle of value imports, and ignores one closed by a type-only import", () => {
    const root = project({
      "x.ts": `import { y } from "./y"; export const x = y;`,
      "y.ts": `import { x } from "./x"; export const y = 1; void x;`,
      "p.ts": `import type { Q } from "./q"; export type P = Q;`,
      "q.ts": `import { p } from "./p"; export type Q = 1; void p;`,
    });
    const modules = readImports(root, ["x.ts", "y.ts", "p.ts", "q.ts"]);
    expect(findCycles(modules)).toEqual([["x.ts", "y.ts"]]);
  });
});
