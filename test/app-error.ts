import { expect } from "vitest";
import { AppError } from "../lib/domain/app-error";

/** The AppError a promise rejects with; the test fails when it resolves or rejects with anything else. */
export async function appErrorOf(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}
