import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { projectRoot } from "./project-root";

export interface PipelineInfo {
  environment: string;
  topicArn: string;
  queues: string[];
  functions: string[];
  lambdaEndpoint: string;
}

export interface PipelineProcess {
  info: PipelineInfo;
  stop(): Promise<void>;
}

/**
 * scripts/pipeline-process.ts in a child process started with tsx (its local Lambda imports the
 * TypeScript handlers, which a host without a TypeScript loader cannot), talking to moto at
 * `awsEndpoint` directly; resolves with the pipeline it describes once it is up. `onSpawn` hears
 * how to stop it as soon as the child exists, for callers that clean up on failure.
 */
export async function startPipelineProcess(
  awsEndpoint: string,
  log: NodeJS.WritableStream,
  options: { traffic?: boolean; onSpawn?: (stop: () => Promise<void>) => void } = {},
): Promise<PipelineProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/pipeline-process.ts", awsEndpoint, ...(options.traffic ? ["--traffic"] : [])],
    { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stderr.pipe(log, { end: false });
  const exited = once(child, "exit");
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 10_000).unref());
    if ((await Promise.race([exited, timeout])) === "timeout") {
      child.kill("SIGKILL");
      await exited;
    }
  };
  options.onSpawn?.(stop);
  const firstLine = (async () => {
    for await (const line of createInterface({ input: child.stdout })) return line;
    return undefined;
  })();
  const line = await Promise.race([firstLine, exited.then(() => undefined)]);
  if (!line) throw new Error("the pipeline process exited before it was up; see the servers' log");
  return { info: JSON.parse(line) as PipelineInfo, stop };
}
