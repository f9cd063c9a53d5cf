import { loadConfig } from "../lib/env";

/** An environment of FANOUT_ENVIRONMENTS reached through the default chain, with `extra` fields. */
export const environmentEntry = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  accountId: "222222222222",
  regions: ["eu-west-1"],
  credentials: { source: "default" },
  ...extra,
});

/** Inline FANOUT_ENVIRONMENTS of plain environments with these ids. */
export const environmentsValue = (...ids: string[]) => JSON.stringify(ids.map((id) => environmentEntry(id)));

/** The options of the two test environments: staging's endpoint (a fault proxy), role and read-only flag; production's masks. */
export interface TwoEnvironmentOptions {
  staging?: { endpoint?: string; roleName?: string; readOnly?: boolean };
  production?: { mask?: { fields?: string[]; attributes?: string[] } };
  /** More environments after the two. */
  more?: Record<string, unknown>[];
}

/**
 * FANOUT_ENVIRONMENTS of two environments on one moto, for integration tests: production (moto's
 * default account, us-east-1) and staging (222222222222, eu-west-1, reached by sts:AssumeRole of
 * `roleName`), staging through `staging.endpoint` (a fault proxy) when given.
 */
export function productionAndStagingEnvironments(endpoint: string, options: TwoEnvironmentOptions = {}): string {
  const { staging = {}, production = {}, more = [] } = options;
  return JSON.stringify([
    {
      id: "production",
      name: "Production",
      kind: "production",
      accountId: "123456789012",
      regions: ["us-east-1"],
      endpoint,
      credentials: { source: "default" },
      ...(production.mask ? { mask: production.mask } : {}),
    },
    {
      id: "staging",
      name: "Staging",
      accountId: "222222222222",
      regions: ["eu-west-1"],
      endpoint: staging.endpoint ?? endpoint,
      readOnly: staging.readOnly ?? false,
      credentials: {
        source: "assume-role",
        roleArn: `arn:aws:iam::222222222222:role/${staging.roleName ?? "fanout-console"}`,
      },
    },
    ...more,
  ]);
}

/** The configuration of productionAndStagingEnvironments. */
export function productionAndStagingConfig(endpoint: string, options: TwoEnvironmentOptions = {}) {
  return loadConfig({
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: "us-east-1",
    FANOUT_DATA_DIR: process.env.FANOUT_DATA_DIR,
    FANOUT_ENVIRONMENTS: productionAndStagingEnvironments(endpoint, options),
  });
}
