/**
 * What a command prints: its result on standard output, as text for people or JSON for scripts
 * (`--output json`), and its progress on standard error, so that a pipe gets the result alone.
 */
export interface Output {
  result(value: unknown, text: () => string): void;
  progress(line: string): void;
  /** A progress bar (redrawn in place on a terminal; a line every few seconds otherwise). */
  bar(done: number, total: number | undefined, facts: Record<string, string | number>): void;
  endBar(): void;
}

export function output(
  format: "text" | "json",
  streams: { out: NodeJS.WritableStream; err: NodeJS.WritableStream & { isTTY?: boolean } } = {
    out: process.stdout,
    err: process.stderr,
  },
): Output {
  let lastLine = 0;
  let drawn = false;
  return {
    result(value, text) {
      streams.out.write(format === "json" ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
    },
    progress(line) {
      streams.err.write(`${line}\n`);
    },
    bar(done, total, facts) {
      const summary = Object.entries(facts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
      const line = `${progressBar(done, total)} ${summary}`;
      if (streams.err.isTTY) {
        streams.err.write(`\r${line}\x1b[K`);
        drawn = true;
      } else if (Date.now() - lastLine >= 5000) {
        streams.err.write(`${line}\n`);
        lastLine = Date.now();
      }
    },
    endBar() {
      if (drawn) streams.err.write("\n");
      drawn = false;
    },
  };
}

/** `[#######.............]  35 % 350/1000`, or the count alone when the total is not known yet. */
export function progressBar(done: number, total: number | undefined, width = 20): string {
  if (total === undefined || total <= 0) return `[${".".repeat(width)}] ${done}`;
  const share = Math.min(1, done / total);
  const filled = Math.round(share * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)} % ${done}/${total}`;
}

/** Columns padded to their widest cell; every cell is text. */
export function table(headings: string[], rows: string[][]): string {
  if (rows.length === 0) return "(none)";
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headings), ...rows.map(line)].join("\n");
}
