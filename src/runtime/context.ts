/**
 * The context of one incoming call, handed to its handler after the declared parameters, so that the
 * service's interface (and the client that implements it) keeps its own signatures:
 *
 *   async add(a: number, b: number, ctx: jamp.CallContext) { ctx.headers.sid; ctx.signal; ... }
 *
 * The handler of a method with optional parameters gets them padded with `undefined`, so the context is
 * always in the slot after the last declared parameter.
 */

import type { MethodKind } from "./descriptor.js";
import type { JampError } from "./errors.js";
import type { Headers } from "./message.js";
import type { Peer } from "./peer.js";

export interface CallContext {
  /**
   * The caller's address, the `from` of its message, where a client reached by calls back listens
   * (`new ChatListenerClient(ctx.peer, ctx.from)`). `""` where the wire carries no sender: JSON-RPC and
   * SOAPjr (a call back then names the service instead), and JAMP/B's `send`.
   */
  readonly from: string;
  /** The address the call was sent to (`/calculator`, or a URL); `""` when the wire named the service instead. */
  readonly to: string;
  /** The interface name of the service called, `Calculator`. */
  readonly service: string;
  readonly method: string;
  /** How the method is called: `query` (a reply is awaited), `send` (one-way) or `stream`. */
  readonly kind: MethodKind;
  /** The wire format the call came in, a codec name: `jamp`, `jamp-b`, `jsonrpc2`, `jsonrpc1`, `soapjr`. */
  readonly format: string;
  /**
   * The call's headers: JAMP/B's slot 1, SOAPjr's `HEAD` members other than `service_type`, `action_type`
   * and `request_id` (`sid`). Empty for the formats that carry none (JAMP, JSON-RPC). Data only: an object
   * without prototype, frozen, so a key such as `__proto__` or `constructor` is just a key.
   */
  readonly headers: Headers;
  /**
   * Aborts when the call is abandoned: its caller cancelled it (a stream's `stream-cancel`, a `break` out of
   * the caller's loop) or the connection closed. Its `reason` is a `JampError` (`cancelled`,
   * `connection-closed`). It never aborts once the call is answered.
   */
  readonly signal: AbortSignal;
  /** The connection the call came on: through it the handler can call the caller's own services back. */
  readonly peer: Peer;
  /**
   * Who the connection authenticated as: what `listen`'s `authenticate` returned for its WebSocket upgrade or
   * HTTP request (the `identity` of its `Peer`). `undefined` when there is no `authenticate`.
   */
  readonly identity: unknown;
}

/**
 * What serves the service `S`: `S` itself, each method free to take the call's {@link CallContext} after its
 * declared parameters (optional ones become `T | undefined`, since the context comes after them). A method
 * that takes fewer parameters satisfies it too, so any `S` is an `Implementation<S>`.
 */
export type Implementation<S> = {
  [K in keyof S]: S[K] extends (...args: infer P) => infer R ? (...args: [...P, context: CallContext]) => R : S[K];
};

/**
 * Decides whether a call may run, before its arguments are checked and its handler runs: resolve to let it
 * through, throw (or reject with) a `JampError` to refuse it: `unauthorized` (who is calling is not known,
 * `{ data: { header: "sid" } }` naming the header at fault) or `forbidden` (known, and not allowed). What it
 * throws is answered as a handler's error would be.
 */
export type Authorize = (context: CallContext) => void | Promise<void>;

const noHeaders: Headers = Object.freeze(Object.create(null) as Record<string, unknown>);

/** The headers as a frozen object without prototype: own keys copied as data, `__proto__` included. */
export function headerData(headers: Headers | undefined): Headers {
  if (headers === undefined) return noHeaders;
  const copy = Object.create(null) as Record<string, unknown>;
  // On an object without prototype, assignment makes an own property even for `__proto__`.
  for (const key of Object.keys(headers)) copy[key] = headers[key];
  return Object.freeze(copy);
}

/**
 * The calls a peer is running, so that losing the connection aborts their signals. Only calls whose handler
 * took its signal are kept (in `watched`); one that takes it later learns from `losses` that the connection it
 * came on is gone, so no call pays for the bookkeeping unless it looks at its signal.
 */
export class RunningCalls {
  readonly watched = new Set<IncomingCall>();
  /** Calls come and not yet ended, for `maxRunning`. */
  size = 0;
  /** Connections lost so far. */
  losses = 0;
  /** The abort reason of the last loss. */
  lastLoss: JampError | undefined;
  /**
   * The last call come, kept (ended or not) so that a full collection while none runs does not free the
   * shape V8 gave calls, and with it the optimized code that relies on it (see `PendingQueries`).
   */
  last: IncomingCall | undefined;

  /** The connection is lost: every call running aborts with `reason`. */
  lose(reason: JampError): void {
    this.losses++;
    this.lastLoss = reason;
    for (const call of [...this.watched]) call.abort(reason);
  }
}

/**
 * A `CallContext` as the peer makes it, one per incoming call. The `AbortController` behind `signal` is made
 * only when a handler reads it, so calls that never look cost no more than this object.
 */
export class IncomingCall implements CallContext {
  readonly #running: RunningCalls;
  /** `running.losses` when the call came. */
  readonly #born: number;
  #controller: AbortController | undefined;
  #reason: JampError | undefined;
  #ended = false;

  constructor(
    readonly peer: Peer,
    running: RunningCalls,
    readonly from: string,
    readonly to: string,
    readonly service: string,
    readonly method: string,
    readonly kind: MethodKind,
    readonly format: string,
    readonly headers: Headers,
  ) {
    this.#running = running;
    this.#born = running.losses;
    running.size++;
    running.last = this;
  }

  get identity(): unknown {
    return this.peer.identity;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      const running = this.#running;
      if (this.#reason === undefined && !this.#ended && running.losses !== this.#born) this.#reason = running.lastLoss;
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
      else if (!this.#ended) running.watched.add(this);
    }
    return this.#controller.signal;
  }

  /** The call is abandoned: its signal aborts with `reason` (once; never after `end`). */
  abort(reason: JampError): void {
    if (this.#ended || this.#reason !== undefined) return;
    this.#reason = reason;
    if (this.#controller !== undefined) {
      this.#running.watched.delete(this);
      this.#controller.abort(reason);
    }
  }

  /** The call is answered (a stream: ended): its signal will not abort. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#running.size--;
    if (this.#controller !== undefined) this.#running.watched.delete(this);
  }
}
