import { execSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * No source line is longer than 160 characters. Prettier keeps code within 120, but it cannot break
 * long string literals, template literals, comments or regexes: split those by hand (a string into
 * concatenated parts that make the same text, a comment onto several lines).
 */
const MAX_LENGTH = 160;
const root = process.cwd();
const files = execSync("git ls-files --cached --others --exclude-standard -- '*.ts' '*.tsx' '*.mjs' '*.css'", {
  cwd: root,
  encoding: "utf8",
})
  .split("\n")
  .filter((f) => f && !f.split("/").includes("node_modules"))
  // Tracked but deleted in the working tree: nothing to read.
  .filter((f) => existsSync(path.join(root, f)));

describe("source line length", () => {
  it("finds the source files", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it(`keeps every line of the TypeScript, TSX, MJS and CSS sources within ${MAX_LENGTH} characters`, () => {
    const tooLong: string[] = [];
    for (const file of files) {
      readFileSync(path.join(root, file), "utf8")
        .split(/\r?\n/)
        .forEach((line, i) => {
          // Characters as code points, so that a character outside the BMP counts once.
          const length = [...line].length;
          if (length > MAX_LENGTH) tooLong.push(`${file}:${i + 1} (${length})`);
        });
    }
    expect(tooLong).toEqual([]);
  });
});
