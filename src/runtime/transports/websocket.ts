/**
 * JAMP over WebSocket: one message per text frame. Works with the platform `WebSocket` (browsers, Deno,
 * Node 22+) and with `ws` on Node, which is imported only when there is no platform one.
 */

import { JampError } from "../errors.js";
import { batchBytes, coalesceWrites, type CorkableStream, type WriteBatch } from "./coalesce.js";
import { FrameQueue, connectionClosed } from "./frame-queue.js";
import { SendFlow, type SendFlowConfig, type SendFlowOptions } from "./send-flow.js";
import type { Transport } from "./transport.js";

/** The events a socket hands to its listener; the fields present depend on the event type. */
export interface WebSocketEventLike {
  readonly type: string;
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly error?: unknown;
}

/** The part of the WebSocket API used here, which the platform `WebSocket` and `ws` both have. */
export interface WebSocketLike {
  readonly readyState: number;
  /** Bytes sent and not yet handed to the network; what backpressure watches (both kinds have it). */
  readonly bufferedAmount?: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: "open" | "message" | "close" | "error",
    listener: { handleEvent(event: WebSocketEventLike): void },
  ): void;
  /** `ws` only: stop and start reading from the network, and drop the connection at once. */
  pause?(): void;
  resume?(): void;
  terminate?(): void;
}

/**
 * What `ws`'s sockets have beyond the platform API: their `message` event hands over the payload as it came;
 * their `upgrade` event, the response to the opening request, whose `socket` carries the WebSocket.
 */
interface NodeWebSocket {
  on(type: "message", listener: (data: { toString(): string }, isBinary: boolean) => void): void;
  on(type: "upgrade", listener: (response: { readonly socket?: unknown }) => void): void;
}

/** The network stream under a server's socket, as paced reading watches it (Node's `net.Socket`). */
interface WatchedStream {
  prependListener(event: "data", listener: () => void): void;
  readonly readableLength: number;
}

export interface WebSocketTransportOptions extends SendFlowConfig {
  /**
   * The network stream under the socket (what `ws` was given or opened), whose writes are then coalesced:
   * the frames sent in one turn leave in one write. A `ws` client socket still connecting finds its own.
   */
  readonly stream?: CorkableStream | undefined;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

const connecting = 0;
const open = 1;
/** ws's error code for a frame over `maxPayload`; it then closes with 1009. */
const tooBigCode = "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH";
/** How long a stalled socket may take to close before it is dropped, in ms. */
const stallGrace = 1000;

function ignore(): void {}

/**
 * A `Transport` over an open or opening WebSocket. Binary frames are refused: the socket is closed with
 * 1003 (JAMP frames are text). With backpressure (`SendFlow`): past `maxBuffered` bytes not yet sent the
 * transport is `congested`; with `holdReading` (a server's end) it then reads nothing more from the network
 * (`ws` can pause) and hands out no frame it already has, so the calls of a client that does not read
 * wait unread. A socket congested for `stallTimeout` is closed with 1008, its `closed` error `limit-exceeded`.
 */
export class WebSocketTransport implements Transport {
  readonly #socket: WebSocketLike;
  readonly #inbox = new FrameQueue();
  readonly #flow: SendFlow;
  readonly #opened: Promise<void>;
  #settleOpening: ((error?: JampError) => void) | undefined;
  /** What went wrong before the socket closed, for the closing error. */
  #failure: string | undefined;
  #tooBig = false;
  /** Where writes are coalesced (see `coalesceWrites`): around each frame sent. */
  #batch: WriteBatch | undefined;

  constructor(socket: WebSocketLike, options: WebSocketTransportOptions = {}) {
    this.#socket = socket;
    this.#flow = new SendFlow(socket, options, (buffered, waited) => this.#stalled(buffered, waited));
    if (options.stream !== undefined) this.#coalesce(options.stream);
    this.deliverTo =
      options.holdReading === true
        ? (onFrame) => this.#inbox.deliverPaced(onFrame, () => (this.#flow.holding ? this.#flow.drained() : undefined))
        : (onFrame) => this.#inbox.deliverTo(onFrame);
    if (options.holdReading === true) this.#watchReads(options.stream);
    if (socket.readyState === connecting) {
      this.#opened = new Promise((resolve, reject) => {
        this.#settleOpening = (error) => (error === undefined ? resolve() : reject(error));
      });
      this.#opened.catch(ignore);
    } else if (socket.readyState === open) {
      this.#opened = Promise.resolve();
    } else {
      const error = new JampError("connection-closed", "the WebSocket is already closed");
      this.#inbox.close(error);
      this.#opened = Promise.reject(error);
      this.#opened.catch(ignore);
    }
    for (const type of ["open", "close", "error"] as const) socket.addEventListener(type, this);
    // `ws` on Node: its own `message` event, which hands over the payload without making an event object.
    const emitter = socket as Partial<NodeWebSocket>;
    if (typeof emitter.on === "function") {
      emitter.on("message", (data, isBinary) => this.#onMessage(data, isBinary));
      if (this.#batch === undefined && socket.readyState === connecting) {
        emitter.on("upgrade", (response) => {
          if (isCorkable(response.socket)) this.#coalesce(response.socket);
        });
      }
    } else socket.addEventListener("message", this);
  }

  get closed(): Promise<JampError> {
    return this.#inbox.closed;
  }

  /** Resolves once the socket is open; rejects with the closing error if it closes first. */
  opened(): Promise<void> {
    return this.#opened;
  }

  send(frame: string): void {
    const error = this.#inbox.error;
    if (error !== undefined) throw error;
    try {
      this.#batch?.hold();
      this.#socket.send(frame);
      this.#batch?.spill();
    } catch (cause) {
      throw new JampError("connection-closed", `the WebSocket cannot send: ${messageOf(cause)}`, { cause });
    }
    this.#flow.sent();
  }

  get congested(): boolean {
    return this.#flow.congested;
  }

  /**
   * Batches of up to `batchBytes`, and at most half of `maxBuffered`: the bytes held back count as
   * buffered, and must not make the socket look congested when the network would take them at once.
   */
  #coalesce(stream: CorkableStream): void {
    this.#batch = coalesceWrites(stream, Math.min(batchBytes, this.#flow.maxBuffered / 2));
  }

  /**
   * Paced reading learns where each read from the network begins from the stream under the socket: its
   * `data` listener, put before `ws`'s, which then hands over the frames of that read at once. So a frame
   * that came alone in its read costs no microtask after it. Of the chunks a paused stream lets out in one go
   * when it resumes, only the last counts as a read (the others leave data buffered): at most its first
   * frame goes before what the frames of the chunks before it set off has run.
   */
  #watchReads(stream: unknown): void {
    const readable = stream as Partial<WatchedStream> | undefined;
    if (typeof readable?.prependListener !== "function") return;
    const inbox = this.#inbox;
    readable.prependListener("data", () => {
      if (readable.readableLength === 0) inbox.readBegins();
    });
  }

  drained(): Promise<void> {
    return this.#flow.drained();
  }

  get buffered(): number {
    return this.#flow.buffered;
  }

  receive(): Promise<string> {
    if (this.#flow.holding) return this.#flow.drained().then(() => this.#inbox.take());
    return this.#inbox.take();
  }

  /**
   * `Transport.deliverTo`. On a socket that keeps reading while congested (a client's), each frame as it
   * comes. On a server's socket, which stops reading a client that does not read its answers, paced
   * (`FrameQueue.deliverPaced`): a lone frame at once, the rest of a burst one microtask each, so that the
   * answers to its first frames are sent, and the congestion they cause seen, before the rest is taken
   * in; while congested, none.
   */
  readonly deliverTo: (onFrame: (frame: string) => void) => void;

  close(code = 1000, reason = ""): void {
    if (this.#inbox.error !== undefined) return;
    const error = connectionClosed("the WebSocket was closed locally", code, reason);
    this.#settleOpening?.(error);
    this.#inbox.close(error);
    this.#flow.stop();
    try {
      this.#socket.close(code, reason);
    } catch {
      // The code or reason is not allowed here (browsers accept only 1000 and 3000-4999): close plainly.
      this.#socket.close();
    }
  }

  /** The socket's event listener (an object, so one listener serves every event without closures). */
  handleEvent(event: WebSocketEventLike): void {
    switch (event.type) {
      case "message":
        if (typeof event.data === "string") this.#inbox.push(event.data);
        else this.#refuseBinary();
        return;
      case "open":
        this.#settleOpening?.();
        this.#settleOpening = undefined;
        return;
      case "error":
        this.#failure ??= event.message || (event.error === undefined ? undefined : messageOf(event.error));
        if ((event.error as { code?: unknown } | undefined)?.code === tooBigCode) this.#tooBig = true;
        return;
      case "close":
        this.#onClose(event.code ?? 1005, event.reason ?? "");
        return;
    }
  }

  /**
   * The other side read nothing for `stallTimeout` while more than `maxBuffered` waited: closed with 1008,
   * and dropped if the close cannot get through (it read nothing, so it will not read that either).
   */
  #stalled(buffered: number, waited: number): void {
    const text = `the other side read too slowly: ${buffered} bytes were still unsent after ${waited} ms`;
    const error = new JampError("limit-exceeded", `the WebSocket was closed: ${text}`, {
      data: { code: 1008, reason: "stalled: not reading", buffered },
    });
    this.#inbox.close(error);
    this.#socket.close(1008, "stalled: not reading");
    const terminate = this.#socket.terminate?.bind(this.#socket);
    if (terminate !== undefined) setTimeout(terminate, stallGrace).unref?.();
  }

  #onMessage(data: { toString(): string }, isBinary: boolean): void {
    if (isBinary) this.#refuseBinary();
    else this.#inbox.push(data.toString());
  }

  #refuseBinary(): void {
    this.#failure = "a binary frame was received; JAMP frames are text";
    this.#inbox.close(connectionClosed(`the WebSocket was closed: ${this.#failure}`, 1003, ""));
    this.#socket.close(1003, "JAMP frames are text");
  }

  #onClose(code: number, reason: string): void {
    this.#flow.stop();
    let error: JampError;
    if (this.#settleOpening !== undefined) {
      const failure = this.#failure ?? "the WebSocket closed before it opened";
      error = refusal(this.#failure) ?? connectionClosed(failure, code, reason);
      this.#settleOpening(error);
      this.#settleOpening = undefined;
    } else if (this.#tooBig) {
      error = new JampError("limit-exceeded", `the WebSocket was closed: ${this.#failure ?? "a frame was too big"}`, {
        data: { code, reason },
      });
    } else {
      const text = this.#failure === undefined ? "the WebSocket was closed" : `the WebSocket failed: ${this.#failure}`;
      error = connectionClosed(text, code, reason);
    }
    this.#inbox.close(error);
  }
}

export interface WebSocketConnectOptions extends SendFlowOptions {
  /** The WebSocket class to use; default the platform's `WebSocket`, else the one of `ws`. */
  readonly WebSocket?: WebSocketConstructor | undefined;
  readonly protocols?: string | string[] | undefined;
  /** The largest frame accepted, in bytes, when `ws` is used (default 1 MiB); platform sockets have their own. */
  readonly maxPayload?: number | undefined;
  /**
   * Headers of the opening request (an `authorization`, say), when `ws` is used; the platform's
   * `WebSocket` cannot send any (a browser sends its cookies).
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Give up opening after this many milliseconds; 0 waits as long as the platform does. Default 10_000. */
  readonly connectTimeout?: number | undefined;
  /** Aborting it gives up opening: the socket is closed and the promise rejects. */
  readonly signal?: AbortSignal | undefined;
}

const defaultMaxPayload = 1024 * 1024;
const defaultConnectTimeout = 10_000;

/**
 * Opens a WebSocket to `url` (`ws:`, `wss:`, or the same with JAMP's `jamp+` prefix) and resolves once it is
 * open. Rejects with a `connection-closed` error naming the URL when it cannot.
 */
export async function connectWebSocket(
  url: string,
  options: WebSocketConnectOptions = {},
): Promise<WebSocketTransport> {
  const target = url.startsWith("jamp+") ? url.slice("jamp+".length) : url;
  const cannot = (reason: string, cause?: unknown): JampError =>
    new JampError("connection-closed", `cannot connect to ${url}: ${reason}`, {
      data: { url },
      ...(cause === undefined ? {} : { cause }),
    });
  const signal = options.signal;
  let transport: WebSocketTransport;
  try {
    const create = await socketFactory(options);
    if (signal?.aborted === true) throw new Error("given up before opening");
    transport = new WebSocketTransport(create(target, options.protocols), options);
  } catch (cause) {
    throw cannot(messageOf(cause), cause);
  }
  const timeout = options.connectTimeout ?? defaultConnectTimeout;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<"timeout" | "aborted">((resolve) => {
    if (timeout > 0) timer = setTimeout(resolve, timeout, "timeout");
    onAbort = () => resolve("aborted");
    signal?.addEventListener("abort", onAbort);
  });
  let outcome: "timeout" | "aborted" | void;
  try {
    outcome = await Promise.race([transport.opened(), deadline]);
  } catch (cause) {
    // A refusal keeps its type (`unauthorized`, `forbidden`): retrying will not help, new credentials may.
    const type = (cause as JampError).type;
    if (type !== "unauthorized" && type !== "forbidden") throw cannot(messageOf(cause), cause);
    const data = { url, ...(cause as { data: object }).data };
    throw new JampError(type, `cannot connect to ${url}: ${messageOf(cause)}`, { data, cause });
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  }
  if (outcome !== undefined) {
    transport.close();
    throw cannot(outcome === "timeout" ? `no answer within ${timeout} ms` : "given up while opening");
  }
  return transport;
}

type SocketFactory = (url: string, protocols: string | string[] | undefined) => WebSocketLike;

async function socketFactory(options: WebSocketConnectOptions): Promise<SocketFactory> {
  const Given = options.WebSocket ?? platformWebSocket();
  if (Given !== undefined) {
    return (url, protocols) => (protocols === undefined ? new Given(url) : new Given(url, protocols));
  }
  const { WebSocket } = await import("ws");
  const maxPayload = options.maxPayload ?? defaultMaxPayload;
  const headers = options.headers;
  const socketOptions = headers === undefined ? { maxPayload } : { maxPayload, headers };
  return (url, protocols) => new WebSocket(url, protocols, socketOptions);
}

/**
 * What a server's refusal of the opening request means, from `ws`'s "Unexpected server response: 401":
 * `unauthorized` (401) or `forbidden` (403); `undefined` for any other failure (a browser never says).
 */
function refusal(failure: string | undefined): JampError | undefined {
  const status = Number(/^Unexpected server response: (\d{3})$/.exec(failure ?? "")?.[1]);
  const type = status === 401 ? "unauthorized" : status === 403 ? "forbidden" : undefined;
  if (type === undefined) return undefined;
  const text = type === "unauthorized" ? "Unauthorized" : "Forbidden";
  return new JampError(type, `the server refused the WebSocket: ${status} ${text}`, { data: { status } });
}

function isCorkable(stream: unknown): stream is CorkableStream {
  const candidate = stream as Partial<CorkableStream> | null | undefined;
  return (
    typeof candidate?.cork === "function" &&
    typeof candidate.uncork === "function" &&
    typeof candidate.writableLength === "number"
  );
}

function platformWebSocket(): WebSocketConstructor | undefined {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof candidate === "function" ? (candidate as WebSocketConstructor) : undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error === undefined) return "unknown error";
  try {
    return String(error);
  } catch {
    return "unknown error";
  }
}
