import { JampError } from "../../src/runtime/errors.js";

/** Awaits a promise that must reject with a `JampError`, and returns that error. */
export async function rejection(promise: unknown): Promise<JampError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof JampError) return error;
    throw new Error(`expected a JampError, got ${String(error)}`, { cause: error });
  }
  throw new Error("expected a rejection, but the promise resolved");
}
