/**
 * `connectCaller`: the call-only client, for pages that call services and serve none. Generated clients take
 * it in place of a `Peer` (both are `Caller`s), and a browser bundle of one carries the calling half of the
 * runtime alone: correlation by id, timeouts, `AbortSignal`, `connection-closed` on a drop, over one
 * WebSocket in one format; streams once `withStreams` gave it them (`caller-streams.ts`, which a bundle
 * without streams leaves out). It leaves out what a `Peer` has beyond that: serving (a call from the other
 * side is refused with `service-not-found`), reconnecting, recognising formats frame by frame, batches,
 * backpressure, `flush()`, state events and statistics.
 */

import type { Caller } from "./client.js";
import type { CallerStreams, StreamHost } from "./caller-streams.js";
import { callMessage, cancelledCall, clientAddress } from "./calls.js";
import { recoveredData, type Codec } from "./codecs/codec.js";
import { jampCallCodec } from "./codecs/jamp.js";
import { reasonOf } from "./codecs/json.js";
import { JampError, fromErrorBody, isJampError } from "./errors.js";
import { defaultMaxPayload, defaultMaxPending, limitOf, oversize } from "./limits.js";
import type { Message, QueryId, QueryMessage, SendMessage, StreamMessage } from "./message.js";
import { connectionClosed } from "./transports/frame-queue.js";
import type { WebSocketConstructor, WebSocketEventLike, WebSocketLike } from "./transports/websocket.js";

export interface CallerOptions {
  /**
   * The wire format, as a value (`jampCodec`, `jsonRpc2Codec`, ...). Default JAMP: `jampCodec`'s reading
   * and writing, without its recognising of formats and answering of rejected calls, which only a side that
   * serves runs.
   */
  readonly codec?: Codec | undefined;
  /**
   * The WebSocket class; default the platform's. Node 20 has none: pass `ws`'s (`import { WebSocket } from
   * "ws"`), which `connect` and `connectWebSocketPeer` load by themselves.
   */
  readonly WebSocket?: WebSocketConstructor | undefined;
  readonly protocols?: string | string[] | undefined;
  /** Give up opening after this many milliseconds; 0 waits as long as the platform does. Default 10_000. */
  readonly connectTimeout?: number | undefined;
  /** This side's own address, the `from` of what it sends. Default `/client/<random hex>`. */
  readonly address?: string | undefined;
  /** Default time limit of a query (of a stream's first answer) in ms; 0 means none. Default 30_000. */
  readonly timeout?: number | undefined;
  /** The most queries pending at once, and apart from them the most streams open. Default 10_000. */
  readonly maxPending?: number | undefined;
  /** The largest frame sent, in bytes of UTF-8: a call whose frame is bigger fails alone, `limit-exceeded`. Default 1 MiB. */
  readonly maxPayload?: number | undefined;
  /**
   * Told about `error` messages received and what else no call hears of: malformed frames, answers to no
   * pending query, calls of the other side refused. It must not throw; what it throws is ignored.
   */
  readonly onError?: ((error: JampError, message?: Message) => void) | undefined;
}

/** A query awaiting its answer: `end` settles it (with an error, or `undefined` and the result) and forgets it. */
interface Waiting {
  readonly what: string;
  readonly end: (error: JampError | undefined, result?: unknown) => void;
}

/**
 * Queries, sends and streams over one WebSocket, in one format, correlating answers by id; made by
 * `connectCaller`. `query` resolves with the reply's result, as `Peer.query` does, and rejects with the
 * other side's error, or `timeout`, `cancelled`, `limit-exceeded`, `connection-closed`, `invalid-message`;
 * `send` sends a one-way message and throws `connection-closed`, `limit-exceeded` or `invalid-message`.
 */
export interface WebSocketCaller extends Caller {
  /** This side's own address. */
  readonly address: string;
  /** @internal Resolves (with `undefined`) once the socket is open; never rejects: see `closed`. */
  readonly opened: Promise<undefined>;
  /** Resolves, never rejects, once the caller is closed for good, with why (normally `connection-closed`). */
  readonly closed: Promise<JampError>;
  /**
   * Opens a stream and returns the iterator of its items, as `Peer.stream` does: at most `credit` items
   * ahead of the consumer; `return()` (a `break`) cancels it on the other side. Throws at once
   * `invalid-message` (no `withStreams` yet, a format without streams, arguments that cannot be encoded),
   * `cancelled`, `limit-exceeded`, `connection-closed`.
   */
  stream(...call: Parameters<Caller["stream"]>): AsyncIterableIterator<unknown>;
  /** @internal Gives the caller its streams (`withStreams`); once. */
  addStreams(make: (host: StreamHost) => CallerStreams): void;
  /** Closes the socket; every pending query rejects and every stream ends with `connection-closed`. Idempotent. */
  close(code?: number, reason?: string): void;
}

/**
 * Opens a WebSocket to `url` (`ws:`, `wss:`, or with JAMP's `jamp+` prefix) and resolves with a caller on
 * it once it is open. Rejects with a `connection-closed` error naming the URL when it cannot be opened
 * within `connectTimeout`, and with a `TypeError` where there is no WebSocket to use (Node 20: pass `ws`'s),
 * a `RangeError` for a limit that is not a whole number from 1.
 * A caller never reconnects: once its connection drops, every call fails with `connection-closed` and
 * `closed` resolves; connect again for a new one, or use `connect`, whose peer reconnects by itself.
 */
export async function connectCaller(url: string, options: CallerOptions = {}): Promise<WebSocketCaller> {
  const caller = openCaller(url, options);
  const wait = options.connectTimeout ?? 10_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<JampError>((resolve) => {
    if (wait > 0)
      timer = setTimeout(() => resolve(new JampError("connection-closed", `no answer within ${wait} ms`)), wait);
  });
  const failure = await Promise.race([caller.opened, caller.closed, deadline]);
  clearTimeout(timer);
  if (failure === undefined) return caller;
  caller.close();
  throw cannotConnect(url, failure.message, failure);
}

function cannotConnect(url: string, reason: string, cause: unknown): JampError {
  return new JampError("connection-closed", `cannot connect to ${url}: ${reason}`, { data: { url }, cause });
}

/**
 * Opens the socket and makes the caller on it: a closure rather than a class, as what it keeps is then
 * local variables, which a minifier shortens. Throws a `RangeError` for a limit that is not a whole number
 * from 1, a `TypeError` where there is no WebSocket, `connection-closed` when the socket cannot even be made.
 */
function openCaller(url: string, options: CallerOptions): WebSocketCaller {
  const codec = options.codec ?? jampCallCodec;
  const address = options.address ?? clientAddress();
  const defaultTimeout = options.timeout ?? 30_000;
  const maxPending = limitOf("maxPending", options.maxPending, defaultMaxPending);
  const maxPayload = limitOf("maxPayload", options.maxPayload, defaultMaxPayload, true);
  const onError = options.onError;
  const pending = new Map<QueryId, Waiting>();
  /** Its streams, once `withStreams` gave it them. */
  let streams: CallerStreams | undefined;
  let lastId = 0;
  /** Whether the socket opened; until then, a close is a failure to connect. */
  let open = false;
  let markOpen!: (value: undefined) => void;
  let markClosed!: (reason: JampError) => void;
  let closeReason: JampError | undefined;
  /** What went wrong before the socket closed, for the closing error. */
  let failure: string | undefined;
  const opened = new Promise<undefined>((resolve) => (markOpen = resolve));
  const closed = new Promise<JampError>((resolve) => (markClosed = resolve));
  const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof Socket !== "function") {
    throw new TypeError("connectCaller: this platform has no WebSocket; pass ws's as the WebSocket option");
  }
  let socket: WebSocketLike;
  try {
    socket = new Socket(url.replace(/^jamp\+/, ""), options.protocols);
  } catch (cause) {
    throw cannotConnect(url, reasonOf(cause), cause);
  }

  /** Throws `connection-closed` once closed, `limit-exceeded` when `count` is `maxPending`. */
  const check = (what: string, count: number, full: string): void => {
    if (closeReason !== undefined)
      throw new JampError("connection-closed", `the caller is closed: ${closeReason.message}`, { cause: closeReason });
    if (count >= maxPending) throw new JampError("limit-exceeded", `${what} refused: ${maxPending} ${full}`);
  };

  /** The frame of a call; throws what encoding it throws, or `limit-exceeded` when it is over `maxPayload`. */
  const frameOf = (message: QueryMessage | SendMessage | StreamMessage, what: string): string => {
    const frame = codec.encode(message);
    const tooBig = oversize(frame, maxPayload, () => what);
    if (tooBig !== undefined) throw tooBig;
    return frame;
  };

  const report = (error: JampError, message?: Message): void => {
    try {
      onError?.(error, message);
    } catch {
      // onError must not throw; a throwing one must not break the caller.
    }
  };

  /** Sends a message of this side's own making (a stream's credit or cancel, a refusal); a failure is reported. */
  const post = (message: Message): void => {
    if (closeReason !== undefined) return;
    try {
      socket.send(codec.encode(message));
    } catch (error) {
      report(asJampError(error));
    }
  };

  /** Settles the query an answer is for; an answer to no pending query (one timed out, say) is reported. */
  const settle = (answer: Message & { id: QueryId }, error: JampError | undefined, result?: unknown): void => {
    const waiting = pending.get(answer.id);
    if (waiting !== undefined) return waiting.end(error, result);
    report(new JampError("invalid-message", `dropped an answer to query ${String(answer.id)}, which is not pending`), answer);
  };

  /** A call of the other side: this side serves nothing, so a query or a stream is answered `service-not-found`. */
  const refuse = (call: QueryMessage | SendMessage | StreamMessage): void => {
    const error = { type: "service-not-found", message: `${call.to} is not served here: this side only calls` };
    report(fromErrorBody(error), call);
    const { from: to, to: from } = call;
    if (call.kind === "query") post({ kind: "query-error", id: call.id, to, from, error });
    if (call.kind === "stream") post({ kind: "stream-error", id: call.id, to, from, error });
  };

  const receive = (frame: string): void => {
    let message: Message;
    try {
      message = codec.decode(frame);
    } catch (error) {
      const problem = asJampError(error);
      report(problem);
      // A garbled answer fails its call now rather than at its timeout.
      const { kind, id } = recoveredData(problem.data);
      if (id === undefined) return;
      if (kind === "reply" || kind === "query-error") pending.get(id)?.end(problem);
      else if (kind?.startsWith("stream-") === true) streams?.fail(id, problem);
      return;
    }
    switch (message.kind) {
      case "reply":
        return settle(message, undefined, message.result);
      case "query-error":
        return settle(message, fromErrorBody(message.error));
      case "stream-result":
      case "stream-complete":
      case "stream-error":
        return streams?.receive(message);
      case "error":
        return report(fromErrorBody(message.error), message);
      case "query":
      case "stream":
      case "send":
        return refuse(message);
      default:
        report(new JampError("invalid-message", `this side serves no stream: dropped a ${message.kind}`), message);
    }
  };

  const end = (reason: JampError): void => {
    if (closeReason !== undefined) return;
    closeReason = reason;
    for (const waiting of [...pending.values()]) {
      waiting.end(new JampError("connection-closed", `${waiting.what} got no answer: ${reason.message}`, { cause: reason }));
    }
    streams?.end(reason);
    markClosed(reason);
  };

  /** The socket's event listener (an object, so one listener serves every event). */
  const listener = {
    handleEvent(event: WebSocketEventLike): void {
      switch (event.type) {
        case "open":
          open = true;
          return markOpen(undefined);
        case "message":
          // The codec refuses what is not text, as any malformed frame.
          return receive(event.data as string);
        case "error":
          failure ??= event.message || (event.error === undefined ? undefined : reasonOf(event.error));
          return;
        case "close": {
          const text = !open
            ? (failure ?? "the WebSocket closed before it opened")
            : failure === undefined
              ? "the WebSocket was closed"
              : `the WebSocket failed: ${failure}`;
          return end(connectionClosed(text, event.code ?? 1005, event.reason ?? ""));
        }
      }
    },
  };
  for (const type of ["open", "message", "close", "error"] as const) socket.addEventListener(type, listener);

  return {
    address,
    opened,
    closed,
    query(to, method, args, callOptions = {}, target) {
      const { signal, timeout = defaultTimeout } = callOptions;
      const what = `query ${method} to ${to}`;
      return new Promise((resolve, reject) => {
        if (signal?.aborted === true) throw cancelledCall(what, signal);
        check(what, pending.size, "queries are pending");
        const id = ++lastId;
        const frame = frameOf(
          callMessage({ kind: "query", id, to, from: address, method, args }, target, callOptions.headers),
          what,
        );
        // Sent first, so that a send that throws leaves nothing behind; its answer comes in a later task anyway.
        socket.send(frame);
        const settleQuery = (error: JampError | undefined, result?: unknown): void => {
          pending.delete(id);
          clearTimeout(timer);
          signal?.removeEventListener("abort", abort);
          if (error === undefined) resolve(result);
          else reject(error);
        };
        const abort = (): void => settleQuery(cancelledCall(what, signal));
        const expire = (): void => settleQuery(new JampError("timeout", `${what} timed out after ${timeout} ms`));
        const timer = timeout > 0 ? setTimeout(expire, Math.min(timeout, 2 ** 31 - 1)) : undefined;
        signal?.addEventListener("abort", abort);
        pending.set(id, { what, end: settleQuery });
      });
    },
    send(to, method, args, sendOptions = {}, target) {
      const what = `send ${method} to ${to}`;
      check(what, 0, "");
      socket.send(frameOf(callMessage({ kind: "send", to, from: address, method, args }, target, sendOptions.headers), what));
    },
    stream(to, method, args, streamOptions, target) {
      if (streams !== undefined) return streams.open(to, method, args, streamOptions, target);
      throw new JampError("invalid-message", `stream ${method} to ${to}: this caller has no withStreams(caller)`);
    },
    addStreams(make) {
      streams ??= make({
        address,
        timeout: defaultTimeout,
        id: () => ++lastId,
        call: (message, what, count) => {
          check(what, count, "streams are open");
          socket.send(frameOf(message, what));
        },
        post,
      });
    },
    close(code = 1000, reason = "") {
      if (closeReason !== undefined) return;
      end(connectionClosed("the caller was closed locally", code, reason));
      try {
        socket.close(code, reason);
      } catch {
        // The code or reason is not allowed here (browsers accept only 1000 and 3000-4999): close plainly.
        socket.close();
      }
    },
  };
}

function asJampError(error: unknown): JampError {
  return isJampError(error) ? error : new JampError("invalid-message", reasonOf(error), { cause: error });
}
