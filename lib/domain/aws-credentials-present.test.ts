import { describe, expect, it } from "vitest";
import { awsCredentialsPresent } from "./aws-credentials-present";

describe("awsCredentialsPresent", () => {
  it("sees keys, a profile, a web identity, a container endpoint or the shared files", () => {
    for (const name of [
      "AWS_ACCESS_KEY_ID",
      "AWS_PROFILE",
      "AWS_WEB_IDENTITY_TOKEN_FILE",
      "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
      "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ]) {
      expect(awsCredentialsPresent({ [name]: "x" }, false), name).toBe(true);
    }
    expect(awsCredentialsPresent({}, true)).toBe(true);
  });

  it("sees nothing in an empty environment without shared files, or in empty values", () => {
    expect(awsCredentialsPresent({}, false)).toBe(false);
    expect(awsCredentialsPresent({ AWS_ACCESS_KEY_ID: "", AWS_REGION: "eu-west-1" }, false)).toBe(false);
  });
});
