import { parsePolicyText } from "./json-text";
import { maxBytes, parsePolicy, toProblem } from "./parse";
import type { CompileResult, FilterPolicyScope } from "./types";
import { compileVerdict } from "./verdict";

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  // Pure ASCII is the common case and needs no encoding.
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length;
}

/**
 * Validates a filter policy the way SNS does when it is set, and compiles it once for fast evaluation.
 * A string is policy text (an empty one removes the policy, so every message is delivered); anything
 * else is the parsed JSON. On refusal, `error.reason` is AWS's reason and `error.path` where it applies.
 */
export function compileFilterPolicy(policy: string | unknown, scope: FilterPolicyScope): CompileResult {
  if (scope !== "MessageAttributes" && scope !== "MessageBody") {
    return {
      ok: false,
      error: {
        reason: `FilterPolicyScope: Invalid value [${String(scope)}]. Please use either MessageBody or MessageAttributes`,
        path: "$",
      },
    };
  }
  let source: unknown;
  let bytes: number;
  if (typeof policy === "string") {
    bytes = utf8Length(policy);
    // "Filter policy constraints": the maximum size of a filter policy is 256 KB; checked before reading it.
    if (bytes > maxBytes)
      return {
        ok: false,
        error: { reason: `Filter policy is larger than the maximum size of ${maxBytes} bytes`, path: "$" },
      };
    if (policy.trim() === "") {
      source = {};
    } else {
      const parsed = parsePolicyText(policy);
      if (!parsed.ok)
        return {
          ok: false,
          error: {
            reason: parsed.error.reason,
            path: "$",
            position: { line: parsed.error.line, column: parsed.error.column },
          },
        };
      source = parsed.value;
    }
  } else {
    let text: string | undefined;
    try {
      text = JSON.stringify(policy);
    } catch {
      text = undefined;
    }
    if (text === undefined) return { ok: false, error: { reason: "Filter is not an object", path: "$" } };
    bytes = utf8Length(text);
    source = policy;
  }
  try {
    const parsed = parsePolicy(source, scope, bytes);
    return {
      ok: true,
      policy: {
        scope,
        source,
        budget: parsed.budget,
        root: parsed.root,
        leafPaths: parsed.leafPaths,
        pathTree: parsed.pathTree,
        verdict: compileVerdict(scope, parsed.root, parsed.leafPaths, parsed.pathTree),
      },
    };
  } catch (err) {
    const problem = toProblem(err);
    if (problem) return { ok: false, error: problem };
    throw err;
  }
}
