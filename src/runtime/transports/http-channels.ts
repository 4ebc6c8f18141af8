/**
 * Baratine's push/pull channel, the server's side (PROTOCOLS.md 1.6): a long-lived `Peer` with the
 * services bound, which a client reaches over plain HTTP requests. `x-application/jamp-push` hands it an
 * array of messages; `x-application/jamp-pull` long-polls for what it sent (an array; `[]` when nothing
 * came within the pull timeout); `x-application/jamp-poll` does both, with a short wait. So whatever a
 * WebSocket connection carries works over it: answers, streams under their credit, calls from the server
 * to the client. A channel is named by the `x-jamp-channel` header (the runtime's client) or the
 * `Jamp_Channel` cookie (Baratine's clients), both set when it opens. Like the rest of the HTTP side it
 * imports no Node module itself.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { JampError } from "../errors.js";
import { Peer, type PeerOptions } from "../peer.js";
import { FrameQueue, connectionClosed } from "./frame-queue.js";
import { channelHeader } from "./http-channel.js";
import { jsonType, reply } from "./http-reply.js";
import type { Transport } from "./transport.js";

export interface HttpChannelOptions {
  /** How long a pull waits for a message before it is answered `[]`, in ms. Default 15_000. */
  readonly pullTimeout?: number | undefined;
  /** A channel that no request used for this long is closed, with its peer, in ms. Default 60_000. */
  readonly idleTimeout?: number | undefined;
  /** The most channels open at once; a request that would open one more is answered 503. Default 1000. */
  readonly maxChannels?: number | undefined;
  /**
   * The most messages queued for one channel's client and not yet pulled. A push of more messages than
   * there is room left for is refused (429); a message sent past the limit closes the channel with
   * `limit-exceeded`, so that no answer is dropped silently. Default 1000.
   */
  readonly maxQueued?: number | undefined;
}

export type ChannelMode = "push" | "pull" | "poll";

export interface HttpChannelsConfig {
  /** The options of each channel's peer, the services among them; its formats must be JAMP's. */
  readonly peer: PeerOptions;
  readonly channels?: HttpChannelOptions | undefined;
  /** Told of each channel's peer when it opens, so that the server can call that client. */
  readonly onChannel?: ((peer: Peer) => void) | undefined;
}

export interface HttpChannels {
  /**
   * Serves one channel request; `messages` are those of its body (none for a pull). A request that opens a
   * channel gives its peer `identity` (what `authenticate` said of it); later requests keep the channel's.
   */
  serve(
    mode: ChannelMode,
    request: IncomingMessage,
    response: ServerResponse,
    messages: readonly unknown[],
    identity?: unknown,
  ): void;
  /** `DELETE`: the client is done with its channel. 204, whether or not it was open. */
  end(request: IncomingMessage, response: ServerResponse): void;
  /** Closes every channel; a pull that waits is answered. */
  close(): void;
}

const cookieName = "Jamp_Channel";
/** How long a poll waits for something to answer with, in ms (Baratine's figure). */
const pollWait = 100;
const defaults: Required<{ [K in keyof HttpChannelOptions]: number }> = {
  pullTimeout: 15_000,
  idleTimeout: 60_000,
  maxChannels: 1000,
  maxQueued: 1000,
};
type Limits = typeof defaults;

/** The channels of one server. Throws a `RangeError` for a limit that is not a positive number. */
export function createHttpChannels(config: HttpChannelsConfig): HttpChannels {
  const limits = limitsOf(config.channels);
  const open = new Map<string, Channel>();
  /** Why the channels closed lately were closed, oldest first, for their clients' next request. */
  const gone = new Map<string, string>();

  const forget = (channel: Channel, why: string): void => {
    open.delete(channel.id);
    gone.set(channel.id, why);
    if (gone.size > limits.maxChannels) gone.delete(gone.keys().next().value as string);
  };

  function create(response: ServerResponse, byCookie: boolean, identity: unknown): Channel | undefined {
    if (open.size >= limits.maxChannels) {
      response.setHeader("retry-after", String(Math.ceil(limits.idleTimeout / 1000)));
      reply(response, 503, `${limits.maxChannels} channels are open, the most this server keeps`);
      return undefined;
    }
    const channel = new Channel(randomId(), limits, forget);
    open.set(channel.id, channel);
    response.setHeader(channelHeader, channel.id);
    if (byCookie) response.setHeader("set-cookie", `${cookieName}=${channel.id}; Path=/; HttpOnly; SameSite=Lax`);
    config.onChannel?.(new Peer(channel, { ...config.peer, identity }));
    return channel;
  }

  /** The channel a request names, a new one if it names none, or `undefined` once it was answered. */
  function find(request: IncomingMessage, response: ServerResponse, identity: unknown): Channel | undefined {
    const { id, byCookie } = named(request);
    if (id === undefined) return create(response, byCookie, identity);
    const channel = open.get(id);
    if (channel !== undefined) return channel;
    if (byCookie) response.setHeader("set-cookie", `${cookieName}=; Path=/; Max-Age=0`);
    reply(response, 410, gone.get(id) ?? "no such channel: it expired or was closed");
    return undefined;
  }

  return {
    serve(mode, request, response, messages, identity) {
      if (messages.length > limits.maxQueued) {
        reply(response, 429, `a push holds at most ${limits.maxQueued} messages`);
        return;
      }
      const channel = find(request, response, identity);
      if (channel === undefined) return;
      channel.begin(response);
      if (messages.length > 0) {
        if (channel.queued + messages.length > limits.maxQueued) {
          reply(response, 429, `${channel.queued} messages wait to be pulled; pull before pushing more`);
          return;
        }
        channel.deliver(messages);
      }
      if (mode === "push") reply(response, 200, "[]", jsonType);
      else channel.wait(response, mode === "pull" ? limits.pullTimeout : pollWait);
    },
    end(request, response) {
      const { id, byCookie } = named(request);
      if (id !== undefined) open.get(id)?.end(connectionClosed("the client closed the channel", 1000, ""));
      if (byCookie && id !== undefined) response.setHeader("set-cookie", `${cookieName}=; Path=/; Max-Age=0`);
      reply(response, 204, "");
    },
    close() {
      for (const channel of [...open.values()]) {
        channel.end(connectionClosed("the server is shutting down", 1001, ""));
      }
    },
  };
}

/** A pull (or poll) waiting for something to answer with. */
interface Pull {
  readonly response: ServerResponse;
  timer: ReturnType<typeof setTimeout>;
  waking: boolean;
}

/**
 * One channel: the transport of its peer. What the client pushes arrives as frames; what the peer sends
 * is queued until a pull takes it. At most one pull waits at a time: a new one answers the one before.
 */
class Channel implements Transport {
  readonly #inbox = new FrameQueue();
  #outbox: string[] = [];
  #pull: Pull | undefined;
  /** Requests under way; the idle clock runs only while there are none. */
  #requests = 0;
  #idle: ReturnType<typeof setTimeout> | undefined;
  readonly #limits: Limits;
  readonly #onEnd: (channel: Channel, why: string) => void;
  /** Waiting for the queue to be pulled (see `congested`). */
  #drainers: (() => void)[] = [];

  constructor(
    readonly id: string,
    limits: Limits,
    onEnd: (channel: Channel, why: string) => void,
  ) {
    this.#limits = limits;
    this.#onEnd = onEnd;
    this.#startIdleClock();
  }

  get closed(): Promise<JampError> {
    return this.#inbox.closed;
  }

  get queued(): number {
    return this.#outbox.length;
  }

  /**
   * Half `maxQueued` waits to be pulled: the peer pulls no stream items until a pull takes them, so that a
   * stream with much credit does not fill the queue and close the channel.
   */
  get congested(): boolean {
    return this.#outbox.length >= this.#limits.maxQueued / 2 && this.#inbox.error === undefined;
  }

  drained(): Promise<void> {
    if (!this.congested) return Promise.resolve();
    return new Promise((resolve) => this.#drainers.push(resolve));
  }

  /** A request for this channel began; its end restarts the idle clock. */
  begin(response: ServerResponse): void {
    this.#requests++;
    clearTimeout(this.#idle);
    response.once("close", () => {
      if (--this.#requests === 0) this.#startIdleClock();
    });
  }

  deliver(messages: readonly unknown[]): void {
    for (const message of messages) this.#inbox.push(JSON.stringify(message));
  }

  send(frame: string): void {
    const error = this.#inbox.error;
    if (error !== undefined) throw error;
    if (this.#outbox.length >= this.#limits.maxQueued) {
      const problem = new JampError(
        "limit-exceeded",
        `the channel was closed: its client left ${this.#limits.maxQueued} messages unpulled`,
      );
      this.end(problem);
      throw problem;
    }
    this.#outbox.push(frame);
    this.#wake();
  }

  receive(): Promise<string> {
    return this.#inbox.take();
  }

  close(code = 1000, reason = ""): void {
    this.end(connectionClosed("the channel was closed by the server", code, reason));
  }

  /** Answers `response` with what is queued, once something is or after `wait` ms. */
  wait(response: ServerResponse, wait: number): void {
    this.#answerPull();
    if (this.#outbox.length > 0 || this.#inbox.error !== undefined) {
      this.#answer(response);
      return;
    }
    const pull: Pull = { response, timer: setTimeout(() => this.#answerPull(), wait), waking: false };
    this.#pull = pull;
    // A client that gave up (or closed) takes nothing: what is queued waits for its next pull.
    response.once("close", () => {
      if (this.#pull !== pull) return;
      clearTimeout(pull.timer);
      this.#pull = undefined;
    });
  }

  /** Closes the channel with `error`, which its peer closes with; a waiting pull is answered. Idempotent. */
  end(error: JampError): void {
    if (this.#inbox.error !== undefined) return;
    this.#inbox.close(error);
    clearTimeout(this.#idle);
    this.#answerPull();
    this.#relieve();
    this.#onEnd(this, error.message);
  }

  #startIdleClock(): void {
    if (this.#inbox.error !== undefined) return;
    const timeout = this.#limits.idleTimeout;
    this.#idle = setTimeout(
      () => this.end(connectionClosed(`the channel expired: no request came for ${timeout} ms`, 1001, "")),
      timeout,
    );
    (this.#idle as { unref?: () => void }).unref?.();
  }

  #wake(): void {
    const pull = this.#pull;
    if (pull === undefined || pull.waking) return;
    pull.waking = true;
    clearTimeout(pull.timer);
    // What is sent in the same turn (a burst of stream items, a batch of answers) goes in the same answer.
    pull.timer = setTimeout(() => this.#answerPull(), 0);
  }

  #answerPull(): void {
    const pull = this.#pull;
    if (pull === undefined) return;
    this.#pull = undefined;
    clearTimeout(pull.timer);
    this.#answer(pull.response);
  }

  #answer(response: ServerResponse): void {
    const closed = this.#inbox.error;
    if (this.#outbox.length === 0 && closed !== undefined) {
      reply(response, 410, closed.message);
      return;
    }
    const frames = this.#outbox;
    this.#outbox = [];
    reply(response, 200, `[${frames.join(",")}]`, jsonType);
    this.#relieve();
  }

  #relieve(): void {
    const drainers = this.#drainers;
    this.#drainers = [];
    for (const wake of drainers) wake();
  }
}

/** The channel a request names (header first, then cookie); `undefined` for none, or for the header's `new`. */
function named(request: IncomingMessage): { id: string | undefined; byCookie: boolean } {
  const header = request.headers[channelHeader];
  if (typeof header === "string") return { id: header === "new" ? undefined : header, byCookie: false };
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, value] = part.split("=", 2).map((text) => text.trim());
    if (name === cookieName && value !== undefined && value !== "") return { id: value, byCookie: true };
  }
  return { id: undefined, byCookie: true };
}

/** 128 random bits in hex: a channel's name is what lets a request read its messages. */
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function limitsOf(options: HttpChannelOptions = {}): Limits {
  const limits = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof Limits)[]) {
    const value = options[key];
    if (value === undefined) continue;
    const count = key.startsWith("max");
    // Times are bounded by what a timer can wait (about 24.8 days).
    if (!(value > 0 && value <= 2 ** 31 - 1) || (count && !Number.isInteger(value))) {
      throw new RangeError(
        `channels.${key} must be a ${count ? "whole number" : "time in ms"} from 1 to 2^31-1, got ${value}`,
      );
    }
    limits[key] = value;
  }
  return limits;
}
