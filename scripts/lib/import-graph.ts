import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/** One module's static imports, split into those that run code at load time and those that are types only. */
export interface ModuleImports {
  file: string;
  values: string[];
  types: string[];
}

const extensions = [".ts", ".tsx", "/index.ts", "/index.tsx"];

/** Resolves a relative or `@/` specifier to a project file (relative to `root`); packages resolve to null. */
export function resolveSpecifier(root: string, fromFile: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith(".")) base = path.resolve(root, path.dirname(fromFile), specifier);
  else return null;
  for (const candidate of [base, ...extensions.map((e) => base + e)]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate)) return path.relative(root, candidate);
  }
  return null;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import "x"` runs x
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return (
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return (
    !!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)
  );
}

/** The static imports of each file (dynamic `import()` is left out: it loads lazily and cannot close a cycle at load time). */
export function readImports(root: string, files: string[]): ModuleImports[] {
  return files.map((file) => {
    const source = ts.createSourceFile(
      file,
      readFileSync(path.join(root, file), "utf8"),
      ts.ScriptTarget.Latest,
      false,
    );
    const values: string[] = [];
    const types: string[] = [];
    for (const statement of source.statements) {
      let specifier: ts.Expression | undefined;
      let typeOnly = false;
      if (ts.isImportDeclaration(statement)) {
        specifier = statement.moduleSpecifier;
        typeOnly = isTypeOnlyImport(statement);
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
        specifier = statement.moduleSpecifier;
        typeOnly = isTypeOnlyExport(statement);
      }
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const target = resolveSpecifier(root, file, specifier.text);
      if (target) (typeOnly ? types : values).push(target);
    }
    return { file, values, types };
  });
}

/** Every cycle of value imports (Tarjan's strongly connected components of more than one module, or a self-import). */
export function findCycles(modules: ModuleImports[]): string[][] {
  const edges = new Map(modules.map((m) => [m.file, m.values]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const m of modules) if (!index.has(m.file)) visit(m.file);
  return cycles;
}
