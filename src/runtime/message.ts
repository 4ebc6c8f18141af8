/**
 * The runtime's own message model. Codecs translate between it and a wire format; the peer only ever sees
 * these. Addresses are opaque strings (`/calculator`, `jamp+ws://host/calculator`).
 */

import type { ErrorBody } from "./errors.js";

/** Pairs a query with its answer. The runtime emits integers; peers may use strings, echoed as received. */
export type QueryId = number | string;

/** One-way call: no answer on success; a failure may be reported with an `error` message. */
export interface SendMessage {
  readonly kind: "send";
  readonly to: string;
  readonly from: string;
  readonly method: string;
  readonly args: readonly unknown[];
}

/** Request: answered by exactly one `reply` or `query-error` carrying the same id. */
export interface QueryMessage {
  readonly kind: "query";
  readonly id: QueryId;
  readonly to: string;
  readonly from: string;
  readonly method: string;
  readonly args: readonly unknown[];
}

/** Success answer to a query; `to`/`from` are the query's `from`/`to`. */
export interface ReplyMessage {
  readonly kind: "reply";
  readonly id: QueryId;
  readonly to: string;
  readonly from: string;
  readonly result: unknown;
}

/** Failure answer to a query (`error-query` on the JAMP wire). */
export interface QueryErrorMessage {
  readonly kind: "query-error";
  readonly id: QueryId;
  readonly to: string;
  readonly from: string;
  readonly error: ErrorBody;
}

/** An error tied to no query, such as the answer to a failed `send`. */
export interface ErrorMessage {
  readonly kind: "error";
  readonly to: string;
  readonly from: string;
  readonly error: ErrorBody;
}

/** Every message, by kind. A new kind is one interface plus one line here. */
export interface MessageByKind {
  send: SendMessage;
  query: QueryMessage;
  reply: ReplyMessage;
  "query-error": QueryErrorMessage;
  error: ErrorMessage;
}

export type MessageKind = keyof MessageByKind;
export type Message = MessageByKind[MessageKind];
