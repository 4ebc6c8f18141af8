/**
 * One end of a JAMP conversation over a transport. Symmetric, as JAMP is: a peer sends queries and
 * one-way messages, and serves the bindings registered on it, whichever side opened the connection.
 */

import { jampCodec } from "./codecs/jamp.js";
import type { Codec, InvalidMessageData } from "./codecs/codec.js";
import { JampError, fromErrorBody, isJampError, toErrorBody, type ErrorBody } from "./errors.js";
import type { Message, MessageKind, QueryId, QueryMessage, SendMessage } from "./message.js";
import { PendingQueries, type AnswerOutcome } from "./pending.js";
import type { ServiceBinding } from "./service.js";
import type { Transport } from "./transports/transport.js";

export interface PeerOptions {
  /** The wire format. Default `jampCodec`. */
  readonly codec?: Codec | undefined;
  /** This side's own address, the `from` of what it sends. Default `/client/<random hex>`. */
  readonly address?: string | undefined;
  /** Default time limit of a query in ms; 0 means none. Default 30_000. */
  readonly timeout?: number | undefined;
  /** The most queries outstanding at once; past it `query` rejects with `limit-exceeded`. Default 10_000. */
  readonly maxPending?: number | undefined;
  /** Bindings to serve from the start; see `serve`. */
  readonly services?: readonly ServiceBinding[] | undefined;
  /**
   * Told about `error` messages received and about protocol errors (malformed frames, answers to unknown
   * queries, answers that could not be sent). It must not throw; what it throws is ignored.
   */
  readonly onError?: ((error: JampError, message?: Message) => void) | undefined;
  /** Whether messages of non-`JampError` exceptions thrown by handlers reach the caller. Default true. */
  readonly exposeInternalErrors?: boolean | undefined;
}

export interface CallOptions {
  /** Time limit in ms, overriding the peer's; 0 means none. On expiry the call rejects with `timeout`. */
  readonly timeout?: number | undefined;
  /** Aborting it rejects the call with `cancelled` (at once if it is already aborted). */
  readonly signal?: AbortSignal | undefined;
}

export interface PeerStats {
  readonly framesIn: number;
  readonly framesOut: number;
  /** Frames the codec rejected. */
  readonly malformed: number;
  /** Answers to queries this peer never sent (or no longer remembers). */
  readonly dropped: number;
  /** Answers that arrived after their query timed out or was cancelled. */
  readonly lateReplies: number;
  /** Queries sent and not yet settled. */
  readonly pending: number;
}

const defaultTimeout = 30_000;
const defaultMaxPending = 10_000;

/**
 * Correlates the queries it sends with their answers (ids from 1, timeouts, cancellation, a bound on how
 * many are pending) and serves incoming `query` and `send` messages: routed by `to` to a binding (exact
 * address, else the path of a URL) → `service-not-found`; by own method of the descriptor →
 * `method-not-found`; then the binding's dispatch. A query is answered with `reply` (a handler's `undefined`
 * becomes `null`) or `query-error`, a failed send with `error`, addresses swapped. A frame the codec
 * rejects is answered with `query-error` when the codec recovered the id and sender of a query, with `error`
 * when it recovered the sender of a query or send, and otherwise dropped; never with an answer to an answer.
 */
export class Peer {
  /** This side's own address. */
  readonly address: string;
  /** Resolves, never rejects, once the peer is closed, with why (normally `connection-closed`). */
  readonly closed: Promise<JampError>;
  readonly #transport: Transport;
  readonly #codec: Codec;
  readonly #timeout: number;
  readonly #maxPending: number;
  readonly #onError: ((error: JampError, message?: Message) => void) | undefined;
  readonly #exposeInternal: boolean;
  readonly #services = new Map<string, ServiceBinding>();
  readonly #pending: PendingQueries;
  readonly #counts = { framesIn: 0, framesOut: 0, malformed: 0, dropped: 0, lateReplies: 0 };
  readonly #resolveClosed: (reason: JampError) => void;
  #closeReason: JampError | undefined;

  constructor(transport: Transport, options: PeerOptions = {}) {
    this.#transport = transport;
    this.#codec = options.codec ?? jampCodec;
    this.address = options.address ?? `/client/${randomHex()}`;
    this.#timeout = options.timeout ?? defaultTimeout;
    this.#maxPending = options.maxPending ?? defaultMaxPending;
    this.#onError = options.onError;
    this.#exposeInternal = options.exposeInternalErrors ?? true;
    this.#pending = new PendingQueries(this.#maxPending);
    let resolveClosed!: (reason: JampError) => void;
    this.closed = new Promise((resolve) => (resolveClosed = resolve));
    this.#resolveClosed = resolveClosed;
    for (const binding of options.services ?? []) this.serve(binding);
    void this.#read();
  }

  get stats(): PeerStats {
    return { ...this.#counts, pending: this.#pending.size };
  }

  /**
   * Sends a query and resolves with the reply's result (raw JSON: `createClient` validates and revives).
   * Rejects with the `error-query` as a `JampError`, or with `timeout`, `cancelled`, `limit-exceeded`,
   * `connection-closed`, or `invalid-message` when the arguments cannot be encoded.
   */
  query(to: string, method: string, args: readonly unknown[], options: CallOptions = {}): Promise<unknown> {
    if (this.#closeReason !== undefined) return Promise.reject(this.#closedError());
    const signal = options.signal;
    if (signal?.aborted === true) {
      const reason: unknown = signal.reason;
      return Promise.reject(
        new JampError(
          "cancelled",
          `query ${method} to ${to} was cancelled`,
          reason === undefined ? {} : { cause: reason },
        ),
      );
    }
    if (this.#pending.size >= this.#maxPending) {
      return Promise.reject(
        new JampError("limit-exceeded", `query ${method} to ${to} refused: ${this.#maxPending} queries are pending`),
      );
    }
    const id = this.#pending.nextId();
    let frame: string;
    try {
      frame = this.#codec.encode({ kind: "query", id, to, from: this.address, method, args });
    } catch (error) {
      return Promise.reject(error);
    }
    const answer = this.#pending.add(id, to, method, options.timeout ?? this.#timeout, signal);
    try {
      this.#transport.send(frame);
      this.#counts.framesOut++;
    } catch (error) {
      this.#pending.reject(id, asJampError(error, "connection-closed"));
    }
    return answer;
  }

  /**
   * Sends a one-way message; nothing answers it unless it fails (then an `error` message reaches `onError`
   * of the sending peer). Throws `connection-closed` when closed, `invalid-message` when the arguments
   * cannot be encoded.
   */
  send(to: string, method: string, args: readonly unknown[]): void {
    if (this.#closeReason !== undefined) throw this.#closedError();
    this.#transport.send(this.#codec.encode({ kind: "send", to, from: this.address, method, args }));
    this.#counts.framesOut++;
  }

  /** Serves `binding` at its address. Throws if another binding already has that address. */
  serve(binding: ServiceBinding): void {
    if (this.#services.has(binding.address)) throw new Error(`a service is already bound at ${binding.address}`);
    this.#services.set(binding.address, binding);
  }

  /** Closes the transport; every outstanding query rejects with `connection-closed` at once. Idempotent. */
  close(code = 1000, reason = ""): void {
    if (this.#closeReason !== undefined) return;
    const detail = reason === "" ? `code ${code}` : `code ${code}, ${JSON.stringify(reason)}`;
    this.#shutdown(
      new JampError("connection-closed", `the peer was closed locally (${detail})`, { data: { code, reason } }),
    );
    this.#transport.close(code, reason);
  }

  async #read(): Promise<void> {
    let reason: JampError;
    try {
      for (;;) {
        const frame = await this.#transport.receive();
        if (this.#closeReason !== undefined) return;
        try {
          this.#receive(frame);
        } catch (error) {
          // A bug in a codec or binding must not end the connection: report it and read on.
          this.#report(asJampError(error, "internal-error"));
        }
      }
    } catch (error) {
      reason = asJampError(error, "connection-closed");
    }
    this.#shutdown(reason);
  }

  #shutdown(reason: JampError): void {
    if (this.#closeReason !== undefined) return;
    this.#closeReason = reason;
    this.#pending.rejectAll(reason);
    this.#resolveClosed(reason);
  }

  #closedError(): JampError {
    const reason = this.#closeReason as JampError;
    return new JampError("connection-closed", `the peer is closed: ${reason.message}`, { cause: reason });
  }

  #receive(frame: string): void {
    this.#counts.framesIn++;
    let message: Message;
    try {
      message = this.#codec.decode(frame);
    } catch (error) {
      this.#onMalformed(asJampError(error, "invalid-message"));
      return;
    }
    switch (message.kind) {
      case "query":
        void this.#answerQuery(message);
        return;
      case "send":
        void this.#runSend(message);
        return;
      case "reply":
        this.#count(this.#pending.resolve(message.id, message.result), message);
        return;
      case "query-error":
        this.#count(this.#pending.reject(message.id, fromErrorBody(message.error)), message);
        return;
      case "error":
        this.#report(fromErrorBody(message.error), message);
        return;
      default:
        this.#unhandled(message);
    }
  }

  /** A kind a future codec may produce before the peer handles it: counted as dropped. */
  #unhandled(message: never): void {
    this.#counts.dropped++;
    this.#report(new JampError("invalid-message", `unhandled message kind ${(message as Message).kind}`), message);
  }

  #count(outcome: AnswerOutcome, message: Message & { id: QueryId }): void {
    if (outcome === "late") this.#counts.lateReplies++;
    else if (outcome === "unknown") {
      this.#counts.dropped++;
      this.#report(
        new JampError("invalid-message", `dropped an answer to unknown query ${String(message.id)}`),
        message,
      );
    }
  }

  async #answerQuery(query: QueryMessage): Promise<void> {
    let result: unknown;
    try {
      result = await this.#dispatch(query.to, query.method, query.args);
    } catch (error) {
      this.#answerError(query, error);
      return;
    }
    let frame: string;
    try {
      frame = this.#codec.encode({
        kind: "reply",
        id: query.id,
        to: query.from,
        from: query.to,
        result: result ?? null,
      });
    } catch (error) {
      const problem = new JampError(
        "internal-error",
        `the result of ${query.method} cannot be sent: ${messageOf(error)}`,
      );
      this.#answerError(query, problem);
      return;
    }
    this.#write(frame);
  }

  async #runSend(send: SendMessage): Promise<void> {
    try {
      await this.#dispatch(send.to, send.method, send.args);
    } catch (error) {
      this.#answerError(send, error);
    }
  }

  #dispatch(to: string, method: string, args: readonly unknown[]): Promise<unknown> {
    const binding = this.#route(to);
    if (binding === undefined) throw new JampError("service-not-found", `no service at ${quote(to)}`);
    if (!Object.hasOwn(binding.descriptor.methods, method)) {
      throw new JampError("method-not-found", `${binding.descriptor.name} has no method ${quote(method)}`);
    }
    return binding.dispatch(method, args);
  }

  /** The binding at `to`: an exact match, else the one at the path of `to` when it is a URL. */
  #route(to: string): ServiceBinding | undefined {
    const exact = this.#services.get(to);
    if (exact !== undefined) return exact;
    const path = pathOfUrl(to);
    return path === undefined ? undefined : this.#services.get(path);
  }

  /** Answers a failed query with `query-error`, a failed send with `error`, addresses swapped. */
  #answerError(to: QueryMessage | SendMessage, error: unknown): void {
    const body = toErrorBody(error, { exposeInternal: this.#exposeInternal });
    let frame: string;
    try {
      frame = this.#codec.encode(answerOf(to, body));
    } catch {
      // The error's data cannot be encoded: send type and message alone.
      this.#post(answerOf(to, { type: body.type, message: body.message }));
      return;
    }
    this.#write(frame);
  }

  /** A frame the codec rejected: answered when the codec recovered who sent a query or send, else dropped. */
  #onMalformed(problem: JampError): void {
    this.#counts.malformed++;
    this.#report(problem);
    const { kind, id, to, from } = recovered(problem.data);
    if (kind === "reply" || kind === "query-error") {
      // The answer to one of our queries is garbled: fail that query now rather than at its timeout.
      if (id !== undefined) this.#pending.reject(id, problem);
      return;
    }
    if (from === undefined || (kind !== "query" && kind !== "send")) return;
    const error: ErrorBody = { type: problem.type, message: problem.message };
    const self = to ?? this.address;
    const answer: Message =
      kind === "query" && id !== undefined
        ? { kind: "query-error", id, to: from, from: self, error }
        : { kind: "error", to: from, from: self, error };
    this.#post(answer);
  }

  /** Encodes and sends a message of the peer's own making; a failure goes to `onError`. */
  #post(message: Message): void {
    let frame: string;
    try {
      frame = this.#codec.encode(message);
    } catch (error) {
      this.#report(asJampError(error, "invalid-message"), message);
      return;
    }
    this.#write(frame);
  }

  #write(frame: string): void {
    if (this.#closeReason !== undefined) return;
    try {
      this.#transport.send(frame);
      this.#counts.framesOut++;
    } catch (error) {
      this.#report(asJampError(error, "connection-closed"));
    }
  }

  #report(error: JampError, message?: Message): void {
    if (this.#onError === undefined) return;
    try {
      if (message === undefined) this.#onError(error);
      else this.#onError(error, message);
    } catch {
      // onError must not throw; a throwing one must not break the peer.
    }
  }
}

function answerOf(message: QueryMessage | SendMessage, error: ErrorBody): Message {
  return message.kind === "query"
    ? { kind: "query-error", id: message.id, to: message.from, from: message.to, error }
    : { kind: "error", to: message.from, from: message.to, error };
}

/** The `InvalidMessageData` of a codec error, read defensively (a codec may put anything there). */
function recovered(data: unknown): { kind?: MessageKind; id?: QueryId; to?: string; from?: string } {
  if (typeof data !== "object" || data === null) return {};
  const { kind, id, to, from } = data as Record<keyof InvalidMessageData, unknown>;
  const result: { kind?: MessageKind; id?: QueryId; to?: string; from?: string } = {};
  if (typeof kind === "string") result.kind = kind as MessageKind;
  if (typeof id === "string" || typeof id === "number") result.id = id;
  if (typeof to === "string") result.to = to;
  if (typeof from === "string") result.from = from;
  return result;
}

/** `/calculator` for `jamp+ws://host/calculator?x#y`; `undefined` when `address` is not a URL. */
function pathOfUrl(address: string): string | undefined {
  const scheme = address.indexOf("://");
  if (scheme <= 0) return undefined;
  const start = address.indexOf("/", scheme + 3);
  if (start < 0) return "/";
  let end = address.length;
  for (const mark of ["?", "#"]) {
    const at = address.indexOf(mark, start);
    if (at >= 0 && at < end) end = at;
  }
  return address.slice(start, end);
}

function asJampError(error: unknown, type: string): JampError {
  return isJampError(error) ? error : new JampError(type, messageOf(error), { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "a non-Error value was thrown";
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

/** 16 hex digits; not secret, only unlikely to collide, so no crypto is needed. */
function randomHex(): string {
  const part = (): string =>
    Math.floor(Math.random() * 2 ** 32)
      .toString(16)
      .padStart(8, "0");
  return part() + part();
}
