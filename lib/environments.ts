import { readFileSync } from "node:fs";
import path from "node:path";
import { JSON_SCHEMA, load as loadYaml } from "js-yaml";
import type { DestinationPolicy } from "./domain/alerts/destination-url";
import { ENVIRONMENTS_VARIABLE, parseEnvironments, type ParseEnvironmentsResult } from "./domain/environments";

/**
 * Reads `FANOUT_ENVIRONMENTS` for lib/env.ts: inline JSON (a value starting with `[` or `{`), or the
 * path of a `.json`, `.yaml` or `.yml` file; lib/domain/environments.ts validates what it holds.
 */

const fileFix = "give inline JSON starting with [ or {, or the path of a .json, .yaml or .yml file";

const failure = (problem: string, fix: string): ParseEnvironmentsResult => ({
  ok: false,
  issues: [{ variable: ENVIRONMENTS_VARIABLE, problem, fix }],
});

/** `destinationPolicy`: where the environments' alert destinations may go (as FANOUT_ALERTS_WEBHOOK). */
export function readEnvironments(value: string, destinationPolicy?: DestinationPolicy): ParseEnvironmentsResult {
  if (value.startsWith("[") || value.startsWith("{")) {
    let raw: unknown;
    try {
      raw = JSON.parse(value);
    } catch {
      return failure("is not valid JSON", "check the inline JSON, or put the environments in a file and give its path");
    }
    return parseEnvironments(raw, { destinationPolicy });
  }

  const extension = path.extname(value).toLowerCase();
  if (![".json", ".yaml", ".yml"].includes(extension)) {
    return failure(`"${value}" is neither inline JSON nor a .json, .yaml or .yml file`, fileFix);
  }
  // The file is chosen at run time; it is not part of the build.
  const file = path.resolve(/*turbopackIgnore: true*/ value);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read";
    return failure(`the file ${file} ${reason}`, fileFix);
  }
  let raw: unknown;
  try {
    // JSON's types only: a YAML date or binary value has no place in the configuration.
    raw = extension === ".json" ? JSON.parse(text) : loadYaml(text, { filename: file, schema: JSON_SCHEMA });
  } catch (err) {
    return failure(
      `the file ${file} is not valid ${extension === ".json" ? "JSON" : "YAML"}: ${(err as Error).message}`,
      "fix the file's syntax",
    );
  }
  return parseEnvironments(raw, { destinationPolicy });
}
