import { startLocalPipeline } from "../infra/local";

/**
 * The pipeline of infra/ for the e2e run and the load bench, in a process of its own started with tsx: its local
 * Lambda imports the TypeScript handlers, which Playwright's own transform cannot load. Prints
 * one JSON line describing the pipeline when it is up; stops on SIGTERM. With `--traffic` it
 * also publishes the demo's live order traffic. Started by scripts/lib/pipeline-process.ts.
 */
async function main(endpoint: string, traffic: boolean) {
  const pipeline = await startLocalPipeline({
    awsEndpoint: endpoint,
    lambdaPort: 0,
    ...(traffic ? {} : { traffic: false }),
    log: (component, line) => process.stderr.write(`[${component}] ${line}\n`),
  });
  process.stdout.write(
    `${JSON.stringify({
      environment: pipeline.deployment.environmentName,
      topicArn: pipeline.topicArn,
      queues: Object.values(pipeline.deployment.resources)
        .filter((r) => r.type === "AWS::SQS::Queue")
        .map((r) => r.attributes.QueueName),
      functions: pipeline.lambda.listFunctions().map((f) => f.FunctionName),
      lambdaEndpoint: pipeline.lambdaEndpoint,
    })}\n`,
  );
  process.on("SIGTERM", () => {
    void pipeline.stop().finally(() => process.exit(0));
  });
}

const endpoint = process.argv[2];
if (!endpoint) throw new Error("usage: scripts/pipeline-process.ts <aws endpoint> [--traffic]");
void main(endpoint, process.argv.slice(3).includes("--traffic"));
