/**
 * What every calling side shares, `Peer` and the call-only `WebSocketCaller` alike: the message a call
 * sends, the error of a call given up by its signal, and a fresh address of one's own.
 */

import { describe } from "./codecs/json.js";
import { JampError } from "./errors.js";
import type { Headers, QueryMessage, SendMessage, StreamMessage } from "./message.js";
import type { CallTarget } from "./peer.js";

/**
 * A call's message with what the wires that name services need (`target`) and its headers, when it has any
 * (`{}` is none). Throws `invalid-message` for headers that are not an object.
 */
export function callMessage<M extends QueryMessage | SendMessage | StreamMessage>(
  message: M,
  target: CallTarget | undefined,
  headers: Headers | undefined,
): M {
  // Members are set on the message made for this call rather than spread into a copy: it is on every call's path.
  const call = message as { -readonly [K in keyof M]: M[K] };
  if (target !== undefined) {
    call.service = target.service;
    call.paramNames = target.paramNames;
  }
  if (headers === undefined) return call;
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) {
    const problem = `the headers of ${message.method} must be an object, got ${describe(headers)}`;
    throw new JampError("invalid-message", problem);
  }
  if (Object.keys(headers).length > 0) call.headers = headers;
  return call;
}

/** `cancelled` for the call `what` (`query add to /calculator`), caused by its signal's reason if any. */
export function cancelledCall(what: string, signal: AbortSignal | undefined): JampError {
  const reason: unknown = signal?.reason;
  return new JampError("cancelled", `${what} was cancelled`, reason === undefined ? {} : { cause: reason });
}

/** `/client/` and 16 hex digits: not secret, only unlikely to collide, so no crypto is needed. */
export function clientAddress(): string {
  const part = (): string =>
    Math.floor(Math.random() * 2 ** 32)
      .toString(16)
      .padStart(8, "0");
  return `/client/${part()}${part()}`;
}
