import "server-only";
import { AppError } from "../domain/app-error";
import type { AwsService } from "../domain/aws-services";

/**
 * Maps whatever the SDK throws to the console's error codes. The SDK's own error names are
 * the AWS error codes (`QueueDoesNotExist`, `ThrottlingException`, …); emulators add a few
 * shapes of their own, handled explicitly below.
 */

export interface AwsCallContext {
  service: AwsService;
  operation: string;
}

/** What the capability registry knows about an operation, so a 500 can be read correctly. */
export type CapabilityLookup = (
  service: AwsService,
  operation: string,
) => "supported" | "not_supported" | "access_denied" | "unknown";

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number };
}

const throttledNames = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
  "RequestLimitExceeded",
  "ProvisionedThroughputExceededException",
  "SlowDown",
  "KMSThrottlingException",
]);

const accessDeniedNames = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "AuthorizationError",
  "AuthorizationErrorException",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "ExpiredToken",
  "ExpiredTokenException",
  "SignatureDoesNotMatch",
  "MissingAuthenticationToken",
  "InvalidSecurity",
  "CredentialsProviderError",
  "KMSAccessDeniedException",
]);

const notFoundNames = new Set([
  "NotFound",
  "NotFoundException",
  "ResourceNotFoundException",
  "QueueDoesNotExist",
  "AWS.SimpleQueueService.NonExistentQueue",
  "ResourceNotFound",
  "ResourceNotFoundFault",
]);

const validationNames = new Set([
  "ValidationError",
  "ValidationException",
  "InvalidParameter",
  "InvalidParameterException",
  "InvalidParameterValue",
  "InvalidParameterValueException",
  "InvalidParameterCombination",
  "InvalidAttributeName",
  "InvalidAttributeValue",
  "MissingParameter",
  "TooManyEntriesInBatchRequest",
  "TooManyEntriesInBatchRequestException",
  "BatchEntryIdsNotDistinct",
  "EmptyBatchRequest",
  "InvalidBatchEntryId",
  "ReceiptHandleIsInvalid",
  "InvalidRequestException",
  "DashboardInvalidInputError",
]);

const conflictNames = new Set([
  "ResourceConflictException",
  "ResourceInUseException",
  "QueueNameExists",
  "QueueDeletedRecently",
  "PurgeQueueInProgress",
  "ConcurrentAccessException",
]);

const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
]);

/**
 * An answer that is not an AWS error document at all — an HTML error page or a missing route —
 * is how emulators say "I don't do that". It is only a guess: the same page can come from a
 * supported operation that crashed, so the registry's verdict outranks it.
 */
export function looksUnimplemented(err: SdkErrorShape): boolean {
  const status = err.$metadata?.httpStatusCode;
  const message = err.message ?? "";
  if (err.name === "SyntaxError" && (status === 500 || status === 404)) return true;
  if (/^@aws-sdk XML parse error/.test(message) && (status === 500 || status === 404)) return true;
  // X-Ray on moto answers JSON: InternalFailure "Not implemented yet".
  if (/not implemented/i.test(message) && (err.$fault === "server" || status === 500 || status === 501)) return true;
  return false;
}

/** Converts an SDK failure into an AppError with a message an operator can act on. */
export function toAppError(err: unknown, context: AwsCallContext, capability?: CapabilityLookup): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as SdkErrorShape;
  const name = e.Code ?? e.name ?? "";
  const where = `${context.service}:${context.operation}`;
  const detail = e.message ? `: ${e.message.split("\n")[0]}` : "";

  if (throttledNames.has(name))
    return new AppError("throttled", `AWS throttled ${where}; retry in a moment${detail}`, { cause: err });
  if (accessDeniedNames.has(name)) {
    return new AppError(
      "access_denied",
      `Access denied for ${where}; check the IAM policy of the console's credentials${detail}`,
      { cause: err },
    );
  }
  if (notFoundNames.has(name)) return new AppError("not_found", `Not found (${where})${detail}`, { cause: err });
  // X-Ray's one error for a request it will not run: "The request is missing required parameters
  // or has invalid parameters" (X-Ray API reference, Errors), such as a filter expression it cannot
  // parse or a time range it will not search.
  if (name === "InvalidRequestException" && context.service === "xray") {
    return new AppError(
      "validation",
      `X-Ray refused ${where} as invalid: its filter expression or time range is not accepted${detail}`,
      { cause: err },
    );
  }
  if (validationNames.has(name) || name.startsWith("InvalidParameter"))
    return new AppError("validation", `AWS rejected ${where}${detail}`, { cause: err });
  if (conflictNames.has(name)) return new AppError("conflict", `Conflict on ${where}${detail}`, { cause: err });

  if (networkCodes.has(e.code ?? "") || name === "TimeoutError" || name === "RequestTimeout" || name === "AbortError") {
    return new AppError(
      "upstream_unavailable",
      `The AWS endpoint for ${context.service} did not answer (${e.code ?? name})`,
      { cause: err },
    );
  }

  if (looksUnimplemented(e)) {
    const known = capability?.(context.service, context.operation) ?? "unknown";
    if (known !== "supported") {
      return new AppError("not_supported_by_endpoint", `${where} is not supported by this endpoint`, { cause: err });
    }
  }

  const status = e.$metadata?.httpStatusCode;
  if (e.$fault === "server" || (status !== undefined && status >= 500)) {
    return new AppError(
      "upstream_unavailable",
      `The AWS endpoint failed on ${where} (HTTP ${status ?? "5xx"})${detail}`,
      { cause: err },
    );
  }
  if (e.$fault === "client" && status !== undefined && status < 500) {
    return new AppError("validation", `AWS rejected ${where}${detail}`, { cause: err });
  }
  return new AppError("internal", `Unexpected failure calling ${where}`, { cause: err });
}
