import { describe, expect, it } from "vitest";
import { AppError, validationError } from "./app-error";

describe("validationError", () => {
  it("is a 422 naming the field once in the message and once in its issue", () => {
    const err = validationError("filter.policy.price[0]", "Unrecognized match type numerc");
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: "validation",
      status: 422,
      message: "filter.policy.price[0]: Unrecognized match type numerc",
      issues: [{ path: "filter.policy.price[0]", message: "Unrecognized match type numerc" }],
    });
    expect(err.details).toBeUndefined();
  });

  it("carries details when given", () => {
    expect(validationError("edits", "too big", { limit: 10 }).details).toEqual({ limit: 10 });
  });
});
