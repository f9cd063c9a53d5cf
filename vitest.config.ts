import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside a React Server environment; tests run the server code as plain Node.
  "server-only": path.resolve(import.meta.dirname, "test/empty-module.ts"),
};

/** Tests of the console's store, and of the PostgreSQL they run on: the store project, with a server of its own. */
const storeTests = ["lib/store/**/*.test.ts", "scripts/lib/postgres.test.ts"];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: [
            "lib/**/*.test.ts",
            "infra/**/*.test.ts",
            "scripts/**/*.test.ts",
            "test/**/*.test.ts",
            "bench/**/*.test.ts",
            "cli/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "node_modules/**", ...storeTests],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "store",
          include: storeTests,
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
          globalSetup: ["test/postgres-global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ".next/**"],
          environment: "node",
          globalSetup: ["test/integration-global-setup.ts", "test/postgres-global-setup.ts"],
          setupFiles: ["test/integration-env.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
