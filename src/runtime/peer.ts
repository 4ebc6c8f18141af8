/**
 * One end of a JAMP conversation over a transport. Symmetric, as JAMP is: a peer sends queries and
 * one-way messages, and serves the bindings registered on it, whichever side opened the connection.
 */

import {
  answerRecovered,
  isFrameCodec,
  recoveredData,
  type Batch,
  type Codec,
  type FrameCodec,
} from "./codecs/codec.js";
import { resolveCodec } from "./codecs/names.js";
import { callMessage, cancelledCall, clientAddress } from "./calls.js";
import type { ReconnectOptions } from "./backoff.js";
import { Connection, type PeerState, type PeerStateEvent, type TransportOpener } from "./connection.js";
import { jampCodec } from "./codecs/jamp.js";
import { defaultMaxDepth, describe, exceedsDepth, reasonOf, stringify } from "./codecs/json.js";
import { headerData, IncomingCall, RunningCalls, type Authorize } from "./context.js";
import { JampError, fromErrorBody, isJampError, toErrorBody, type ErrorBody } from "./errors.js";
import type { Headers, Message, QueryId, QueryMessage, SendMessage, StreamMessage } from "./message.js";
import { PendingQueries, type AnswerOutcome } from "./pending.js";
import { acceptedFormats, BatchAnswers, carries } from "./formats.js";
import { Routes, type MethodRoute } from "./routes.js";
import { argumentsByName, isThenable, type ServiceBinding } from "./service.js";
import { openStream, OutgoingStream, type IncomingStream } from "./streams.js";
import {
  defaultMaxPayload,
  defaultMaxPending,
  defaultMaxRunning,
  fits,
  limitOf,
  oversize,
  tooManyRunning,
} from "./limits.js";
import type { Transport } from "./transports/transport.js";

export interface PeerOptions {
  /**
   * The wire format this side speaks, a codec or its registry name (`"jsonrpc2"`). Default: the first of
   * `accept`, else `jampCodec`. Once it has read a frame of a `FrameCodec`, a peer speaks that frame's
   * format, so that a server calls each client back in the client's own.
   */
  readonly codec?: Codec | string | undefined;
  /**
   * The formats incoming frames may be in, codecs or names; each frame is recognised and answered in its
   * own format (the codecs must then be `FrameCodec`s). Default: `codec` alone. The order decides which
   * format answers a frame none of them recognises (the first that answers such frames: with every
   * registered codec, JSON-RPC 2.0's Parse error or Invalid Request).
   */
  readonly accept?: readonly (Codec | string)[] | undefined;
  /** This side's own address, the `from` of what it sends. Default `/client/<random hex>`. */
  readonly address?: string | undefined;
  /** Default time limit of a query in ms; 0 means none. Default 30_000. */
  readonly timeout?: number | undefined;
  /**
   * The most queries outstanding at once, and apart from them the most streams this side has open; past it
   * `query` rejects (and `stream` throws) with `limit-exceeded`. Default 10_000.
   */
  readonly maxPending?: number | undefined;
  /**
   * The most calls of the other side this peer runs at once (queries, sends, and streams it serves); past
   * it a call is answered `limit-exceeded` without running, so that a client pipelining calls cannot make
   * a server hold unbounded work for it. Default 1000.
   */
  readonly maxRunning?: number | undefined;
  /**
   * The largest frame this side sends, in bytes of UTF-8: a call whose frame is bigger fails with
   * `limit-exceeded` and is not sent, a result that big is answered `limit-exceeded` instead, a stream item
   * ends its stream with it. `listen` and `connect` give their own `maxPayload` (the largest frame they
   * accept), so that neither side sends what the other, with the same limit, would close the connection
   * for. Default 1 MiB.
   */
  readonly maxPayload?: number | undefined;
  /**
   * Who the other side of this connection is, as the server authenticated it (`listen`'s `authenticate`);
   * handlers and `authorize` read it as `ctx.identity`. Default `undefined`.
   */
  readonly identity?: unknown;
  /** Bindings to serve from the start; see `serve`. */
  readonly services?: readonly ServiceBinding[] | undefined;
  /**
   * Told about `error` messages received and about protocol errors (malformed frames, answers to unknown
   * queries, answers that could not be sent). It must not throw; what it throws is ignored.
   */
  readonly onError?: ((error: JampError, message?: Message) => void) | undefined;
  /**
   * Whether the messages of non-`JampError` exceptions thrown by handlers (bugs, most likely, whose text may
   * name files, hosts or queries) reach the caller. Default false: the caller gets `internal-error` with the
   * message "internal error", and the exception goes to `onError`. Stacks and causes are never sent.
   */
  readonly exposeInternalErrors?: boolean | undefined;
  /**
   * Runs before each incoming call's arguments are checked and its handler runs, with the call's context;
   * throwing a `JampError` (`unauthorized`, `forbidden`) refuses the call with it. See `Authorize`.
   */
  readonly authorize?: Authorize | undefined;
  /**
   * For a peer made from an opener: how to open a new transport after a drop (exponential backoff with
   * jitter; see `ReconnectOptions`), `true` for the defaults (the default), or `false` to close for good
   * at the first drop. A peer made from a transport cannot reconnect: anything but `false` is a TypeError.
   */
  readonly reconnect?: ReconnectOptions | boolean | undefined;
  /** Where the opener connects, named in the errors of a peer made from one (`connect` gives its URL). */
  readonly url?: string | undefined;
}

export interface SendOptions {
  /**
   * Headers the call carries, in the formats that have a place for them: JAMP/B (slot 1) and SOAPjr (members
   * of `HEAD`, where `service_type`, `action_type`, `request_id` and `result` are taken). The handler reads
   * them in its context. A format without headers (JAMP, JSON-RPC) fails the call with `invalid-message`
   * rather than drop them; `{}` is no headers.
   */
  readonly headers?: Headers | undefined;
}

export interface CallOptions extends SendOptions {
  /**
   * Time limit in ms, overriding the peer's; 0 means none. On expiry the call rejects with `timeout`. For a
   * stream it limits the wait for its first answer (an item, its end or an error), not the whole stream.
   */
  readonly timeout?: number | undefined;
  /**
   * Aborting it rejects the call with `cancelled` (at once if it is already aborted); a stream ends with
   * `cancelled`, its unread items dropped, and is cancelled on the other side.
   */
  readonly signal?: AbortSignal | undefined;
}

export interface StreamOptions extends CallOptions {
  /**
   * How many items the callee may send ahead of the consumer: the credit the stream opens with, granted
   * again as items are consumed. Default 16.
   */
  readonly credit?: number | undefined;
}

/**
 * What a call says about its target beyond the address, for wires that name services and parameters
 * rather than address them (JSON-RPC's `Calculator.add`, SOAPjr's `service_type` and `BODY`).
 * `createClient` gives it from the service's descriptor.
 */
export interface CallTarget {
  /** The interface name, `Calculator`. */
  readonly service: string;
  /** The method's parameter names, in declaration order. */
  readonly paramNames: readonly string[];
}

export interface PeerStats {
  readonly framesIn: number;
  readonly framesOut: number;
  /** Frames, or entries of a batch, that no accepted codec could read. */
  readonly malformed: number;
  /** Answers to queries this peer never sent (or no longer remembers). */
  readonly dropped: number;
  /** Answers that arrived after their query timed out or was cancelled. */
  readonly lateReplies: number;
  /** Queries sent and not yet settled. */
  readonly pending: number;
  /** Streams open: those this side opened and those it serves. */
  readonly streams: number;
  /** Calls of the other side running now (see `maxRunning`). */
  readonly running: number;
  /** Bytes sent and not yet handed to the network, where the transport can tell (a WebSocket); else 0. */
  readonly buffered: number;
}

const defaultTimeout = 30_000;
const defaultCredit = 16;

/**
 * Correlates the queries it sends with their answers (ids from 1, timeouts, cancellation, a bound on how
 * many are pending) and serves incoming `query` and `send` messages: routed to a binding by `to` (exact
 * address, else the path of a URL), or, for a message that names no address, by `service` (the interface
 * name the descriptor carries) → `service-not-found`; by own method of the descriptor → `method-not-found`;
 * arguments given by name are put in declaration order; then the binding's dispatch. A query is answered
 * with `reply` (a handler's `undefined` becomes `null`) or `query-error`, a failed send with `error` where
 * the format has that message (else the failure goes to `onError`), addresses swapped.
 *
 * Each frame is parsed once, its format recognised among those accepted, and answered in that format: a
 * batch (one frame, many messages) with one frame once all its entries are through, or none when no entry
 * has an answer. A message the codec rejects gets the codec's own answer (`answerInvalid`: for JAMP a
 * `query-error` when it recovered the id and sender of a query, an `error` when it recovered the sender of
 * a query or send), never an answer to an answer; a frame no accepted format recognises, the first
 * accepted format's answer to such frames, if any.
 */
export class Peer {
  /** This side's own address. */
  readonly address: string;
  /** Who the other side is, as authenticated (the `identity` option); handlers read it as `ctx.identity`. */
  readonly identity: unknown;
  /**
   * Resolves, never rejects, once the peer is closed for good, with why (normally `connection-closed`):
   * closed locally, its transport ended without reconnecting, or reconnect attempts exhausted.
   */
  readonly closed: Promise<JampError>;
  readonly #connection: Connection;
  /** Counts the connections lost, so that an answer to a call from a lost connection is not sent on the next. */
  #generation = 0;
  /** What this side speaks: its own queries and sends. */
  #codec: Codec;
  /** The formats accepted, when they can be recognised; `undefined` when the only one is a plain `Codec`. */
  readonly #formats: readonly FrameCodec[] | undefined;
  readonly #timeout: number;
  readonly #maxPending: number;
  readonly #maxRunning: number;
  readonly #maxPayload: number;
  readonly #onError: ((error: JampError, message?: Message) => void) | undefined;
  readonly #exposeInternal: boolean;
  readonly #authorize: Authorize | undefined;
  readonly #routes = new Routes();
  /** The incoming calls running, whose signals abort when the connection is lost. */
  readonly #running = new RunningCalls();
  readonly #pending: PendingQueries;
  /** Streams this side opened and still reads, by id (ids come from the queries' counter). */
  readonly #streams = new Map<QueryId, IncomingStream>();
  /**
   * Ids of streams this side cancelled, oldest first, so that items already on their way count as late,
   * not as nonsense (at most `maxPending` remembered).
   */
  readonly #cancelled = new Set<QueryId>();
  /** Streams this side serves, by the id their caller gave. */
  readonly #served = new Map<QueryId, OutgoingStream>();
  readonly #counts = { framesIn: 0, framesOut: 0, malformed: 0, dropped: 0, lateReplies: 0 };
  readonly #resolveClosed: (reason: JampError) => void;
  #closeReason: JampError | undefined;

  /**
   * Over `source`: a transport, for as long as it stays open, or an opener, called at once and again after
   * each drop as `options.reconnect` says (a `TransportOpener`), keeping this peer, its bindings and its
   * address across connections. Throws a `TypeError` or `RangeError` for options it cannot use.
   */
  constructor(source: Transport | TransportOpener, options: PeerOptions = {}) {
    this.#codec = resolveCodec(options.codec ?? options.accept?.[0] ?? jampCodec);
    this.#formats = acceptedFormats(this.#codec, options.accept);
    this.address = options.address ?? clientAddress();
    this.#timeout = options.timeout ?? defaultTimeout;
    this.#maxPending = limitOf("maxPending", options.maxPending, defaultMaxPending);
    this.#maxRunning = limitOf("maxRunning", options.maxRunning, defaultMaxRunning, true);
    this.#maxPayload = limitOf("maxPayload", options.maxPayload, defaultMaxPayload, true);
    this.identity = options.identity;
    this.#onError = options.onError;
    this.#exposeInternal = options.exposeInternalErrors ?? false;
    this.#authorize = options.authorize;
    this.#pending = new PendingQueries(this.#maxPending);
    let resolveClosed!: (reason: JampError) => void;
    this.closed = new Promise((resolve) => (resolveClosed = resolve));
    this.#resolveClosed = resolveClosed;
    for (const binding of options.services ?? []) this.serve(binding);
    this.#connection = new Connection(source, options, {
      frame: (frame) => this.#receive(frame),
      lost: (reason) => this.#lose(reason),
      ended: (reason) => this.#shutdown(reason),
      report: (error) => this.#report(error),
      describe: () => ({ address: this.address, served: this.#routes.addresses() }),
    });
  }

  /** `connecting` (made from an opener, not yet open), `open`, `reconnecting` or `closed`; see `onState`. */
  get state(): PeerState {
    return this.#connection.state;
  }

  /**
   * Calls `listener` on each change of `state`, and again for each attempt scheduled while connecting or
   * reconnecting (with its number, its delay and why the last failed); returns the function that stops it.
   * Not called with the state at the time of subscribing: read `state` for that.
   */
  onState(listener: (event: PeerStateEvent) => void): () => void {
    return this.#connection.onState(listener);
  }

  get stats(): PeerStats {
    const streams = this.#streams.size + this.#served.size;
    const running = this.#running.size;
    return { ...this.#counts, pending: this.#pending.size, streams, running, buffered: this.#connection.buffered };
  }

  /**
   * Sends a query and resolves with the reply's result (raw JSON: `createClient` validates and revives).
   * Rejects with the `error-query` as a `JampError`, or with `timeout`, `cancelled`, `limit-exceeded`,
   * `connection-closed`, or `invalid-message` when the arguments cannot be encoded.
   */
  query(
    to: string,
    method: string,
    args: readonly unknown[],
    options?: CallOptions,
    target?: CallTarget,
  ): Promise<unknown> {
    const down = this.#unavailable();
    if (down !== undefined) return Promise.reject(down);
    const signal = options?.signal;
    if (signal?.aborted === true) return Promise.reject(cancelledCall(`query ${method} to ${to}`, signal));
    if (this.#pending.size >= this.#maxPending) {
      return Promise.reject(
        new JampError("limit-exceeded", `query ${method} to ${to} refused: ${this.#maxPending} queries are pending`),
      );
    }
    const id = this.#pending.nextId();
    const codec = this.#codec;
    const headers = options?.headers;
    let frame: string;
    try {
      frame =
        codec === jampCodec && headers === undefined
          ? jampQuery(id, to, this.address, method, args)
          : codec.encode(callMessage({ kind: "query", id, to, from: this.address, method, args }, target, headers));
    } catch (error) {
      return Promise.reject(error);
    }
    // `fits` first: the error's description is a closure, made only for a frame that is too big.
    if (!fits(frame, this.#maxPayload)) {
      return Promise.reject(oversize(frame, this.#maxPayload, () => `query ${method} to ${to}`));
    }
    const answer = this.#pending.add(id, to, method, options?.timeout ?? this.#timeout, signal);
    try {
      this.#connection.send(frame);
      this.#counts.framesOut++;
    } catch (error) {
      this.#pending.reject(id, asJampError(error, "connection-closed"));
    }
    return answer;
  }

  /**
   * Sends a one-way message; nothing answers it unless it fails (then an `error` message reaches `onError`
   * of the sending peer, where the format has one). Throws `connection-closed` when closed,
   * `invalid-message` when the arguments cannot be encoded. A format without one-way messages (SOAPjr)
   * sends a query whose result is dropped; its failure goes to `onError`.
   */
  send(to: string, method: string, args: readonly unknown[], options: SendOptions = {}, target?: CallTarget): void {
    const down = this.#unavailable();
    if (down !== undefined) throw down;
    if (!carries(this.#codec, "send")) {
      this.query(to, method, args, options.headers === undefined ? {} : { headers: options.headers }, target).catch(
        (error: unknown) => this.#report(asJampError(error, "internal-error")),
      );
      return;
    }
    const message = callMessage({ kind: "send", to, from: this.address, method, args }, target, options.headers);
    const frame = this.#codec.encode(message);
    const tooBig = oversize(frame, this.#maxPayload, () => `send ${method} to ${to}`);
    if (tooBig !== undefined) throw tooBig;
    this.#connection.send(frame);
    this.#counts.framesOut++;
  }

  /**
   * Opens a stream of `method` at `to` and returns the iterator of its items (raw JSON: `createClient`
   * validates and revives them). Items arrive in order; the iterator ends when the callee completes the
   * stream, and throws its `stream-error` as a `JampError`, or `timeout` (no first answer in time),
   * `cancelled` (the signal), `connection-closed`. `return()` (a `break` out of `for await`) cancels the
   * stream on the other side. At most `credit` items are sent ahead of the consumer.
   *
   * Throws at once `invalid-message` when the peer's format cannot carry streams (JSON-RPC, SOAPjr) or the
   * arguments cannot be encoded, `cancelled` for an aborted signal, `limit-exceeded` past `maxPending`
   * open streams, `connection-closed` when closed.
   */
  stream(
    to: string,
    method: string,
    args: readonly unknown[],
    options: StreamOptions = {},
    target?: CallTarget,
  ): AsyncIterableIterator<unknown> {
    const down = this.#unavailable();
    if (down !== undefined) throw down;
    const codec = this.#codec;
    if (!carries(codec, "stream")) {
      const call = target === undefined ? method : `${target.service}.${method}`;
      throw new JampError(
        "invalid-message",
        `${call} is a stream, and ${codec.name} cannot carry streams: connect with codec "jamp" or "jamp-b"`,
      );
    }
    const signal = options.signal;
    if (signal?.aborted === true) throw cancelledCall(`stream ${method} to ${to}`, signal);
    if (this.#streams.size >= this.#maxPending) {
      throw new JampError("limit-exceeded", `stream ${method} to ${to} refused: ${this.#maxPending} streams are open`);
    }
    const credit = options.credit ?? defaultCredit;
    if (!Number.isSafeInteger(credit) || credit < 1) throw new RangeError(`credit must be a whole number from 1, got ${credit}`);
    const id = this.#pending.nextId();
    const from = this.address;
    const frame = codec.encode(
      callMessage({ kind: "stream", id, to, from, method, args, credit }, target, options.headers),
    );
    const tooBig = oversize(frame, this.#maxPayload, () => `stream ${method} to ${to}`);
    if (tooBig !== undefined) throw tooBig;
    const timeout = options.timeout ?? this.#timeout;
    const stream = openStream({
      id,
      to,
      from,
      method,
      credit,
      timeout,
      signal,
      post: (message) => {
        if (message.kind === "stream-cancel") {
          if (this.#cancelled.size >= this.#maxPending) this.#cancelled.delete(this.#cancelled.values().next().value as QueryId);
          this.#cancelled.add(id);
        }
        this.#post(message, this.#codec, undefined, 0);
      },
      release: () => this.#streams.delete(id),
    });
    this.#streams.set(id, stream);
    this.#write(frame);
    return stream;
  }

  /**
   * Serves `binding` at its address, and by its descriptor's name to messages that name no address (a
   * name two bindings share reaches neither that way). Throws if another binding already has that address.
   */
  serve(binding: ServiceBinding): void {
    this.#routes.add(binding);
  }

  /**
   * Handles one frame that came outside the transport, as an HTTP request's body does, and resolves (never
   * rejects) with the frames that answer it once every answer it calls for is ready: one for a query, a
   * failed JAMP send, a malformed frame its format answers, or a batch with answers; none for a send that
   * ran, an answer, or a batch of notifications. The frame is read, recognised and counted as one from the
   * transport is; only its answers are handed back instead of sent. What else it sets off (a stream's
   * items, calls back to the other side) still goes through the transport. Rejects only on a bug in a codec.
   */
  handle(frame: string): Promise<string[]> {
    return new Promise((resolve) => {
      this.#counts.framesIn++;
      // A message on its own is answered through a batch of one, so that its end is known like a batch's.
      const alone = (): BatchAnswers => new BatchAnswers(1, (frames) => resolve([...frames]));
      const formats = this.#formats;
      if (formats === undefined) {
        let message: Message;
        try {
          message = this.#codec.decode(frame);
        } catch (error) {
          this.#onMalformed(this.#codec, asJampError(error, "invalid-message"), alone(), 0);
          return;
        }
        this.#handle(message, this.#codec, alone(), 0);
        return;
      }
      let value: unknown;
      let problem: JampError | undefined;
      try {
        value = JSON.parse(frame);
      } catch (error) {
        problem = new JampError("invalid-message", `the frame is not JSON: ${reasonOf(error)}`);
      }
      const codec =
        problem !== undefined
          ? undefined
          : formats.length === 1
            ? formats[0]
            : formats.find((format) => format.recognizes(value));
      if (codec === undefined) {
        const parsed = problem === undefined;
        const names = formats.map((format) => format.name).join(", ");
        problem ??= new JampError(
          "invalid-message",
          `the frame is in none of the formats accepted (${names}): ${describe(value)}`,
        );
        this.#counts.malformed++;
        this.#report(problem);
        for (const format of formats) {
          const answer = format.answerUnrecognised(problem, parsed);
          if (answer !== undefined) return resolve([answer]);
        }
        return resolve([]);
      }
      let read: Message | Batch;
      try {
        read = codec.read(value);
      } catch (error) {
        this.#onMalformed(codec, asJampError(error, "invalid-message"), alone(), 0);
        return;
      }
      this.#codec = codec;
      if (read.kind !== "batch") return this.#handle(read, codec, alone(), 0);
      if (read.entries.length === 0) return resolve([]);
      const answers = new BatchAnswers(read.entries.length, (frames) => {
        if (frames.length === 0) return resolve([]);
        try {
          resolve([(codec.joinBatch as (frames: readonly string[]) => string)(frames)]);
        } catch (error) {
          this.#report(asJampError(error, "internal-error"));
          resolve([]);
        }
      });
      read.entries.forEach((entry, index) => {
        if (isJampError(entry)) this.#onMalformed(codec, entry, answers, index);
        else this.#handle(entry, codec, answers, index);
      });
    });
  }

  /**
   * Resolves once the transport has confirmed every one-way message (`send`) sent so far: over AMQP or
   * STOMP, once the broker holds each one, persistent, for a server to take. Rejects with the transport's
   * `JampError` (`connection-closed` when the connection went before, or while it is not open). Over
   * transports that confirm nothing (WebSocket, HTTP) it resolves at once.
   */
  flush(): Promise<void> {
    return this.#connection.flush();
  }

  /**
   * Closes the peer for good: stops reconnecting (an attempt under way is abandoned) and closes the
   * transport; every outstanding query rejects with `connection-closed` at once. Idempotent.
   */
  close(code = 1000, reason = ""): void {
    if (this.#closeReason !== undefined) return;
    const detail = reason === "" ? `code ${code}` : `code ${code}, ${JSON.stringify(reason)}`;
    const error = new JampError("connection-closed", `the peer was closed locally (${detail})`, {
      data: { code, reason },
    });
    this.#shutdown(error);
    this.#connection.close(code, reason, error);
  }

  #shutdown(reason: JampError): void {
    if (this.#closeReason !== undefined) return;
    this.#closeReason = reason;
    this.#lose(reason);
    this.#resolveClosed(reason);
  }

  /** The connection is gone: what was in flight on it fails, and answers still to come from it are dropped. */
  #lose(reason: JampError): void {
    this.#generation++;
    this.#pending.rejectAll(reason);
    this.#running.lose(new JampError("connection-closed", `the connection closed: ${reason.message}`, { cause: reason }));
    for (const stream of [...this.#streams.values()]) {
      stream.fail(new JampError("connection-closed", `stream ${stream.what} ended: ${reason.message}`, { cause: reason }));
    }
    // Each serving loop then returns its generator, so the handler's `finally` runs.
    for (const served of this.#served.values()) served.cancel();
  }

  /** Why a call cannot be sent now (closed, or not connected); `undefined` when it can. */
  #unavailable(): JampError | undefined {
    if (this.#closeReason !== undefined) return this.#closedError();
    return this.#connection.state === "open" ? undefined : this.#connection.notOpen();
  }

  #closedError(): JampError {
    const reason = this.#closeReason as JampError;
    return new JampError("connection-closed", `the peer is closed: ${reason.message}`, { cause: reason });
  }

  #receive(frame: string): void {
    this.#counts.framesIn++;
    const formats = this.#formats;
    if (formats === undefined) {
      let message: Message;
      try {
        message = this.#codec.decode(frame);
      } catch (error) {
        this.#onMalformed(this.#codec, asJampError(error, "invalid-message"), undefined, 0);
        return;
      }
      this.#handle(message, this.#codec, undefined, 0);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(frame);
    } catch (error) {
      this.#onUnrecognised(
        formats,
        new JampError("invalid-message", `the frame is not JSON: ${reasonOf(error)}`),
        false,
      );
      return;
    }
    let codec = formats[0] as FrameCodec;
    if (formats.length > 1) {
      let found: FrameCodec | undefined;
      for (const format of formats) {
        if (format.recognizes(value)) {
          found = format;
          break;
        }
      }
      if (found === undefined) {
        const names = formats.map((format) => format.name).join(", ");
        const problem = new JampError(
          "invalid-message",
          `the frame is in none of the formats accepted (${names}): ${describe(value)}`,
        );
        this.#onUnrecognised(formats, problem, true);
        return;
      }
      codec = found;
    }
    let read: Message | Batch;
    try {
      read = (codec === jampCodec ? jampCall(value, frame) : undefined) ?? codec.read(value);
    } catch (error) {
      this.#onMalformed(codec, asJampError(error, "invalid-message"), undefined, 0);
      return;
    }
    // Speak to the other side in its own format, also when this side calls it.
    this.#codec = codec;
    if (read.kind !== "batch") {
      this.#handle(read, codec, undefined, 0);
      return;
    }
    const answers = new BatchAnswers(read.entries.length, (frames) => this.#writeBatch(codec, frames));
    read.entries.forEach((entry, index) => {
      if (isJampError(entry)) this.#onMalformed(codec, entry, answers, index);
      else this.#handle(entry, codec, answers, index);
    });
  }

  /**
   * Handles one message of `codec`; `batch` and `index` say where its answer goes when it came in a batch
   * (every entry settles its place exactly once, with an answer frame or none).
   */
  #handle(message: Message, codec: Codec, batch: BatchAnswers | undefined, index: number): void {
    switch (message.kind) {
      case "query":
        void this.#answerQuery(message, codec, batch, index);
        return;
      case "send":
        void this.#runSend(message, codec, batch, index);
        return;
      case "reply":
        this.#count(this.#pending.resolve(message.id, message.result), message);
        break;
      case "query-error":
        this.#count(this.#pending.reject(message.id, fromErrorBody(message.error)), message);
        break;
      case "error":
        this.#report(fromErrorBody(message.error), message);
        break;
      case "stream":
        void this.#serveStream(message, codec);
        break;
      case "stream-result":
        this.#streamAnswer(message)?.push(message.values);
        break;
      case "stream-complete":
        this.#streamAnswer(message)?.complete();
        break;
      case "stream-error":
        this.#streamAnswer(message)?.fail(
          message.error === undefined
            ? new JampError("internal-error", "the stream failed (the peer sent no detail)")
            : fromErrorBody(message.error),
        );
        break;
      case "stream-cancel":
        this.#served.get(message.id)?.cancel();
        break;
      case "stream-credit":
        this.#served.get(message.id)?.grant(message.credit);
        break;
      default:
        // Every kind is handled; a hand-written codec may still produce another.
        this.#counts.dropped++;
        this.#report(new JampError("invalid-message", `unhandled message kind ${(message as Message).kind}`), message);
    }
    batch?.settle(index, undefined);
  }

  /** The open stream an answer is for; an answer to no open stream is counted and reported. */
  #streamAnswer(message: Message & { id: QueryId }): IncomingStream | undefined {
    const stream = this.#streams.get(message.id);
    if (stream === undefined && this.#cancelled.has(message.id)) {
      this.#counts.lateReplies++;
      if (message.kind !== "stream-result") this.#cancelled.delete(message.id);
    } else if (stream === undefined) {
      this.#counts.dropped++;
      this.#report(new JampError("invalid-message", `dropped a ${message.kind} of unknown stream ${String(message.id)}`), message);
    }
    return stream;
  }

  /**
   * Serves one stream: pulls the binding's items while the caller's credit lasts, sends each as a
   * `stream-result`, then `stream-complete`, or `stream-error` with what the handler threw. On
   * `stream-cancel` or a closed connection the iterator is returned (a generator's `finally` runs) and
   * nothing more is sent.
   */
  async #serveStream(message: StreamMessage, codec: Codec): Promise<void> {
    const { id, from: to, to: from } = message;
    if (this.#served.has(id)) {
      const error = { type: "invalid-message", message: `stream ${String(id)} is already open` };
      this.#post({ kind: "stream-error", id, to, from, error }, codec, undefined, 0);
      return;
    }
    const served = new OutgoingStream(message.credit);
    this.#served.set(id, served);
    let items: AsyncIterator<unknown> | undefined;
    let finished = false;
    try {
      const route = this.#routeOf(message, true);
      const context = this.#contextOf(message, route, codec);
      served.context = context;
      items = (await this.#run(message, route.binding, context)) as AsyncIterator<unknown>;
      // The next item is pulled before its credit is there, so that a stream whose items exactly use up the
      // caller's credit still ends with stream-complete, which needs no credit: at most one item waits here.
      for (;;) {
        if (served.burstOver()) await served.turn();
        // Nothing is pulled while the transport holds more unsent than it wants (a client reading slowly).
        const congestion = this.#connection.congestion();
        if (congestion !== undefined) await congestion;
        if (served.cancelled) break;
        const step = await items.next();
        if (served.cancelled) break;
        if (step.done === true) {
          finished = true;
          this.#post({ kind: "stream-complete", id, to, from }, codec, undefined, 0);
          break;
        }
        let frame: string;
        try {
          frame = codec.encode({ kind: "stream-result", id, to, from, values: [step.value ?? null] });
        } catch (error) {
          throw new JampError("internal-error", `an item of ${message.method} cannot be sent: ${messageOf(error)}`);
        }
        const tooBig = oversize(frame, this.#maxPayload, () => `an item of ${message.method}`);
        if (tooBig !== undefined) throw tooBig;
        if (!(await served.ready())) break;
        served.spend();
        this.#write(frame);
      }
    } catch (error) {
      if (!served.cancelled) {
        const body = this.#errorBody(error, message);
        this.#post({ kind: "stream-error", id, to, from, error: body }, codec, undefined, 0);
      }
    } finally {
      this.#served.delete(id);
      served.end();
      if (!finished && items?.return !== undefined) {
        try {
          await items.return();
        } catch (error) {
          this.#report(asJampError(error, "internal-error"), message);
        }
      }
    }
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

  /**
   * Runs a query and answers it. No `async` here or in the binding: a call goes through one promise of the
   * binding's and one `then`, on the path every query takes, or, when the binding answers with a plain value
   * (a handler that returned one), none: it is answered at once.
   */
  #answerQuery(query: QueryMessage, codec: Codec, batch: BatchAnswers | undefined, index: number): void {
    const generation = this.#generation;
    let context: IncomingCall | undefined;
    let running: unknown;
    let waits: boolean;
    try {
      const route = this.#routeOf(query, false);
      context = this.#contextOf(query, route, codec);
      running = this.#run(query, route.binding, context);
      waits = isThenable(running);
    } catch (error) {
      return this.#queryFailed(query, error, context, codec, batch, index, generation);
    }
    if (!waits) {
      context.end();
      return this.#reply(query, running, codec, batch, index, generation);
    }
    // A native promise passes through as it is; another thenable is adopted. The callbacks are the only
    // closures a query makes here.
    Promise.resolve(running).then(
      (result) => {
        context.end();
        this.#reply(query, result, codec, batch, index, generation);
      },
      (error: unknown) => this.#queryFailed(query, error, context, codec, batch, index, generation),
    );
  }

  /** A query failed: answered with its error, unless it came on a connection since lost. */
  #queryFailed(
    query: QueryMessage,
    error: unknown,
    context: IncomingCall | undefined,
    codec: Codec,
    batch: BatchAnswers | undefined,
    index: number,
    generation: number,
  ): void {
    context?.end();
    if (generation === this.#generation) this.#answerError(query, error, codec, batch, index);
    else batch?.settle(index, undefined);
  }

  #reply(
    query: QueryMessage,
    result: unknown,
    codec: Codec,
    batch: BatchAnswers | undefined,
    index: number,
    generation: number,
  ): void {
    // Asked on a connection since lost: its id means nothing on the next one, where it could settle another query.
    if (generation !== this.#generation) return batch?.settle(index, undefined);
    let frame: string;
    try {
      frame =
        codec === jampCodec
          ? jampReply(query, result)
          : codec.encode({ kind: "reply", id: query.id, to: query.from, from: query.to, result: result ?? null });
    } catch (error) {
      const problem = new JampError(
        "internal-error",
        `the result of ${query.method} cannot be sent: ${messageOf(error)}`,
      );
      this.#answerError(query, problem, codec, batch, index);
      return;
    }
    // The answers of a batch travel in one frame: each has what the ones before it left.
    const room = batch === undefined ? this.#maxPayload : batch.room(this.#maxPayload);
    if (!fits(frame, room)) {
      const what = `the result of ${query.method}${batch === undefined ? "" : " in its batch"}`;
      return this.#answerError(query, oversize(frame, room, () => what) as JampError, codec, batch, index);
    }
    this.#emit(frame, batch, index);
  }

  async #runSend(send: SendMessage, codec: Codec, batch: BatchAnswers | undefined, index: number): Promise<void> {
    const generation = this.#generation;
    let context: IncomingCall | undefined;
    try {
      const route = this.#routeOf(send, false);
      context = this.#contextOf(send, route, codec);
      await this.#run(send, route.binding, context);
    } catch (error) {
      if (carries(codec, "error") && generation === this.#generation) {
        this.#answerError(send, error, codec, batch, index);
        return;
      }
      // The format cannot tell the sender (a JSON-RPC notification is never answered): tell this side.
      this.#report(asJampError(error, "internal-error"), send);
    } finally {
      context?.end();
    }
    batch?.settle(index, undefined);
  }

  /**
   * The route of a call's method, in the binding the call is for; throws `limit-exceeded` past `maxRunning`
   * calls running, `service-not-found` or `method-not-found`. `streaming` says whether it came as a stream,
   * which must be what the method is.
   */
  #routeOf(call: QueryMessage | SendMessage | StreamMessage, streaming: boolean): MethodRoute {
    if (this.#running.size >= this.#maxRunning) throw tooManyRunning(this.#maxRunning, `${call.kind} ${call.method}`);
    const served = this.#routes.find(call.to, call.service);
    const method = call.method;
    const route = served.methods.get(method);
    if (route === undefined) {
      throw new JampError("method-not-found", `${served.binding.descriptor.name} has no method ${quote(method)}`);
    }
    if ((route.kind === "stream") !== streaming) {
      const name = `${route.service}.${method}`;
      throw new JampError(
        "method-not-found",
        streaming
          ? `${name} is not a stream: call it with a query or send`
          : `${name} is a stream: open it with a stream message, in a format that carries streams (jamp, jamp-b)`,
      );
    }
    return route;
  }

  /** The context of a call of `codec` by `route`. */
  #contextOf(call: QueryMessage | SendMessage | StreamMessage, route: MethodRoute, codec: Codec): IncomingCall {
    return new IncomingCall(
      this,
      this.#running,
      call.from,
      call.to,
      route.service,
      route.method,
      route.kind,
      codec.name,
      headerData(call.headers),
    );
  }

  /**
   * Runs a call whose context is made: asks `authorize`, then the binding. The context's end is the caller's
   * (for a stream, when the stream ends). Throws only what putting named arguments in order throws.
   */
  #run(call: QueryMessage | SendMessage | StreamMessage, binding: ServiceBinding, context: IncomingCall): unknown {
    const args = call.named === undefined ? call.args : argumentsByName(binding.descriptor, call.method, call.named);
    const authorize = this.#authorize;
    if (authorize === undefined) return binding.dispatch(call.method, args, context);
    return new Promise<void>((resolve) => resolve(authorize(context))).then(() =>
      binding.dispatch(call.method, args, context),
    );
  }

  /** Answers a failed query with `query-error`, a failed send with `error`, addresses swapped. */
  #answerError(
    to: QueryMessage | SendMessage,
    error: unknown,
    codec: Codec,
    batch: BatchAnswers | undefined,
    index: number,
  ): void {
    const body = this.#errorBody(error, to);
    let frame: string | undefined;
    try {
      frame = codec.encode(answerOf(to, body));
    } catch {
      frame = undefined;
    }
    if (frame === undefined || (body.data !== undefined && oversize(frame, this.#maxPayload, String) !== undefined)) {
      // The error's data cannot be encoded, or makes the answer too big: send type and message alone.
      this.#post(answerOf(to, { type: body.type, message: body.message }), codec, batch, index);
      return;
    }
    this.#emit(frame, batch, index);
  }

  /** The error body answering `call` for what its handler threw; what the caller may not see goes to `onError`. */
  #errorBody(error: unknown, call: Message): ErrorBody {
    if (!isJampError(error) && !this.#exposeInternal) this.#report(asJampError(error, "internal-error"), call);
    return toErrorBody(error, { exposeInternal: this.#exposeInternal });
  }

  /** A message the codec rejected: answered as the codec says; a garbled answer fails its query now. */
  #onMalformed(codec: Codec, problem: JampError, batch: BatchAnswers | undefined, index: number): void {
    this.#counts.malformed++;
    this.#report(problem);
    const { kind, id } = recoveredData(problem.data);
    if (kind === "reply" || kind === "query-error") {
      // The answer to one of our queries is garbled: fail that query now rather than at its timeout.
      if (id !== undefined) this.#pending.reject(id, problem);
      batch?.settle(index, undefined);
      return;
    }
    if (kind === "stream-result" || kind === "stream-complete" || kind === "stream-error") {
      // Likewise for a stream, which the other side need not keep serving.
      const stream = id === undefined ? undefined : this.#streams.get(id);
      if (stream !== undefined) {
        stream.fail(problem, true);
        stream.link.cancel();
      }
      batch?.settle(index, undefined);
      return;
    }
    const answer = isFrameCodec(codec)
      ? codec.answerInvalid(problem, this.address)
      : answerRecovered(problem, this.address, true);
    if (answer === undefined) batch?.settle(index, undefined);
    else this.#post(answer, codec, batch, index);
  }

  /** A frame none of `formats` recognised: the first format that answers such frames does. */
  #onUnrecognised(formats: readonly FrameCodec[], problem: JampError, parsed: boolean): void {
    this.#counts.malformed++;
    this.#report(problem);
    for (const format of formats) {
      const frame = format.answerUnrecognised(problem, parsed);
      if (frame !== undefined) {
        this.#write(frame);
        return;
      }
    }
  }

  /** Encodes and sends a message of the peer's own making; a failure goes to `onError`. */
  #post(message: Message, codec: Codec, batch: BatchAnswers | undefined, index: number): void {
    let frame: string | undefined;
    try {
      frame = codec.encode(message);
    } catch (error) {
      this.#report(asJampError(error, "invalid-message"), message);
    }
    if (frame === undefined) batch?.settle(index, undefined);
    else this.#emit(frame, batch, index);
  }

  /** Sends an answer frame, or keeps it for its batch's frame. */
  #emit(frame: string, batch: BatchAnswers | undefined, index: number): void {
    if (batch === undefined) this.#write(frame);
    else batch.settle(index, frame);
  }

  /** Sends the frame answering a batch, made of its answers' frames. */
  #writeBatch(codec: FrameCodec, frames: readonly string[]): void {
    if (frames.length === 0) return;
    let frame: string;
    try {
      frame = (codec.joinBatch as (frames: readonly string[]) => string)(frames);
    } catch (error) {
      this.#report(asJampError(error, "internal-error"));
      return;
    }
    this.#write(frame);
  }

  #write(frame: string): void {
    if (this.#closeReason !== undefined) return;
    try {
      this.#connection.send(frame);
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

/*
 * The JAMP frames of a query and of its reply, written at once, on the path of every call: what
 * `jampCodec.encode` writes for them (the id is the peer's own or was read from the query, so it needs no
 * checking; a call with headers goes through the codec, which refuses them), without a message object and
 * the walk of the codec's layouts. A test compares them with the codec's frames.
 */

function jampQuery(id: number, to: string, from: string, method: string, args: readonly unknown[]): string {
  return stringify(["query", id, to, from, method, args], "query");
}

function jampReply(query: QueryMessage, result: unknown): string {
  return stringify(["reply", query.id, query.from, query.to, result ?? null], "reply");
}

/**
 * @internal A JAMP query or reply read at once, on the path of every call: the message `jampCodec.read` makes of it
 * (the same members, in the same order), without the walk of the codec's layouts. `undefined` for any other
 * value, well formed or not, which the codec reads, or refuses with its own error. A test compares the two.
 * Given the frame `m` was parsed from, the walk that measures how deep it nests is left out when the frame
 * has too few brackets to nest deeper than the codec allows.
 */
export function jampCall(m: unknown, frame?: string): Message | undefined {
  if (!Array.isArray(m)) return undefined;
  const id: unknown = m[1];
  const to: unknown = m[2];
  const from: unknown = m[3];
  if (typeof to !== "string" || typeof from !== "string") return undefined;
  if (typeof id !== "string" && !(Number.isSafeInteger(id) && (id as number) >= 0)) return undefined;
  let message: Message;
  if (m[0] === "reply" && m.length === 5) message = { kind: "reply", id: id as QueryId, to, from, result: m[4] };
  else if (m[0] === "query" && m.length === 6 && typeof m[4] === "string" && Array.isArray(m[5]))
    message = { kind: "query", id: id as QueryId, to, from, method: m[4], args: m[5] };
  else return undefined;
  if (frame !== undefined && fewBrackets(frame, defaultMaxDepth)) return message;
  return exceedsDepth(m, defaultMaxDepth) ? undefined : message;
}

/**
 * Whether `frame` holds at most `most` opening brackets (`[` and `{`, in strings too), so that what it
 * parses to nests no deeper than `most` levels: counting them is cheaper than walking a big value.
 */
function fewBrackets(frame: string, most: number): boolean {
  // Deeper than `most` takes more than `most` brackets of each kind, opening and closing.
  if (frame.length <= 2 * most) return true;
  let count = 0;
  for (const bracket of ["[", "{"]) {
    for (let at = frame.indexOf(bracket); at !== -1; at = frame.indexOf(bracket, at + 1)) if (++count > most) return false;
  }
  return true;
}

function answerOf(message: QueryMessage | SendMessage, error: ErrorBody): Message {
  return message.kind === "query"
    ? { kind: "query-error", id: message.id, to: message.from, from: message.to, error }
    : { kind: "error", to: message.from, from: message.to, error };
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
