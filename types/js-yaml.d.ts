// The part of js-yaml 4 the console (lib/environments.ts) and the demo (scripts/lib/demo-environments.ts)
// use. js-yaml ships no types of its own; this stands in for @types/js-yaml, which is not installed.
declare module "js-yaml" {
  export class Schema {}
  /** Only JSON's types: strings, numbers, booleans, null, lists and maps (no dates, no binary). */
  export const JSON_SCHEMA: Schema;
  export interface LoadOptions {
    filename?: string;
    schema?: Schema;
  }
  /** Parses one YAML document; safe in js-yaml 4 (no JavaScript types). */
  export function load(text: string, options?: LoadOptions): unknown;
  export interface DumpOptions {
    schema?: Schema;
    /** Folds longer strings; -1 never folds. */
    lineWidth?: number;
  }
  /** Writes a value as one YAML document. */
  export function dump(value: unknown, options?: DumpOptions): string;
  export class YAMLException extends Error {
    reason: string;
  }
}
