/**
 * `npm run local-aws`: moto alone, in the foreground, on FANOUT_LOCAL_AWS_PORT (default 4566), for
 * working on the console with `npm run dev`. Ctrl-C stops it.
 */
import { defaultLocalAwsPort, startMoto } from "./moto";

async function main() {
  const port = Number(process.env.FANOUT_LOCAL_AWS_PORT ?? defaultLocalAwsPort);
  const moto = await startMoto({ port });
  console.log(`moto answering on ${moto.endpoint}; use AWS_ENDPOINT_URL=${moto.endpoint}. Ctrl-C stops it.`);
  const stop = () => void moto.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  void moto.process.exited.then((code) => process.exit(code ?? 1));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
