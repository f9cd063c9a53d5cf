/**
 * Policy text → JSON. AWS reads the policy with a Java JSON parser and, for text that is not JSON,
 * answers "failed to parse JSON. <parser message>" followed by a location. The text is parsed with
 * JSON.parse; only when that fails is it scanned again, to say what AWS's parser says and where
 * (line and column 1-based, the column of the offending character, or just past an unknown token).
 */

const sourceNote = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)";
const validValues = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

export interface JsonTextError {
  reason: string;
  line: number;
  column: number;
}

class ScanError extends Error {
  constructor(
    readonly detail: string,
    readonly at: number,
  ) {
    super(detail);
  }
}

function charDescription(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${ch}' (code ${code} / 0x${code.toString(16)})`;
  return `'${ch}' (code ${code})`;
}

const isIdentifierPart = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_$]/u.test(ch);

function locate(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1 };
}

/** Walks the text with JSON's grammar and throws a ScanError at the first thing the parser would refuse. */
function scan(text: string): void {
  let i = 0;
  const unexpected = (at: number, expectation: string): never => {
    throw new ScanError(`Unexpected character (${charDescription(text[at] ?? "")}): ${expectation}`, at);
  };
  const endOfInput = (container: "Object" | "Array", start: number): never => {
    const where = locate(text, start);
    throw new ScanError(
      `Unexpected end-of-input: expected close marker for ${container} (start marker at ${sourceNote}; line: ${where.line}, column: ${where.column}])`,
      text.length,
    );
  };
  const skipSpace = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };

  const readString = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length)
        throw new ScanError("Unexpected end-of-input: was expecting closing quote for a string value", i);
      const ch = text[i] ?? "";
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === "\\") {
        const esc = text[i + 1];
        if (esc === undefined) throw new ScanError("Unexpected end-of-input in character escape sequence", i + 1);
        if (esc === "u") {
          for (let k = 2; k < 6; k++) {
            const hex = text[i + k];
            if (hex === undefined) throw new ScanError("Unexpected end-of-input in character escape sequence", i + k);
            if (!/[0-9a-fA-F]/.test(hex)) unexpected(i + k, "expected a hex-digit for character escape sequence");
          }
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(esc))
          throw new ScanError(`Unrecognized character escape ${charDescription(esc)}`, i + 1);
        i += 2;
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) {
        throw new ScanError(
          `Illegal unquoted character (${charDescription(ch)}): has to be escaped using backslash to be included in string value`,
          i,
        );
      }
      i++;
    }
  };

  const readNumber = () => {
    const start = i;
    if (text[i] === "-") {
      i++;
      if (i >= text.length) throw new ScanError("Unexpected end-of-input in numeric value", i);
      if (!/[0-9]/.test(text[i] ?? "")) {
        throw new ScanError(
          `Unexpected character (${charDescription(text[i] ?? "")}) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value`,
          i,
        );
      }
    }
    if (text[i] === "0" && /[0-9]/.test(text[i + 1] ?? ""))
      throw new ScanError("Invalid numeric value: Leading zeroes not allowed", i + 1);
    while (/[0-9]/.test(text[i] ?? "")) i++;
    if (text[i] === ".") {
      i++;
      if (!/[0-9]/.test(text[i] ?? "")) {
        if (i >= text.length) throw new ScanError("Unexpected end-of-input in numeric value", i);
        throw new ScanError(
          `Unexpected character (${charDescription(text[i] ?? "")}) in numeric value: Decimal point not followed by a digit`,
          i,
        );
      }
      while (/[0-9]/.test(text[i] ?? "")) i++;
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (!/[0-9]/.test(text[i] ?? "")) {
        if (i >= text.length) throw new ScanError("Unexpected end-of-input in numeric value", i);
        throw new ScanError(
          `Unexpected character (${charDescription(text[i] ?? "")}) in numeric value: Exponent indicator not followed by a digit`,
          i,
        );
      }
      while (/[0-9]/.test(text[i] ?? "")) i++;
    }
    return start;
  };

  const readValue = (container?: { kind: "Object" | "Array"; start: number }): void => {
    skipSpace();
    if (i >= text.length) {
      if (container) endOfInput(container.kind, container.start);
      throw new ScanError("No content to map due to end-of-input", i);
    }
    const ch = text[i] ?? "";
    if (ch === "{") return readObject();
    if (ch === "[") return readArray();
    if (ch === '"') return readString();
    if (ch === "-" || /[0-9]/.test(ch)) {
      readNumber();
      return;
    }
    if (isIdentifierPart(ch)) {
      let end = i;
      while (isIdentifierPart(text[end])) end++;
      const token = text.slice(i, end);
      if (token === "true" || token === "false" || token === "null") {
        i = end;
        return;
      }
      throw new ScanError(`Unrecognized token '${token}': was expecting ${validValues}`, end);
    }
    unexpected(i, `expected a valid value ${validValues}`);
  };

  const readObject = (): void => {
    const start = i;
    i++;
    skipSpace();
    if (i >= text.length) endOfInput("Object", start);
    if (text[i] === "}") {
      i++;
      return;
    }
    for (;;) {
      if (text[i] !== '"') unexpected(i, "was expecting double-quote to start field name");
      readString();
      skipSpace();
      if (i >= text.length) endOfInput("Object", start);
      if (text[i] !== ":") unexpected(i, "was expecting a colon to separate field name and value");
      i++;
      readValue({ kind: "Object", start });
      skipSpace();
      if (i >= text.length) endOfInput("Object", start);
      if (text[i] === "}") {
        i++;
        return;
      }
      if (text[i] !== ",") unexpected(i, "was expecting comma to separate Object entries");
      i++;
      skipSpace();
      if (i >= text.length) endOfInput("Object", start);
    }
  };

  const readArray = (): void => {
    const start = i;
    i++;
    skipSpace();
    if (i >= text.length) endOfInput("Array", start);
    if (text[i] === "]") {
      i++;
      return;
    }
    for (;;) {
      readValue({ kind: "Array", start });
      skipSpace();
      if (i >= text.length) endOfInput("Array", start);
      if (text[i] === "]") {
        i++;
        return;
      }
      if (text[i] !== ",") unexpected(i, "was expecting comma to separate Array entries");
      i++;
    }
  };

  readValue();
  skipSpace();
  if (i < text.length) unexpected(i, "expected end-of-input after the policy");
}

/** Parses policy text; on failure gives the reason AWS reports (after "FilterPolicy: ") and where. */
export function parsePolicyText(text: string): { ok: true; value: unknown } | { ok: false; error: JsonTextError } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (parseError) {
    try {
      scan(text);
    } catch (err) {
      if (err instanceof ScanError) {
        return { ok: false, error: { reason: `failed to parse JSON. ${err.detail}`, ...locate(text, err.at) } };
      }
      throw err;
    }
    // The scanner found nothing JSON.parse refused: report JSON.parse's own words.
    const message = parseError instanceof Error ? parseError.message : String(parseError);
    return { ok: false, error: { reason: `failed to parse JSON. ${message}`, line: 1, column: 1 } };
  }
}
