/**
 * `npm start`: the console against the configured AWS (or LocalStack), after validating the
 * configuration. Binds to 127.0.0.1 in local mode, to all interfaces otherwise.
 */
import { ConfigError, loadConfig } from "../lib/env";
import { ensureBuild, startConsole } from "./lib/console";

async function main() {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  ensureBuild();
  const host = config.localMode ? "127.0.0.1" : (process.env.HOSTNAME ?? "0.0.0.0");
  const server = await startConsole({ host, port: config.port, env: process.env });
  console.log(`Fanout is running at ${server.url}`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  void server.process.exited.then((code) => process.exit(code ?? 1));
}

void main();
