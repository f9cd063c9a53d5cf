import { formatDuration } from "../../../lib/domain/dead-letters";
import { plural } from "../../../lib/domain/format";
import type { RecordFailure } from "../tracing/trace-segments";

/**
 * Expected record failures counted per function between two reports. Pure: the caller says when
 * it is, so a window's length is the time since the previous report, not a nominal interval.
 */
export class ExpectedFailureTally {
  private readonly byFunction = new Map<string, { messages: Set<string>; attempts: number }>();

  constructor(private since: number) {}

  add(functionName: string, messageId: string): void {
    const tally = this.byFunction.get(functionName) ?? { messages: new Set<string>(), attempts: 0 };
    tally.messages.add(messageId);
    tally.attempts++;
    this.byFunction.set(functionName, tally);
  }

  /** One line per function with failures since the last drain (none for a quiet window); starts over. */
  drain(now: number): Array<{ functionName: string; line: string }> {
    const window = formatDuration((now - this.since) / 1000);
    const lines = [...this.byFunction].map(([functionName, { messages, attempts }]) => ({
      functionName,
      line: `${plural(messages.size, "poison message")} failed as expected (${plural(attempts, "attempt")} in the last ${window})`,
    }));
    this.byFunction.clear();
    this.since = now;
    return lines;
  }
}

export interface FailureLog {
  /** A record a function failed on: counted when expected, logged at once otherwise. */
  report(functionName: string, failure: RecordFailure): void;
  /** Logs what was counted since the last summary and stops the timer. */
  stop(): void;
}

/**
 * Where the local Lambda's record failures go in the log. The demo's traffic sends poison on
 * purpose, and each poison message fails once per attempt in every consumer it reaches: a line
 * each buried everything else (the start banner with it). Those are summed up every `intervalMs`
 * per function; any other failure is logged at once, as before.
 */
export function startFailureLog(options: {
  log: (component: string, line: string) => void;
  intervalMs: number;
  isExpected: (failure: RecordFailure) => boolean;
  now?: () => number;
}): FailureLog {
  const now = options.now ?? Date.now;
  const tally = new ExpectedFailureTally(now());
  const summarise = () => {
    for (const { functionName, line } of tally.drain(now())) options.log(`fn ${functionName}`, line);
  };
  const timer = setInterval(summarise, options.intervalMs);
  timer.unref();
  return {
    report(functionName, failure) {
      if (options.isExpected(failure)) tally.add(functionName, failure.messageId);
      else
        options.log(
          `fn ${functionName}`,
          `message ${failure.messageId} failed: ${failure.error.type}: ${failure.error.message}`,
        );
    },
    stop() {
      clearInterval(timer);
      summarise();
    },
  };
}
