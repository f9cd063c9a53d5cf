import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { api, ApiError, configFile, savedLogin, type Connection } from "./client";
import {
  dlqList,
  dlqShow,
  envList,
  policyDiff,
  policyGet,
  policySet,
  policyTest,
  replay,
  sla,
  UsageError,
  watchJob,
  type Exit,
} from "./commands";
import { output, type Output } from "./output";

/**
 * `fanout`, the console's command line: each command calls the console's API with an API token.
 * Exit codes: 0 done; 1 done, and the answer is no (a job that did not complete, a policy that
 * differs or does not match); 2 a usage error; 3 the console refused or could not be reached.
 */

const GLOBAL_HELP = `fanout: the Fanout console from the command line.

Usage: fanout <command> [options]

Commands:
  login                      save the console's URL and an API token
  env list                   environments and regions, with your role in each
  dlq list                   dead-letter queues, their depth and sources
  dlq show <queue>           a look at a DLQ's letters (read, then given back at once)
  replay <queue> --all       replay a DLQ's letters to their sources (--filter, --rate, --target, --wait)
  jobs watch <id>            follow a redrive job until it ends
  policy get <subscription>  a subscription's filter policy
  policy diff <subscription> <file>   the policy in place against a file (exit 1 when they differ)
  policy set <subscription> <file>    save a file's policy (--expect: the policy you believe is in place)
  policy test <subscription> <message-file>  does the message match? (--policy: a candidate policy file)
  sla                        service levels over a window (--window 1h)

Options for every command:
  --url <url>        the console (or FANOUT_URL, or the saved login)
  --token <token>    an API token (or FANOUT_TOKEN, or the saved login); made on the console's API tokens page
  --env <id> --region <region>   act in this environment and region (the console's default without)
  --output text|json the result as text (default) or JSON
  -h, --help         this help, or a command's: fanout <command> --help

Exit codes: 0 done; 1 done, but no (a job not completed, a policy that differs or does not match);
2 usage error; 3 refused by the console or not reachable.
`;

const COMMAND_HELP: Record<string, string> = {
  login: `Usage: fanout login --url <url> [--token <token>]

Checks the token against the console and saves both in ${"$"}FANOUT_CLI_CONFIG or ~/.config/fanout/cli.json
(readable by you only). Without --token, the token is read from FANOUT_TOKEN or standard input.
`,
  "env list":
    "Usage: fanout env list [--output json]\n\nThe configured environments and regions, with your role in each.\n",
  "dlq list":
    "Usage: fanout dlq list [--env <id> --region <r>] [--output json]\n\nEvery dead-letter queue, most troubled first.\n",
  "dlq show": `Usage: fanout dlq show <queue> [--max <n>] [--output json]

Reads up to --max letters (default 10) as the console's page does (a lease, audited), shows them
masked, and gives them back at once.
`,
  replay: `Usage: fanout replay <queue> --all [--filter <policy-file>] [--filter-scope MessageBody|MessageAttributes]
                    [--rate <per second>] [--target <queue>] [--wait]

Starts a redrive job of the DLQ's letters back to their sources (or --target), as the console's button does.
--filter: only letters a filter policy (a JSON file) selects; --wait: follow the job with a progress bar on
standard error and exit 0 only when it completed with nothing failed (1 otherwise).
`,
  "jobs watch":
    "Usage: fanout jobs watch <id> [--output json]\n\nFollows a redrive job until it ends; exit 0 when it completed with nothing failed.\n",
  "policy get":
    "Usage: fanout policy get <subscription-arn> [--output json]\n\nThe subscription's filter policy and its scope.\n",
  "policy diff": `Usage: fanout policy diff <subscription-arn> <policy-file>

The policy in place against the file's, both as canonical JSON (key order and spacing are no
difference), marked as diff -u marks lines. Exit 0 when they are the same, 1 when they differ.
`,
  "policy set": `Usage: fanout policy set <subscription-arn> <policy-file> [--expect <policy-file>]

Saves the file's policy (validated, audited and versioned by the console). --expect names the policy you
believe is in place (the one your change was reviewed against): the console refuses the change (409) when
SNS holds another.
`,
  "policy test": `Usage: fanout policy test <subscription-arn> <message-file> [--policy <policy-file>]

Evaluates a message against the subscription's policy, or against a candidate policy file, without
changing anything. The message file is {"body": "..."} or {"attributes": {"name": {"Type": "String", "Value": "..."}}},
or any other text, taken as the body. Exit 0 when it matches, 1 when it does not.
`,
  sla: "Usage: fanout sla [--window <1h … 30d>] [--output json]\n\nSLI, target, error budget left and status per resource, and end to end.\n",
};

const OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  env: { type: "string" },
  region: { type: "string" },
  output: { type: "string", default: "text" },
  help: { type: "boolean", short: "h", default: false },
  max: { type: "string", default: "10" },
  all: { type: "boolean", default: false },
  filter: { type: "string" },
  "filter-scope": { type: "string", default: "MessageBody" },
  rate: { type: "string" },
  target: { type: "string" },
  wait: { type: "boolean", default: false },
  expect: { type: "string" },
  policy: { type: "string" },
  window: { type: "string", default: "1h" },
} satisfies ParseArgsConfig["options"];

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

/** The process environment, or a test's. */
type Environment = Readonly<Record<string, string | undefined>>;

export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream & { isTTY?: boolean };
  env: Environment;
  stdin: () => Promise<string>;
}

/** Runs one command line; resolves to the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.err.write(`fanout: ${err instanceof Error ? err.message : String(err)}\nSee fanout --help.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [first, second] = positionals;
  // A command is one word or two ("env list"); its arguments follow.
  const twoWords = `${first} ${second}`;
  const name = second !== undefined && COMMAND_HELP[twoWords] ? twoWords : first;
  if (values.help || first === undefined || first === "help") {
    io.out.write(name && name !== "help" && COMMAND_HELP[name] ? COMMAND_HELP[name] : GLOBAL_HELP);
    return 0;
  }
  if (values.output !== "text" && values.output !== "json") {
    io.err.write("fanout: --output is text or json\n");
    return 2;
  }
  if (!name || !COMMAND_HELP[name]) {
    io.err.write(`fanout: unknown command: ${positionals.join(" ")}\nSee fanout --help.\n`);
    return 2;
  }
  const out = output(values.output, io);
  try {
    if (first === "login") return await login(values, io);
    const args = positionals.slice(name?.includes(" ") ? 2 : 1);
    return await dispatch(name, args, values, connect(values, io.env), out);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err.write(`fanout: ${err.message}\nSee fanout ${name} --help.\n`);
      return 2;
    }
    if (err instanceof ApiError) {
      io.err.write(`fanout: ${err.message}\n`);
      return 3;
    }
    throw err;
  }
}

function dispatch(name: string, args: string[], v: Values, c: Connection, out: Output): Promise<Exit> {
  const need = (count: number, what: string) => {
    if (args.length !== count) throw new UsageError(`${name} takes ${what}`);
    return args;
  };
  switch (name) {
    case "env list":
      need(0, "no arguments");
      return envList(c, out);
    case "dlq list":
      need(0, "no arguments");
      return dlqList(c, out);
    case "dlq show":
      return dlqShow(c, out, need(1, "a queue name")[0]!, wholeNumber(v.max, "--max", 1, 1000));
    case "replay": {
      const scope = v["filter-scope"];
      if (scope !== "MessageBody" && scope !== "MessageAttributes")
        throw new UsageError("--filter-scope is MessageBody or MessageAttributes");
      return replay(c, out, need(1, "a queue name")[0]!, {
        all: v.all,
        filterScope: scope,
        wait: v.wait,
        ...(v.filter ? { filterFile: v.filter } : {}),
        ...(v.rate !== undefined ? { rate: Number(v.rate) } : {}),
        ...(v.target ? { target: v.target } : {}),
      });
    }
    case "jobs watch":
      return watchJob(c, out, need(1, "a job id")[0]!);
    case "policy get":
      return policyGet(c, out, need(1, "a subscription ARN")[0]!);
    case "policy diff": {
      const [arn, file] = need(2, "a subscription ARN and a policy file");
      return policyDiff(c, out, arn!, file!);
    }
    case "policy set": {
      const [arn, file] = need(2, "a subscription ARN and a policy file");
      return policySet(c, out, arn!, file!, v.expect);
    }
    case "policy test": {
      const [arn, file] = need(2, "a subscription ARN and a message file");
      return policyTest(c, out, arn!, file!, v.policy);
    }
    case "sla":
      need(0, "no arguments");
      return sla(c, out, v.window);
    default:
      throw new UsageError(`unknown command: ${name}`);
  }
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} is a whole number from ${min} to ${max}`);
  return n;
}

/** The console and token from the flags, else the environment, else the saved login. */
function connect(v: Values, env: Environment): Connection {
  const saved = savedLogin(configFile(env));
  const url = v.url ?? env.FANOUT_URL ?? saved.url;
  const token = v.token ?? env.FANOUT_TOKEN ?? saved.token;
  if (!url) throw new UsageError("no console: give --url, set FANOUT_URL, or run fanout login");
  if (!token) throw new UsageError("no API token: give --token, set FANOUT_TOKEN, or run fanout login");
  if ((v.env === undefined) !== (v.region === undefined)) throw new UsageError("--env and --region go together");
  return { url, token, ...(v.env && v.region ? { scope: { env: v.env, region: v.region } } : {}) };
}

async function login(v: Values, io: Io): Promise<Exit> {
  const url = v.url ?? io.env.FANOUT_URL;
  if (!url) throw new UsageError("login needs --url (or FANOUT_URL)");
  const token = (v.token ?? io.env.FANOUT_TOKEN ?? (await io.stdin())).trim();
  if (!token) throw new UsageError("login needs a token: --token, FANOUT_TOKEN, or on standard input");
  // The token must work before it is saved.
  await api({ url, token }, "GET", "/environments", undefined, { scoped: false });
  const file = configFile(io.env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify({ url, token }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  io.out.write(`Logged in to ${url}; saved in ${file}.\n`);
  return 0;
}

/** Standard input, whole (for a token piped in). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The process's entry (bin/fanout.mjs): its arguments, streams and environment. */
export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), {
    out: process.stdout,
    err: process.stderr,
    env: process.env,
    stdin: readStdin,
  });
}
