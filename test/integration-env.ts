import { inject } from "vitest";

// Point the console's configuration at the suite's own moto before any module reads it.
process.env.AWS_ENDPOINT_URL = inject("awsEndpoint");
process.env.AWS_REGION = "us-east-1";
process.env.AWS_ACCESS_KEY_ID = "test";
process.env.AWS_SECRET_ACCESS_KEY = "test";
for (const key of Object.keys(process.env)) {
  if (key.startsWith("AWS_ENDPOINT_URL_")) delete process.env[key];
}
