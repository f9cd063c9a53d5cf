import { parseArgs } from "node:util";

type OptionValues<T> = { [K in keyof T]: T[K] extends boolean ? boolean : number };

/**
 * A benchmark's command-line options, each given with its default: a number is `--name N`, a
 * boolean a flag `--name`. An option not listed is refused (parseArgs is strict).
 */
export function benchOptions<T extends Record<string, number | boolean>>(defaults: T): OptionValues<T> {
  const { values } = parseArgs({
    options: Object.fromEntries(
      Object.entries(defaults).map(([name, value]) => [
        name,
        typeof value === "boolean" ? { type: "boolean", default: value } : { type: "string", default: String(value) },
      ]),
    ),
  });
  return Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [
      name,
      typeof value === "boolean" ? values[name] === true : Number(values[name]),
    ]),
  ) as OptionValues<T>;
}

/** Runs a benchmark's main; a failure is printed and ends the process with status 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
