/** What the console says about the AWS endpoint it talks to: each service's health, and the environment badge. */

export type ServiceStatus = "ok" | "error" | "not_supported";
export const checkedServices = ["sns", "sqs", "cloudwatch", "xray", "lambda"] as const;
export type CheckedService = (typeof checkedServices)[number];

export interface EndpointHealth {
  endpoint: string;
  region: string;
  services: Record<CheckedService, ServiceStatus>;
  /** Per service, why it is not ok; absent when all are. */
  errors?: Partial<Record<CheckedService, string>>;
  checkedAt: string;
}

export interface EnvironmentInfo {
  local: boolean;
  region: string;
  /** e.g. "local · moto at 127.0.0.1:4566" or "123456789012 · eu-west-1". */
  label: string;
  account?: string;
}
