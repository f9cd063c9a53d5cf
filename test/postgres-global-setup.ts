import type { TestProject } from "vitest/node";
import { startThrowawayPostgres } from "../scripts/lib/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * Starts a throwaway PostgreSQL for the project's run (scripts/lib/postgres.ts); a test file takes
 * `inject("postgresUrl")` and makes a database of its own on it with `createDatabase`.
 */
export default async function setup(project: TestProject) {
  const postgres = await startThrowawayPostgres();
  project.provide("postgresUrl", postgres.url);
  return () => postgres.stop();
}
