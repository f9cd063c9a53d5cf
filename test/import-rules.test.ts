import { execSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { findCycles, readImports } from "../scripts/lib/import-graph";

/**
 * The layers, as imports: no cycles anywhere, nothing in the console from infra/, and configuration
 * reaching operations and lib/aws only through the request context.
 */
const root = process.cwd();
const files = execSync("git ls-files --cached --others --exclude-standard -- '*.ts' '*.tsx'", {
  cwd: root,
  encoding: "utf8",
})
  .split("\n")
  .filter((f) => f && !f.startsWith("node_modules/"));
const modules = readImports(root, files);
const isTest = (f: string) => /\.test\.tsx?$/.test(f);

interface Rule {
  name: string;
  from: RegExp;
  to: RegExp;
  /** Type-only imports count too: a type couples the layers as much as a value does. */
  withTypes: boolean;
  /** Test files count too (most rules are about runtime code, which tests may reach around). */
  includeTests?: boolean;
}

const rules: Rule[] = [
  { name: "the console never imports infra/", from: /^(app|components|lib)\//, to: /^infra\//, withTypes: true },
  {
    name: "fixtures and test helpers stay in test/, out of the console",
    from: /^(app|components|lib)\//,
    to: /^test\//,
    withTypes: true,
  },
  {
    name: "code outside infra/local reaches the local AWS through its entry, infra/local/index.ts",
    from: /^(?!infra\/local\/)/,
    to: /^infra\/local\/(?!index\.ts$)/,
    withTypes: true,
    includeTests: true,
  },
  {
    name: "lib/domain stays pure",
    from: /^lib\/domain\//,
    to: /^lib\/(aws|store|operations|api|auth|queries|env\.ts)/,
    withTypes: true,
  },
  {
    name: "operations and AWS modules take configuration from the request context, not lib/env",
    from: /^lib\/(operations|aws)\//,
    to: /^lib\/env\.ts$/,
    withTypes: true,
  },
  {
    name: "routes and pages call operations, not lib/aws",
    from: /^app\//,
    to: /^lib\/aws\//,
    withTypes: true,
  },
  {
    name: "browser code speaks the API's domain types, not lib/aws or lib/store",
    from: /^(components|lib\/queries)\//,
    to: /^lib\/(aws|store)\//,
    withTypes: true,
  },
];

function violations(rule: Rule): string[] {
  const found = modules
    .filter((m) => rule.from.test(m.file) && (rule.includeTests || !isTest(m.file)))
    .flatMap((m) =>
      [...m.values, ...(rule.withTypes ? m.types : [])].filter((t) => rule.to.test(t)).map((t) => `${m.file} -> ${t}`),
    );
  return [...new Set(found)].sort();
}

describe("imports", () => {
  it("read every tracked TypeScript file", () => {
    expect(modules.length).toBeGreaterThan(300);
  });

  it("form no cycle", () => {
    expect(findCycles(modules)).toEqual([]);
  });

  for (const rule of rules) {
    it(rule.name, () => {
      expect(violations(rule)).toEqual([]);
    });
  }
});
