import { ConfigError, loadConfig } from "./env";

/** Validates the configuration at server start; on failure prints every problem with its fix and exits. */
export function validateConfigOrExit(): void {
  try {
    loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
