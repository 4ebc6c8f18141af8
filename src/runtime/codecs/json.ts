/**
 * Reading and writing JSON text for the codecs: every wire format here is JSON, and each checks its frames
 * with the same limits and describes what it refused in the same words.
 */

import { JampError } from "../errors.js";
import type { Message } from "../message.js";
import { setOwn } from "../revive.js";

/** The deepest nesting of arrays and objects a frame may hold, the outermost value counting as 1. */
export const defaultMaxDepth = 128;

/** An `invalid-message` error whose text starts with `invalid <format> message: `. */
export function invalidMessage(format: string, reason: string, data: object = {}): JampError {
  return new JampError("invalid-message", `invalid ${format} message: ${reason}`, { data });
}

/** The JSON value of `frame`; throws `invalid-message` (nothing recovered) when it is not text or not JSON. */
export function parseFrame(frame: unknown, format: string): unknown {
  if (typeof frame !== "string") throw invalidMessage(format, `a frame must be text, got ${describe(frame)}`);
  try {
    return JSON.parse(frame);
  } catch (error) {
    throw invalidMessage(format, `the frame is not JSON: ${reasonOf(error)}`);
  }
}

/** `JSON.stringify(value)`; throws `invalid-message` for what JSON cannot encode (a `BigInt`, a cycle). */
export function stringify(value: unknown, kind: string): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new JampError("invalid-message", `cannot encode the ${kind} message as JSON: ${reasonOf(error)}`, {
      cause: error,
    });
  }
}

/**
 * Throws `invalid-message` for a message with headers, in a format that has no place for them: dropping
 * them would lose what the other side may need (a session id).
 */
export function refuseHeaders(message: Message, format: string): void {
  if (message.headers === undefined || Object.keys(message.headers).length === 0) return;
  const count = Object.keys(message.headers).length;
  const advice = 'connect with codec "jamp-b" or "soapjr" to send them';
  throw new JampError("invalid-message", `${format} has no place for headers (this ${message.kind} has ${count}): ${advice}`);
}

/** A JSON object: not `null`, not an array (one test for the whole runtime, so a bundle holds it once). */
export { isJsonObject as isRecord } from "../validation.js";

/** An own member of `object`, never one inherited (so a `__proto__` key is plain data). */
export function ownValue(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/**
 * The members of `object` other than `known`, in a plain object (defined, so a `__proto__` key stays data),
 * or `undefined` when there are none: what another implementation put in an error body is kept.
 */
export function otherMembers(object: object, known: readonly string[]): Record<string, unknown> | undefined {
  let others: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    setOwn((others ??= {}), key, (object as Record<string, unknown>)[key]);
  }
  return others;
}

/**
 * Sets member `key` of `object` as `JSON.parse` would: a `__proto__` key is defined, as data rather than a
 * change of prototype (assignment would run `Object.prototype.__proto__`'s setter); the revivers' own.
 */
export { setOwn as setMember };

/** Whether arrays and objects in `value` nest deeper than `budget` levels; stops as soon as they do. */
export function exceedsDepth(value: unknown, budget: number): boolean {
  return typeof value === "object" && value !== null && nestsDeeper(value, budget);
}

/**
 * `exceedsDepth` for an array or object. It runs on every frame received, so it calls itself only for the
 * members that are arrays or objects: a frame is mostly strings and numbers, and a call for each of them
 * cost as much again as the walk itself.
 */
function nestsDeeper(value: object, budget: number): boolean {
  if (budget <= 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null && nestsDeeper(item, budget - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (typeof member === "object" && member !== null && nestsDeeper(member, budget - 1)) return true;
  }
  return false;
}

/** A short description of a JSON value for error messages: `the string "ab"`, `number 1.5`, `an object`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return `the string ${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? "..." : ""}`;
    case "number":
    case "boolean":
      return `${typeof value} ${String(value)}`;
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}

export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return "a value that cannot be printed was thrown";
  }
}
