/**
 * Every failure the runtime reports is a `JampError`: a machine-readable `type` (the kebab-case wire name),
 * a human-readable `message`, and optional JSON `data`. The same three fields travel in JAMP error bodies.
 */

/** The error types the runtime itself produces. Handlers may throw any other type of their own. */
export const knownErrorTypes = [
  "service-not-found",
  "method-not-found",
  "invalid-arguments",
  "invalid-message",
  "timeout",
  "cancelled",
  "connection-closed",
  "internal-error",
  "limit-exceeded",
  // A call refused before it ran: the caller is not known (a missing or unknown session), or known and not
  // allowed. Thrown by a peer's `authorize` hook, or by a handler.
  "unauthorized",
  "forbidden",
  // An error from another implementation that names no type of ours (a JSON-RPC code of its own, a SOAPjr
  // entry): the codec keeps what it said in `data`.
  "application-error",
] as const;

export type KnownErrorType = (typeof knownErrorTypes)[number];

/** A known type, or an application's own (`"division-by-zero"`); the `string & {}` keeps completion. */
export type JampErrorType = KnownErrorType | (string & {});

/** The error object carried by `error-query` and `error` messages. */
export interface ErrorBody {
  readonly type: string;
  readonly message: string;
  /** Any JSON value; absent when the error carries none. */
  readonly data?: unknown;
}

export interface JampErrorOptions {
  /** JSON data sent to the peer along with type and message. */
  readonly data?: unknown;
  /** The local cause; never sent to the peer. */
  readonly cause?: unknown;
}

/** A failure with a wire `type`; `data` travels to the peer, `cause` stays local. */
export class JampError extends Error {
  override readonly name = "JampError";
  readonly type: JampErrorType;
  declare readonly data?: unknown;

  constructor(type: JampErrorType, message: string, options: JampErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.type = type;
    if (options.data !== undefined) this.data = options.data;
  }
}

/**
 * Whether `value` is a `JampError`, also one made by another copy of this runtime (two bundled versions),
 * which `instanceof` would miss.
 */
export function isJampError(value: unknown): value is JampError {
  return (
    value instanceof JampError ||
    (value instanceof Error && value.name === "JampError" && typeof (value as { type?: unknown }).type === "string")
  );
}

export interface ToErrorBodyOptions {
  /**
   * Whether the message of an error that is not a `JampError` (a bug, most likely) is sent to the peer.
   * Default `true`; with `false` it is replaced by "internal error". Stacks are never sent.
   */
  readonly exposeInternal?: boolean;
}

/**
 * The wire body for something a handler threw. A `JampError` keeps its type, message and data; any other
 * `Error` becomes `internal-error` with its message; anything else becomes `internal-error` with a fixed text.
 */
export function toErrorBody(error: unknown, options: ToErrorBodyOptions = {}): ErrorBody {
  if (isJampError(error)) {
    return error.data === undefined
      ? { type: error.type, message: error.message }
      : { type: error.type, message: error.message, data: error.data };
  }
  if (error instanceof Error) {
    if (options.exposeInternal === false) return { type: "internal-error", message: "internal error" };
    return { type: "internal-error", message: error.message === "" ? error.name : error.message };
  }
  return { type: "internal-error", message: "handler threw a non-Error value" };
}

/**
 * The `JampError` for an error body received from a peer. Tolerates malformed bodies: a missing or empty
 * type becomes `internal-error`, a missing message a fixed text, and a bare string is taken as the message.
 */
export function fromErrorBody(body: unknown): JampError {
  if (typeof body === "string") return new JampError("internal-error", body);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return new JampError("internal-error", "the peer sent a malformed error", { data: body });
  }
  const { type, message } = body as { type?: unknown; message?: unknown };
  return new JampError(
    typeof type === "string" && type !== "" ? type : "internal-error",
    typeof message === "string" ? message : "the peer sent an error without a message",
    Object.hasOwn(body, "data") ? { data: (body as { data: unknown }).data } : {},
  );
}
