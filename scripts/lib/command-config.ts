import { randomBytes } from "node:crypto";
import { ConfigError, loadConfig, type Config } from "../../lib/env";

/**
 * The console's configuration, for a command run beside it that signs nobody in (`verify:aws`,
 * `db:migrate`, `db:copy`): a session secret, required beside a remote endpoint or a database URL,
 * is not needed there. A configuration error is printed with its fix and ends the command (exit 2).
 */
export function commandConfig(): Config {
  try {
    return loadConfig({ NEXTAUTH_SECRET: randomBytes(32).toString("base64"), ...process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
