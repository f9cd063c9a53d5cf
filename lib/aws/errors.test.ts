import { describe, expect, it } from "vitest";
import { QueueDoesNotExist } from "@aws-sdk/client-sqs";
import { AppError } from "../domain/app-error";
import { looksUnimplemented, toAppError } from "./errors";

const ctx = { service: "sqs", operation: "StartMessageMoveTask" } as const;

/** An error shaped the way the SDK throws it: name, message, fault and HTTP status. */
function sdkError(
  name: string,
  message: string,
  status?: number,
  fault?: "client" | "server",
  extra: Record<string, unknown> = {},
) {
  return Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status }, ...extra });
}

describe("toAppError", () => {
  it.each([
    ["ThrottlingException", 400, "client", "throttled", 429],
    ["Throttling", 400, "client", "throttled", 429],
    ["TooManyRequestsException", 429, "client", "throttled", 429],
    ["RequestThrottled", 403, "client", "throttled", 429],
    ["AccessDenied", 403, "client", "access_denied", 403],
    ["AccessDeniedException", 403, "client", "access_denied", 403],
    ["AuthorizationError", 403, "client", "access_denied", 403],
    ["InvalidClientTokenId", 403, "client", "access_denied", 403],
    ["ExpiredToken", 403, "client", "access_denied", 403],
    ["ResourceNotFoundException", 404, "client", "not_found", 404],
    ["NotFound", 404, "client", "not_found", 404],
    ["AWS.SimpleQueueService.NonExistentQueue", 400, "client", "not_found", 404],
    ["InvalidParameterException", 400, "client", "validation", 422],
    ["InvalidParameterValue", 400, "client", "validation", 422],
    ["ValidationError", 400, "client", "validation", 422],
    ["TooManyEntriesInBatchRequest", 400, "client", "validation", 422],
    ["PurgeQueueInProgress", 403, "client", "conflict", 409],
    ["ResourceConflictException", 409, "client", "conflict", 409],
    ["ServiceUnavailable", 503, "server", "upstream_unavailable", 503],
    ["InternalError", 500, "server", "upstream_unavailable", 503],
    ["SomethingNew", 400, "client", "validation", 422],
  ] as const)("%s (HTTP %s) → %s", (name, status, fault, code, httpStatus) => {
    const mapped = toAppError(sdkError(name, "details here", status, fault), ctx);
    expect(mapped.code).toBe(code);
    expect(mapped.status).toBe(httpStatus);
    expect(mapped.message).toContain("sqs:StartMessageMoveTask");
  });

  it("maps the SDK's own exception classes by their name", () => {
    const err = new QueueDoesNotExist({
      message: "The specified queue does not exist.",
      $metadata: { httpStatusCode: 400 },
    });
    expect(toAppError(err, ctx).code).toBe("not_found");
  });

  it.each(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND"])(
    "treats network error %s as the endpoint being unavailable",
    (code) => {
      const err = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
      expect(toAppError(err, ctx).code).toBe("upstream_unavailable");
    },
  );

  it("reads X-Ray's InvalidRequestException as a refused query, never a 500", () => {
    const err = sdkError("InvalidRequestException", "Invalid time range", 400, "client");
    const mapped = toAppError(err, { service: "xray", operation: "GetTraceSummaries" });
    expect(mapped.code).toBe("validation");
    expect(mapped.status).toBe(422);
    expect(mapped.message).toBe(
      "X-Ray refused xray:GetTraceSummaries as invalid: its filter expression or time range is not accepted: Invalid time range",
    );
  });

  it("treats an SDK timeout as the endpoint being unavailable", () => {
    expect(toAppError(sdkError("TimeoutError", "Connection timed out after 3000 ms"), ctx).code).toBe(
      "upstream_unavailable",
    );
  });

  describe("an answer that is not AWS's (an emulator's HTML error page)", () => {
    // As moto 5.2.3 answers an unimplemented JSON-protocol operation, seen through the SDK.
    const htmlJson = sdkError(
      "SyntaxError",
      "Unexpected token '<', \"<!doctype \"... is not valid JSON\n  Deserialization error: …",
      500,
    );
    // As it answers an unimplemented query-protocol (SNS) operation.
    const htmlXml = sdkError("Error", "@aws-sdk XML parse error: mismatched tags <html> and </title>.", 500);
    // As X-Ray answers an unimplemented feature.
    const xrayNotImplemented = sdkError("InternalFailure", "Not implemented yet - moto", 500, "server");

    it.each([
      ["JSON protocol", htmlJson],
      ["query protocol", htmlXml],
      ["X-Ray InternalFailure", xrayNotImplemented],
    ])("%s reads as not supported when the registry knows nothing", (_label, err) => {
      expect(looksUnimplemented(err)).toBe(true);
      const mapped = toAppError(err, ctx);
      expect(mapped.code).toBe("not_supported_by_endpoint");
      expect(mapped.status).toBe(501);
    });

    it("reads as an upstream failure when the registry knows the operation is supported", () => {
      // moto also answers an HTML 500 for a non-JSON filter policy on Subscribe, which it does implement.
      const mapped = toAppError(htmlXml, { service: "sns", operation: "Subscribe" }, () => "supported");
      expect(mapped.code).toBe("upstream_unavailable");
    });

    it("a missing route (HTML 404) also reads as not supported", () => {
      expect(toAppError(sdkError("SyntaxError", "Unexpected token '<'", 404), ctx).code).toBe(
        "not_supported_by_endpoint",
      );
    });

    it("an ordinary 500 with an AWS error body is an upstream failure, not a missing feature", () => {
      expect(looksUnimplemented(sdkError("InternalError", "We encountered an internal error.", 500, "server"))).toBe(
        false,
      );
      expect(toAppError(sdkError("InternalError", "We encountered an internal error.", 500, "server"), ctx).code).toBe(
        "upstream_unavailable",
      );
    });
  });

  it("passes an AppError through untouched", () => {
    const original = new AppError("conflict", "already running");
    expect(toAppError(original, ctx)).toBe(original);
  });

  it("never exposes more than the first line of an AWS message", () => {
    const mapped = toAppError(
      sdkError(
        "InvalidParameterException",
        "Invalid parameter: FilterPolicy: bad\n at [Source: x; line: 1]",
        400,
        "client",
      ),
      ctx,
    );
    expect(mapped.message).not.toContain("[Source");
  });
});
