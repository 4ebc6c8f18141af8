/**
 * The client side of HTTP: each frame is POSTed with the platform `fetch` (Node 18+, browsers), and the
 * frames of the response are received as if they had come over a socket. JAMP frames travel in Baratine's
 * jamp-rpc envelope (`x-application/jamp-rpc`, an array of messages), the other formats as they are.
 */

import type { Codec } from "../codecs/codec.js";
import { JampError } from "../errors.js";
import type { Message } from "../message.js";
import { FrameQueue, connectionClosed } from "./frame-queue.js";
import type { Transport } from "./transport.js";

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpConnectOptions {
  /** The `fetch` to use; default the platform's. */
  readonly fetch?: FetchLike | undefined;
  /** Headers sent with every request (an `authorization`, say). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Open a push/pull channel (JAMP formats only), a connection that lasts across requests, so that the
   * server can send without being asked: stream items, calls to services this side serves. Default false:
   * each frame is a request of its own, answered in its response.
   */
  readonly channel?: boolean | undefined;
}

const jampRpcType = "x-application/jamp-rpc";

/**
 * A `Transport` over HTTP requests to one URL. `codec` is the format of the frames sent: the transport reads
 * each to know what it is, so that a query or stream whose request fails, or whose response holds no answer,
 * is answered here with an error of that format (its caller never waits for a response that cannot come):
 * `connection-closed` when the server cannot be reached, `limit-exceeded` for 413, `invalid-message` for
 * another 4xx, `internal-error` for a 5xx or an empty answer. Queries run concurrently; a one-way message is
 * posted only after the ones before it were served, and what is sent after it waits for it, so one-way
 * messages keep their order with the rest as over a socket.
 */
export class HttpTransport implements Transport {
  readonly #url: string;
  readonly #codec: Codec;
  readonly #fetch: FetchLike;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #inbox = new FrameQueue();
  readonly #abort = new AbortController();
  /** Settles once every one-way message sent so far was served. */
  #oneWay: Promise<void> = Promise.resolve();

  constructor(url: string, codec: Codec, options: HttpConnectOptions = {}) {
    this.#url = url;
    this.#codec = codec;
    this.#fetch = fetchOf(options);
    this.#headers = options.headers ?? {};
  }

  get closed(): Promise<JampError> {
    return this.#inbox.closed;
  }

  send(frame: string): void {
    const error = this.#inbox.error;
    if (error !== undefined) throw error;
    let message: Message | undefined;
    try {
      message = this.#codec.decode(frame);
    } catch {
      // A frame of another format than expected: posted all the same, nothing to answer for it here.
    }
    if (message?.kind === "stream") {
      // Its items would have no way back: only a channel or a WebSocket lets the server send unasked.
      const error = new JampError(
        "invalid-message",
        `${message.method} is a stream, which plain HTTP requests cannot carry: connect with channel: true, or over a WebSocket`,
      );
      this.#fail(message, error);
      return;
    }
    const posted = this.#oneWay.then(() => this.#post(frame, message));
    if (message?.kind === "send") this.#oneWay = posted;
  }

  receive(): Promise<string> {
    return this.#inbox.take();
  }

  /** Aborts the requests under way; their queries are rejected by the peer, which closed this. */
  close(code = 1000, reason = ""): void {
    if (this.#inbox.error !== undefined) return;
    this.#inbox.close(connectionClosed("the HTTP transport was closed locally", code, reason));
    this.#abort.abort();
  }

  /** Posts one frame and receives its answers; never rejects. */
  async #post(frame: string, message: Message | undefined): Promise<void> {
    if (this.#inbox.error !== undefined) return;
    const jamp = this.#codec.name === "jamp" || this.#codec.name === "jamp-b";
    let response: Response;
    let body: string;
    try {
      response = await this.#fetch(this.#url, {
        method: "POST",
        headers: { ...this.#headers, "content-type": jamp ? jampRpcType : "application/json" },
        body: jamp ? `[${frame}]` : frame,
        signal: this.#abort.signal,
      });
      body = await response.text();
    } catch (cause) {
      this.#fail(
        message,
        new JampError("connection-closed", `cannot reach ${this.#url}: ${messageOf(cause)}`, { cause }),
      );
      return;
    }
    const frames = answerFrames(response, body, jamp);
    if (frames === undefined) {
      this.#fail(message, statusError(this.#url, response.status, body));
      return;
    }
    for (const answer of frames) this.#inbox.push(answer);
    if (frames.length === 0) {
      this.#fail(message, new JampError("internal-error", `${this.#url} answered ${response.status} with no answer`));
    }
  }

  /** Answers a query or stream whose request failed with `error`, in the codec's format. */
  #fail(message: Message | undefined, error: JampError): void {
    if (message === undefined || this.#inbox.error !== undefined) return;
    const answer = failedAnswer(message, this.#codec, error);
    if (answer !== undefined) this.#inbox.push(answer);
  }
}

/**
 * The `fetch` the options give, else the platform's, called as a plain function: a browser's refuses to
 * run as a method of anything but `window` ("Illegal invocation"). A `TypeError` when there is none.
 */
export function fetchOf(options: HttpConnectOptions): FetchLike {
  if (options.fetch !== undefined) return options.fetch;
  const platform = (globalThis as { fetch?: FetchLike }).fetch;
  if (platform === undefined) throw new TypeError("there is no fetch here: give one in the options");
  return (url, init) => platform(url, init);
}

/**
 * The frame that answers `message`, a query or stream sent in `codec`'s format whose request failed with
 * `error`, so that its caller learns at once; `undefined` for other messages, or where the format has no
 * such answer (the call then ends at its own timeout).
 */
export function failedAnswer(message: Message, codec: Codec, error: JampError): string | undefined {
  const body = { type: error.type, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) };
  const { to, from } = message;
  let answer: Message;
  if (message.kind === "query") answer = { kind: "query-error", id: message.id, to: from, from: to, error: body };
  else if (message.kind === "stream")
    answer = { kind: "stream-error", id: message.id, to: from, from: to, error: body };
  else return undefined;
  try {
    return codec.encode(answer);
  } catch {
    return undefined;
  }
}

/**
 * The answer frames a response holds, or `undefined` when it holds none the peer could read: a failed
 * status without a JSON body, or a jamp-rpc answer that is not an array. A failed status with a JSON body
 * is an answer all the same (JSON-RPC servers answer their errors so).
 */
function answerFrames(response: Response, body: string, jamp: boolean): string[] | undefined {
  const json = /json/i.test(response.headers.get("content-type") ?? "");
  if (!response.ok && !(json && body !== "")) return undefined;
  if (body.trim() === "") return [];
  if (!jamp) return [body];
  let messages: unknown;
  try {
    messages = JSON.parse(body);
  } catch {
    return undefined;
  }
  return Array.isArray(messages) ? messages.map((m) => JSON.stringify(m)) : undefined;
}

/**
 * What a failed status means for the call that got it: 413 and 429 are `limit-exceeded`, 401
 * `unauthorized`, 403 `forbidden` (a server's `authenticate` or origin check refused the request).
 */
export function statusError(url: string, status: number, body: string): JampError {
  const text = `${url} answered ${status}${body === "" ? "" : `: ${body.slice(0, 200)}`}`;
  const type =
    status === 413 || status === 429
      ? "limit-exceeded"
      : status === 401
        ? "unauthorized"
        : status === 403
          ? "forbidden"
          : status >= 400 && status < 500
            ? "invalid-message"
            : "internal-error";
  return new JampError(type, text, { data: { status } });
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "unknown error";
}

/** An HTTP transport to `url` (`http:`, `https:`, or the same with JAMP's `jamp+` prefix) for frames of `codec`. */
export function connectHttp(url: string, codec: Codec, options: HttpConnectOptions = {}): HttpTransport {
  return new HttpTransport(url.startsWith("jamp+") ? url.slice("jamp+".length) : url, codec, options);
}
