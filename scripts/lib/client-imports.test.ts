import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./project-root";

/**
 * What a browser bundle may not reach: a Node built-in is polyfilled there (node:crypto alone weighs
 * about 130 KB gzip), so a "use client" module that reaches one through a value import, however
 * indirectly, makes its pages heavy. Type imports are erased and do not count.
 */
const NODE_BUILTIN = /^(node:|(crypto|fs|path|os|child_process|net|tls|zlib|stream|http|https|url|util)$)/;
// `import … from "x"` and `export … from "x"`, except `import type` / `export type`; and bare `import "x"`.
const VALUE_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^;]*?\sfrom\s+)?["']([^"']+)["']/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "node_modules" || name.startsWith(".")) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = specifier.startsWith("@/")
    ? path.join(projectRoot, specifier.slice(2))
    : specifier.startsWith(".")
      ? path.resolve(path.dirname(from), specifier)
      : undefined;
  if (!base) return undefined;
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

/** The chain of imports from `start` to a Node built-in, or undefined when none is reached. */
function pathToBuiltin(start: string): string[] | undefined {
  const seen = new Set<string>([start]);
  const queue: string[][] = [[start]];
  while (queue.length) {
    const chain = queue.shift()!;
    const file = chain[chain.length - 1]!;
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(VALUE_IMPORT)) {
      if (NODE_BUILTIN.test(specifier!)) return [...chain, specifier!];
      const next = resolveImport(file, specifier!);
      if (next && !seen.has(next)) {
        seen.add(next);
        queue.push([...chain, next]);
      }
    }
  }
  return undefined;
}

describe("modules the browser loads", () => {
  const clientModules = ["app", "components", "lib"]
    .flatMap((dir) => sourceFiles(path.join(projectRoot, dir)))
    .filter((file) => /^\s*["']use client["']/.test(readFileSync(file, "utf8")));

  it("are found", () => {
    expect(clientModules.length).toBeGreaterThan(20);
  });

  it.each(clientModules.map((file) => [path.relative(projectRoot, file), file]))(
    "%s reaches no Node built-in through a value import",
    (_name, file) => {
      const chain = pathToBuiltin(file);
      expect(chain?.map((f) => path.relative(projectRoot, f))).toBeUndefined();
    },
  );
});
