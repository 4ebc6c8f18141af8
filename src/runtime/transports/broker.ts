/**
 * What the AMQP and STOMP transports share, free of any broker client: how a service address names a
 * queue, reading frames to route them, and keeping a server connected. The client's transport is in
 * `broker-client.ts`, the server's dispatch in `broker-dispatch.ts`; each protocol module (`amqp.ts`,
 * `stomp.ts`) adds only its wire.
 *
 * Clients publish calls to the service's queue with their own reply address; servers consume that queue
 * as competing consumers and publish answers to the reply address. The frame is the message body, as
 * over a WebSocket, so ids correlate exactly as on every other transport.
 */

import type { Codec } from "../codecs/codec.js";
import { codecs } from "../codecs/index.js";
import { JampError, isJampError } from "../errors.js";
import type { Message } from "../message.js";

export interface BrokerNamingOptions {
  /** The first part of every queue name. Default `"jamp"`. */
  readonly queuePrefix?: string | undefined;
  /**
   * The queue of a service address; default `queuePrefix` + the address with each `/` turned into `.`:
   * `/calculator` → `jamp.calculator`, `/shop/orders` → `jamp.shop.orders` (STOMP queue names cannot
   * hold `/`). A URL address counts by its path. Client and servers must name queues alike.
   */
  readonly queueOf?: ((address: string) => string) | undefined;
}

/** The queue name `options` give to `address`. */
export function queueName(address: string, options: BrokerNamingOptions = {}): string {
  const path = pathOf(address);
  if (options.queueOf !== undefined) return options.queueOf(path);
  return `${options.queuePrefix ?? "jamp"}${path.replaceAll("/", ".")}`;
}

/** `/calculator` for `jamp+amqp://host/calculator`; other addresses as they are. */
function pathOf(address: string): string {
  const scheme = address.indexOf("://");
  if (scheme <= 0) return address;
  const start = address.indexOf("/", scheme + 3);
  return start < 0 ? "/" : (address.slice(start).split(/[?#]/)[0] as string);
}

/** `ChatRoom` → `/chat-room`: the default address of a service, as the generator derives it. */
export function defaultAddress(service: string): string {
  const kebab = service
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
  return `/${kebab}`;
}

/** The message in `frame` and the format it is in, recognised among the registered ones unless `codec` is given. */
export function readFrame(frame: string, codec?: Codec): { message: Message; codec: Codec } | undefined {
  try {
    if (codec !== undefined) return { message: codec.decode(frame), codec };
    const value: unknown = JSON.parse(frame);
    for (const format of Object.values(codecs)) {
      if (!format.recognizes(value)) continue;
      const read = format.read(value);
      return read.kind === "batch" ? undefined : { message: read, codec: format };
    }
  } catch {
    // Not a frame of any format: the caller says what to do.
  }
  return undefined;
}

/**
 * The codec a client transport reads the frames its peer sends with: the peer's own when it is none of
 * the registered ones; `undefined` for a registered one, whose frames are recognised one by one.
 */
export function unregisteredCodec(codec: Codec | string | undefined): Codec | undefined {
  return typeof codec === "object" && !Object.values<Codec>(codecs).includes(codec) ? codec : undefined;
}

/**
 * Whether `frame` may be a stream message of one of `kinds` (`"stream"`, `"stream-result"`, ...): a cheap
 * look at its start before parsing it. Only the JAMP dialects carry streams, and their frames are arrays
 * that start with the kind.
 */
export function mayBe(frame: string, ...kinds: string[]): boolean {
  const head = /^\s*\[\s*"([a-z-]+)"/.exec(frame.slice(0, 40));
  return head !== null && kinds.includes(head[1] as string);
}

// ---------------------------------------------------------------------------------------------------------
// Reconnecting

export interface ReconnectOptions {
  /** The first wait after a connection is lost, in ms. Default 250. */
  readonly initialDelay?: number | undefined;
  /** The longest wait, in ms. Default 10_000. */
  readonly maxDelay?: number | undefined;
  /** Each wait is the delay, doubled per failed attempt, times a random factor within ±`jitter`. Default 0.2. */
  readonly jitter?: number | undefined;
}

/** One connection of a server: `closed` resolves with why it ended. */
export interface Session {
  readonly closed: Promise<JampError>;
  /** Stops consuming, waits at most `timeout` ms for the deliveries being handled, then closes. */
  drain(timeout: number): Promise<void>;
}

export type ServerState = "open" | "reconnecting" | "closed";

export interface BrokerServer {
  /** `open` while consuming, `reconnecting` between connections, `closed` once `close()` was called. */
  readonly state: ServerState;
  /**
   * Stops consuming, waits for the deliveries being handled to be answered and acknowledged (at most
   * `timeout` ms, default 10_000), then closes the connection; what is still unacknowledged goes back to
   * the queue for another server.
   */
  close(timeout?: number): Promise<void>;
}

/**
 * Keeps a server connected: opens a session, and whenever it ends other than by `close()`, opens another
 * after a delay that doubles per failed attempt (with jitter), up to `maxDelay`; `reconnect: false` stops
 * instead. Resolves once the first session is open; rejects when it cannot be opened.
 */
export async function keepServing(
  open: () => Promise<Session>,
  reconnect: ReconnectOptions | false | undefined,
  onError: ((error: JampError) => void) | undefined,
): Promise<BrokerServer> {
  let state: ServerState = "open";
  let session = await open();
  let wake: (() => void) | undefined;
  const settings = reconnect === false ? undefined : reconnect ?? {};
  const report = (error: JampError): void => {
    try {
      onError?.(error);
    } catch {
      // onError must not throw.
    }
  };
  // A function, so that the checks after each await see what `close()` set meanwhile.
  const stopped = (): boolean => state === "closed";
  const run = async (): Promise<void> => {
    for (;;) {
      const reason = await session.closed;
      if (stopped()) return;
      report(reason);
      if (settings === undefined) {
        state = "closed";
        return;
      }
      state = "reconnecting";
      for (let attempt = 0; ; attempt++) {
        const base = Math.min(settings.maxDelay ?? 10_000, (settings.initialDelay ?? 250) * 2 ** Math.min(attempt, 30));
        const jitter = settings.jitter ?? 0.2;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, base * (1 - jitter + 2 * jitter * Math.random()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
        if (stopped()) return;
        try {
          session = await open();
          break;
        } catch (error) {
          report(isJampError(error) ? error : new JampError("connection-closed", messageOf(error), { cause: error }));
          if (stopped()) return;
        }
      }
      if (stopped()) {
        await session.drain(0);
        return;
      }
      state = "open";
    }
  };
  const running = run();
  return {
    get state() {
      return state;
    },
    async close(timeout = 10_000) {
      if (state === "closed") return;
      const current = state === "open" ? session : undefined;
      state = "closed";
      wake?.();
      if (current !== undefined) await current.drain(timeout);
      await running;
    },
  };
}

/** A `connection-closed` about the broker at `url`: `text`, then what `error` said. */
export function brokerClosed(url: string, error: unknown, text: string): JampError {
  const detail = error === undefined ? "" : `: ${messageOf(error)}`;
  return new JampError("connection-closed", `${text}${detail}`, {
    data: { url: redact(url) },
    ...(error === undefined ? {} : { cause: error }),
  });
}

/** `url` without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:@/]*):[^@/]*@/i, "$1:***@");
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "unknown error";
}

export function ignore(): void {}
