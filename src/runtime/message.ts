/**
 * The runtime's own message model. Codecs translate between it and a wire format; the peer only ever sees
 * these. Addresses are opaque strings (`/calculator`, `jamp+ws://host/calculator`), and `""` where the wire
 * carries none: JSON-RPC and SOAPjr address nothing, JAMP/B's `send` names no sender and its answers no
 * responder. Such messages name their service by `service` instead (JSON-RPC's `Calculator.add`).
 */

import type { ErrorBody } from "./errors.js";

/**
 * Pairs a query with its answer. The runtime emits integers from 1; ids received are echoed as received,
 * with their JSON type. `null` comes only from the formats that have it: a JSON-RPC 2.0 request may carry
 * it, JSON-RPC answers a request whose id cannot be read with it, and a SOAPjr request without our
 * `request_id` has no id at all.
 */
export type QueryId = number | string | null;

/** Per-message metadata: JAMP/B's headers object (slot 1), SOAPjr's application keys of `HEAD`. */
export type Headers = Readonly<Record<string, unknown>>;

/** Arguments keyed by parameter name, as JSON-RPC `params` objects and SOAPjr `BODY`s carry them. */
export type NamedArguments = Readonly<Record<string, unknown>>;

/** What every message may carry. */
interface Carried {
  /** Present only when the wire carried non-empty headers; formats without headers drop them. */
  readonly headers?: Headers;
}

/** The call part of `send`, `query` and `stream`. */
interface Call extends Carried {
  readonly to: string;
  readonly from: string;
  readonly method: string;
  /** The arguments by position; empty when they came by name (`named`). */
  readonly args: readonly unknown[];
  /**
   * The arguments by name, from wires that pass them so; the receiving binding places them by its
   * descriptor's parameter names. Absent for positional calls.
   */
  readonly named?: NamedArguments;
  /**
   * The interface name of the service called (`Calculator`), for wires that name services rather than
   * address them. A received message with `to` `""` is routed by it.
   */
  readonly service?: string;
  /**
   * The declared names of the parameters, in order, set by the calling side for wires that pass arguments
   * by name (SOAPjr's `BODY`). Never read from a wire.
   */
  readonly paramNames?: readonly string[];
}

/** One-way call: no answer on success; a failure may be reported with an `error` message. */
export interface SendMessage extends Call {
  readonly kind: "send";
}

/** Request: answered by exactly one `reply` or `query-error` carrying the same id. */
export interface QueryMessage extends Call {
  readonly kind: "query";
  readonly id: QueryId;
}

/** Success answer to a query; `to`/`from` are the query's `from`/`to`. */
export interface ReplyMessage extends Carried {
  readonly kind: "reply";
  readonly id: QueryId;
  readonly to: string;
  readonly from: string;
  readonly result: unknown;
}

/** Failure answer to a query (`error-query` on the JAMP wire, `error` on JAMP/B). */
export interface QueryErrorMessage extends Carried {
  readonly kind: "query-error";
  readonly id: QueryId;
  readonly to: string;
  readonly from: string;
  readonly error: ErrorBody;
}

/** An error tied to no query, such as the answer to a failed `send`. */
export interface ErrorMessage extends Carried {
  readonly kind: "error";
  readonly to: string;
  readonly from: string;
  readonly error: ErrorBody;
}

/**
 * Opens a stream: the callee answers with `stream-result`s, then one `stream-complete` or `stream-error`,
 * all carrying `id`. `credit` is how many values the caller is ready for; `stream-credit` grants more.
 */
export interface StreamMessage extends Call {
  readonly kind: "stream";
  readonly id: QueryId;
  readonly credit: number;
}

/** Values of a stream, in order (one chunk; several chunks may follow). */
export interface StreamResultMessage extends Carried {
  readonly kind: "stream-result";
  readonly id: QueryId;
  readonly to: string;
  readonly from: string;
  readonly values: readonly unknown[];
}

/** The stream ended normally; nothing follows for its id. */
export interface StreamCompleteMessage extends Carried {
  readonly kind: "stream-complete";
  readonly id: QueryId;
  readonly to: string;
  readonly from: string;
}

/** The stream failed; nothing follows for its id. Baratine's own server sends no detail: `error` is absent. */
export interface StreamErrorMessage extends Carried {
  readonly kind: "stream-error";
  readonly id: QueryId;
  readonly to: string;
  readonly from: string;
  readonly error?: ErrorBody;
}

/** The caller stops the stream `id`; no answer. */
export interface StreamCancelMessage extends Carried {
  readonly kind: "stream-cancel";
  readonly id: QueryId;
  readonly to: string;
  readonly from: string;
}

/** The caller is ready for `credit` more values of stream `id`; no answer. */
export interface StreamCreditMessage extends Carried {
  readonly kind: "stream-credit";
  readonly id: QueryId;
  readonly to: string;
  readonly from: string;
  readonly credit: number;
}

/** Every message, by kind. A new kind is one interface plus one line here. */
export interface MessageByKind {
  send: SendMessage;
  query: QueryMessage;
  reply: ReplyMessage;
  "query-error": QueryErrorMessage;
  error: ErrorMessage;
  stream: StreamMessage;
  "stream-result": StreamResultMessage;
  "stream-complete": StreamCompleteMessage;
  "stream-error": StreamErrorMessage;
  "stream-cancel": StreamCancelMessage;
  "stream-credit": StreamCreditMessage;
}

export type MessageKind = keyof MessageByKind;
export type Message = MessageByKind[MessageKind];
