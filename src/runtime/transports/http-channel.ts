/**
 * The client side of Baratine's push/pull channel (PROTOCOLS.md 1.6), on the platform `fetch` (Node 18+,
 * browsers): the frames sent are pushed (`x-application/jamp-push`, an array of messages; one push under
 * way at a time, what is sent meanwhile going in the next, so that order is kept), and one pull
 * (`x-application/jamp-pull`) is always outstanding, its answer the frames the server sent. So the server
 * can send without being asked: stream items, and calls to the services this side serves.
 *
 * The channel is named by the `x-jamp-channel` header rather than Baratine's `Jamp_Channel` cookie (which
 * the server sets for Baratine's clients): each transport carries its own name, so one page can hold
 * several channels, and neither Node's fetch (no cookie jar) nor a browser's cookie rules (the ports of a
 * host share cookies; other sites need `SameSite=None; Secure`) get in the way.
 */

import type { Codec } from "../codecs/codec.js";
import { jampBCodec } from "../codecs/jamp-b.js";
import { jampCodec } from "../codecs/jamp.js";
import { JampError } from "../errors.js";
import type { Message } from "../message.js";
import { FrameQueue, connectionClosed } from "./frame-queue.js";
import { failedAnswer, fetchOf, messageOf, statusError, type FetchLike, type HttpConnectOptions } from "./http.js";
import type { Transport } from "./transport.js";

/** The header that names a channel; `new` asks the server for a new one, named in the answer's. */
export const channelHeader = "x-jamp-channel";
const pushType = "x-application/jamp-push";
const pullType = "x-application/jamp-pull";
/** A push carries frames up to about this many characters (a bigger frame goes alone). */
const pushBatch = 64 * 1024;

interface Answer {
  readonly status: number;
  readonly text: string;
}

/**
 * A `Transport` over a push/pull channel. Open it with `open()` (or `connectHttpChannel`) before sending.
 * A query or stream whose push is refused for size or load (413, 429) is answered here with
 * `limit-exceeded`; a channel the server no longer knows (410: expired, closed, over its limits), any
 * other refusal, or a server that cannot be reached closes the transport with `connection-closed`, which
 * fails every call under way. `close()` aborts the requests under way and tells the server (`DELETE`).
 */
export class HttpChannelTransport implements Transport {
  readonly #url: string;
  /** The formats the frames sent may be in: the peer speaks the one it last read. */
  readonly #codecs: readonly Codec[];
  readonly #fetch: FetchLike;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #inbox = new FrameQueue();
  readonly #abort = new AbortController();
  #id = "new";
  #outbox: string[] = [];
  #pushing = false;

  constructor(url: string, codec: Codec, options: HttpConnectOptions = {}) {
    this.#url = url;
    this.#codecs = channelFormats(codec);
    this.#fetch = fetchOf(options);
    this.#headers = options.headers ?? {};
  }

  get closed(): Promise<JampError> {
    return this.#inbox.closed;
  }

  /** Asks the server for a channel and starts pulling. Rejects with `connection-closed` when it gets none. */
  async open(): Promise<void> {
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(this.#url, this.#init(pushType, "[]"));
      text = await response.text();
    } catch (cause) {
      throw this.#cannotOpen(messageOf(cause), cause);
    }
    const id = response.headers.get(channelHeader);
    // A refusal by the server's `authenticate` keeps its type: retrying will not help, new credentials may.
    if (response.status === 401 || response.status === 403) throw statusError(this.#url, response.status, text);
    if (!response.ok) throw this.#cannotOpen(`it answered ${response.status}: ${text.slice(0, 200)}`);
    if (id === null) throw this.#cannotOpen(`it answered ${response.status} without naming a channel`);
    this.#id = id;
    void this.#pullAll();
  }

  send(frame: string): void {
    const error = this.#inbox.error;
    if (error !== undefined) throw error;
    this.#outbox.push(frame);
    if (this.#pushing) return;
    this.#pushing = true;
    // Frames sent in the same turn go in one push.
    queueMicrotask(() => void this.#pushAll());
  }

  receive(): Promise<string> {
    return this.#inbox.take();
  }

  close(code = 1000, reason = ""): void {
    if (this.#inbox.error !== undefined) return;
    this.#end(connectionClosed("the HTTP channel was closed locally", code, reason));
    // The server frees the channel now rather than when it expires. Not aborted with the rest, and kept
    // alive when a page unloads.
    this.#fetch(this.#url, {
      method: "DELETE",
      headers: { ...this.#headers, [channelHeader]: this.#id },
      keepalive: true,
    })
      .then((response) => response.text())
      .catch(() => undefined);
  }

  /** Pushes what is queued, a batch at a time, until nothing is. */
  async #pushAll(): Promise<void> {
    try {
      while (this.#outbox.length > 0 && this.#inbox.error === undefined) {
        let size = 0;
        let count = 0;
        for (const frame of this.#outbox) {
          if (count > 0 && size + frame.length > pushBatch) break;
          size += frame.length;
          count++;
        }
        await this.#push(this.#outbox.splice(0, count));
      }
    } finally {
      this.#pushing = false;
    }
  }

  async #push(frames: readonly string[]): Promise<void> {
    const answer = await this.#post(pushType, `[${frames.join(",")}]`);
    if (answer === undefined || answer.status === 200) return;
    if (answer.status === 413 && frames.length > 1) {
      // Too big together: each on its own, so that only a frame too big by itself fails.
      for (const frame of frames) await this.#push([frame]);
      return;
    }
    if (answer.status === 413 || answer.status === 429) {
      const error = statusError(this.#url, answer.status, answer.text);
      for (const frame of frames) this.#fail(frame, error);
      return;
    }
    this.#end(this.#lost(answer));
  }

  async #pullAll(): Promise<void> {
    while (this.#inbox.error === undefined) {
      const answer = await this.#post(pullType, "[]");
      if (answer === undefined) return;
      if (answer.status !== 200) {
        this.#end(this.#lost(answer));
        return;
      }
      let messages: unknown;
      try {
        messages = JSON.parse(answer.text);
      } catch {
        messages = undefined;
      }
      if (!Array.isArray(messages)) {
        this.#end(new JampError("connection-closed", `the channel to ${this.#url} answered a pull with no array`));
        return;
      }
      for (const message of messages) this.#inbox.push(JSON.stringify(message));
    }
  }

  /** Posts a body to the channel; `undefined` when the server could not be reached (the channel ended). */
  async #post(type: string, body: string): Promise<Answer | undefined> {
    try {
      const response = await this.#fetch(this.#url, this.#init(type, body));
      return { status: response.status, text: await response.text() };
    } catch (cause) {
      this.#end(new JampError("connection-closed", `lost the channel to ${this.#url}: ${messageOf(cause)}`, { cause }));
      return undefined;
    }
  }

  #init(type: string, body: string): RequestInit {
    return {
      method: "POST",
      headers: { ...this.#headers, "content-type": type, [channelHeader]: this.#id },
      body,
      signal: this.#abort.signal,
    };
  }

  /** Answers a query or stream `frame` whose push was refused with `error`. */
  #fail(frame: string, error: JampError): void {
    for (const codec of this.#codecs) {
      let message: Message;
      try {
        message = codec.decode(frame);
      } catch {
        continue;
      }
      const answer = failedAnswer(message, codec, error);
      if (answer !== undefined) this.#inbox.push(answer);
      return;
    }
  }

  #lost(answer: Answer): JampError {
    const text =
      answer.status === 410
        ? `the channel to ${this.#url} is gone: ${answer.text}`
        : `the channel to ${this.#url} failed: ${statusError(this.#url, answer.status, answer.text).message}`;
    return new JampError("connection-closed", text, { data: { status: answer.status } });
  }

  #cannotOpen(reason: string, cause?: unknown): JampError {
    const error = new JampError("connection-closed", `cannot open a channel to ${this.#url}: ${reason}`, {
      data: { url: this.#url },
      ...(cause === undefined ? {} : { cause }),
    });
    this.#end(error);
    return error;
  }

  /** Ends the channel with `error` (idempotent): the requests under way are aborted, the peer learns why. */
  #end(error: JampError): void {
    if (this.#inbox.error !== undefined) return;
    this.#inbox.close(error);
    this.#outbox = [];
    this.#abort.abort();
  }
}

/**
 * The formats a channel's client reads: its own first, then the other JAMP dialect, which a server may call in.
 * A `TypeError` for a codec that is neither JAMP dialect.
 */
export function channelFormats(codec: Codec): Codec[] {
  if (codec.name !== jampCodec.name && codec.name !== jampBCodec.name) {
    throw new TypeError(`a push/pull channel carries JAMP messages: use codec "jamp" or "jamp-b", not ${codec.name}`);
  }
  return [codec, codec.name === jampCodec.name ? jampBCodec : jampCodec];
}

/**
 * Opens a push/pull channel to `url` (`http:`, `https:`, or the same with JAMP's `jamp+` prefix) for
 * frames of `codec` (JAMP or JAMP/B; a `TypeError` for another) and resolves once the server made it.
 * Rejects with a `connection-closed` error naming the URL when it cannot.
 */
export async function connectHttpChannel(
  url: string,
  codec: Codec,
  options: HttpConnectOptions = {},
): Promise<HttpChannelTransport> {
  const transport = new HttpChannelTransport(url.startsWith("jamp+") ? url.slice("jamp+".length) : url, codec, options);
  await transport.open();
  return transport;
}
