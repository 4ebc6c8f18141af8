/**
 * What JSON-RPC 1.0 and 2.0 share here: method names that name the service, ids, and the mapping between
 * the runtime's error types and JSON-RPC error objects (PROTOCOLS.md 2.3, DESIGN.md's error types).
 *
 * Errors, runtime to wire: `{code, message, data: {type, data?}}`, the code by type:
 *
 *   invalid-message                      -32600 Invalid Request (-32700 Parse error for text that is not JSON)
 *   service-not-found, method-not-found  -32601 Method not found
 *   invalid-arguments                    -32602 Invalid params
 *   internal-error                       -32603 Internal error
 *   unauthorized                         -32001 (ours, in the implementation-defined -32000..-32099 range)
 *   forbidden                            -32003 (ours, likewise)
 *   any other type (timeout, cancelled,  -32000 Server error; an application's own type (`division-by-zero`)
 *   connection-closed, limit-exceeded,          is told apart by `data.type`
 *   an application's own)
 *
 * Wire to runtime: `data.type`, when `data` is an object with a string `type`, gives the type and `data.data`
 * the data (so errors between two jamp-gen peers keep both exactly). Otherwise the code decides: -32700 and
 * -32600 `invalid-message`, -32601 `method-not-found`, -32602 `invalid-arguments`, -32001 `unauthorized`,
 * -32003 `forbidden`, -32603 and the rest of -32768..-32000 `internal-error`, keeping `data`; any other code
 * is an application's error of another implementation: `application-error`, with `data: {code, data?}`.
 */

import { JampError, type ErrorBody } from "../errors.js";
import type { QueryId } from "../message.js";
import { wireType } from "./codec.js";
import { describe, isRecord, ownValue } from "./json.js";

export const parseError = -32700;
export const invalidRequest = -32600;

const codeOfType = new Map<string, number>([
  ["invalid-message", invalidRequest],
  ["service-not-found", -32601],
  ["method-not-found", -32601],
  ["invalid-arguments", -32602],
  ["internal-error", -32603],
  ["unauthorized", -32001],
  ["forbidden", -32003],
]);

const typeOfCode = new Map<number, string>([
  [parseError, "invalid-message"],
  [invalidRequest, "invalid-message"],
  [-32601, "method-not-found"],
  [-32602, "invalid-arguments"],
  [-32603, "internal-error"],
  [-32001, "unauthorized"],
  [-32003, "forbidden"],
]);

/** The code of an application's error, and of runtime types without a code of their own. */
const serverError = -32000;

export interface WireError {
  readonly code: number;
  readonly message: string;
  readonly data: { readonly type: string; readonly data?: unknown };
}

/** The JSON-RPC error object for `error`; `code` overrides the type's (for -32700). */
export function wireError(error: ErrorBody, code?: number): WireError {
  const type = wireType(error);
  const data = error.data === undefined ? { type } : { type, data: error.data };
  return { code: code ?? codeOfType.get(type) ?? serverError, message: error.message, data };
}

/** Whether `value` is a 2.0 error object: an integer code and a string message. */
export function isWireError(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && Number.isInteger(ownValue(value, "code")) && typeof ownValue(value, "message") === "string";
}

/**
 * The error body for an error object received. Tolerant, for 1.0 where an error has no fixed shape: a bare
 * string is the message of an `internal-error`, and a value that is no object is kept as its `data`.
 */
export function readWireError(value: unknown): ErrorBody {
  if (typeof value === "string") return { type: "internal-error", message: value };
  if (!isRecord(value)) return { type: "internal-error", message: "the peer sent a malformed error", data: value };
  const code = ownValue(value, "code");
  const text = ownValue(value, "message");
  const message = typeof text === "string" ? text : "the peer sent an error without a message";
  const data = ownValue(value, "data");
  const type = isRecord(data) ? ownValue(data, "type") : undefined;
  if (typeof type === "string" && type !== "") {
    return Object.hasOwn(data as object, "data")
      ? { type, message, data: ownValue(data as object, "data") }
      : { type, message };
  }
  const known = typeof code === "number" ? typeOfCode.get(code) : undefined;
  if (known !== undefined || (typeof code === "number" && code >= -32768 && code <= -32000)) {
    const mapped = known ?? "internal-error";
    return data === undefined ? { type: mapped, message } : { type: mapped, message, data };
  }
  return { type: "application-error", message, data: data === undefined ? { code } : { code, data } };
}

/** `Calculator.add` for a call that names its service, else the bare method. */
export function methodName(method: string, service: string | undefined): string {
  return service === undefined ? method : `${service}.${method}`;
}

/**
 * The service and method a JSON-RPC method name names: `Calculator.add` is method `add` of the service
 * whose interface is `Calculator` (split at the last dot); a name without an inner dot names only a method.
 */
export function splitMethodName(name: string): { readonly method: string; readonly service?: string } {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || dot === name.length - 1) return { method: name };
  return { method: name.slice(dot + 1), service: name.slice(0, dot) };
}

/**
 * `id`, when the JSON-RPC formats read it back exactly (see `readId`); else throws `invalid-message`, so
 * that a codec never writes an id its decoder refuses.
 */
export function writableId(id: QueryId, kind: string, format: string): QueryId {
  if (readId(id) !== undefined) return id;
  throw new JampError(
    "invalid-message",
    `${format} ids are strings, null or numbers JavaScript reads exactly, this ${kind} has ${describe(id)}`,
  );
}

/**
 * The id `value` stands for, or `undefined` when it cannot be echoed exactly: a string, `null`, a number
 * that is not an integer (`1.5` reads and writes back as itself), or an integer within ±(2^53-1). Larger
 * integers are refused: JavaScript reads them as the nearest double, so the echo would differ (and `1e400`
 * reads as Infinity).
 */
export function readId(value: unknown): QueryId | undefined {
  if (typeof value === "string" || value === null) return value;
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  return Number.isInteger(value) && !Number.isSafeInteger(value) ? undefined : value;
}
