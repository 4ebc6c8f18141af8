/**
 * A peer's link to the other side, kept for the peer's whole life: the transport in use, and, for a peer
 * made from an opener, the opener that makes a new one after a drop, the backoff schedule and the state a
 * UI watches. It knows nothing of any transport in particular: whatever can open a `Transport` reconnects.
 */

import { backoffOf, reconnectDelay, type Backoff, type ReconnectOptions } from "./backoff.js";
import { JampError, isJampError } from "./errors.js";
import type { Transport } from "./transports/transport.js";

/**
 * `connecting` until the first transport opens; `open`; `reconnecting` from a drop until a new transport
 * opens; `closed` for good (by `close()`, a drop without reconnecting, or attempts exhausted).
 */
export type PeerState = "connecting" | "open" | "reconnecting" | "closed";

export interface PeerStateEvent {
  readonly state: PeerState;
  /** While connecting or reconnecting: the number of the attempt coming next, from 1 after each success. */
  readonly attempt?: number;
  /** While connecting or reconnecting: the milliseconds until that attempt. */
  readonly delay?: number;
  /** Why: the drop or the failed attempt (connecting, reconnecting), or why the peer closed (closed). */
  readonly reason?: JampError;
}

/** What an opener is told about the attempt it makes. */
export interface OpenContext {
  /** Aborted when the peer is closed while the attempt runs: give up, close what was opened, and reject. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt since the last connection that lasted. */
  readonly attempt: number;
  /** The peer's own address, the `from` of what it sends (where a broker transport has answers delivered). */
  readonly address: string;
  /** The addresses of the bindings the peer serves now (the queues a broker transport consumes). */
  readonly served: readonly string[];
}

/**
 * Opens a fresh transport to the same place each time it is called, and resolves once frames can be sent;
 * rejects, ideally with a `connection-closed` `JampError` naming where, when it cannot. A transport that
 * must register anything to receive (a broker's consumers for `served`, a reply queue for `address`)
 * registers it here, so that each reconnect registers it again.
 */
export type TransportOpener = (context: OpenContext) => Promise<Transport>;

/** What a connection tells its peer. */
export interface ConnectionSink {
  /** A frame received. */
  frame(frame: string): void;
  /** The transport in use ended on its own: what was in flight on it is lost. Followed by `ended` or a reconnect. */
  lost(reason: JampError): void;
  /** The connection ended for good, not by `close()`. */
  ended(reason: JampError): void;
  /** A failure nobody else hears of: a frame handler or a state listener that threw. */
  report(error: JampError): void;
  /** What the opener is told of the peer: its address and the addresses it serves. */
  describe(): { readonly address: string; readonly served: readonly string[] };
}

export interface ConnectionOptions {
  /** How to reconnect, for a connection made from an opener: options, `true` for the defaults, or `false`. */
  readonly reconnect?: ReconnectOptions | boolean | undefined;
  /** Where the opener connects, for messages. */
  readonly url?: string | undefined;
}

type Listener = (event: PeerStateEvent) => void;

export class Connection {
  readonly #open: TransportOpener | undefined;
  readonly #backoff: Backoff | undefined;
  readonly #url: string | undefined;
  readonly #sink: ConnectionSink;
  /** Wrapped, so that one function subscribed twice is two subscriptions. */
  readonly #listeners = new Set<{ listener: Listener }>();
  #state: PeerState;
  #transport: Transport | undefined;
  /** Attempts made since the last connection that lasted `resetAfter`. */
  #attempts = 0;
  /** Failures in a row (failed attempts, and connections that did not last): what the delay grows with. */
  #failures = 0;
  #wasOpen = false;
  #openedAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempt: AbortController | undefined;
  /** The last drop or failure, while not open. */
  #down: JampError | undefined;
  /**
   * What the transports lost since the last `flush()` confirmed (their own `flush()`), so that one call
   * after a reconnect still reports a send that the lost connection never confirmed.
   */
  #lostFlush: Promise<void> | undefined;

  /**
   * Over `source`, a transport already open (never reopened: its end is the connection's), or an opener,
   * called at once and again after each drop as `options.reconnect` says. Throws a `TypeError` for
   * `reconnect` options with a transport, a `RangeError` for options out of range.
   */
  constructor(source: Transport | TransportOpener, options: ConnectionOptions, sink: ConnectionSink) {
    this.#sink = sink;
    this.#url = options.url;
    if (typeof source === "function") {
      this.#open = source;
      this.#backoff = backoffOf(options.reconnect);
      this.#state = "connecting";
      void this.#try();
      return;
    }
    if (options.reconnect !== undefined && options.reconnect !== false) {
      throw new TypeError("reconnect needs a transport opener: a transport cannot be opened again");
    }
    this.#open = undefined;
    this.#backoff = undefined;
    this.#state = "open";
    this.#use(source);
  }

  get state(): PeerState {
    return this.#state;
  }

  /** Sends on the open transport; throws `connection-closed` when there is none (see `notOpen`). */
  send(frame: string): void {
    const transport = this.#transport;
    if (transport === undefined || this.#state !== "open") throw this.notOpen();
    transport.send(frame);
  }

  /**
   * Resolves once the open transport confirmed every frame sent on it so far (see `Transport.flush`), and
   * every frame sent on those lost since the last call was confirmed before they went; rejects with
   * `connection-closed` when there is no open transport, or with the failure of a lost one.
   */
  flush(): Promise<void> {
    const lost = this.#lostFlush;
    this.#lostFlush = undefined;
    const transport = this.#transport;
    if (transport === undefined || this.#state !== "open") return Promise.reject(this.notOpen());
    const current = transport.flush?.() ?? Promise.resolve();
    return lost === undefined ? current : Promise.all([lost, current]).then(() => undefined);
  }

  /**
   * While the transport in use is congested (it holds more unsent than it wants), the promise that
   * resolves once it is not; `undefined` when it is not, so that the usual case costs no promise.
   */
  congestion(): Promise<void> | undefined {
    const transport = this.#transport;
    return transport?.congested === true ? transport.drained?.() : undefined;
  }

  /** The bytes the transport in use has not sent yet, where it can tell; else 0. */
  get buffered(): number {
    return this.#transport?.buffered ?? 0;
  }

  /** The error of a call made while not open: nothing was sent. */
  notOpen(): JampError {
    const where = this.#url === undefined ? "the connection" : `the connection to ${this.#url}`;
    const why = this.#down === undefined ? "" : `; last: ${this.#down.message}`;
    const text =
      this.#state === "connecting"
        ? `${where} is not open yet (connecting${why})`
        : `${where} is down (${this.#state}${why})`;
    return new JampError("connection-closed", text, {
      data: { state: this.#state },
      ...(this.#down === undefined ? {} : { cause: this.#down }),
    });
  }

  /** Calls `listener` with each change of state, and with each attempt scheduled; returns its unsubscriber. */
  onState(listener: Listener): () => void {
    const entry = { listener };
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
  }

  /** Stops reconnecting (an attempt under way is aborted) and closes the transport. Idempotent. */
  close(code: number, text: string, reason: JampError): void {
    if (this.#state === "closed") return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#attempt?.abort();
    this.#attempt = undefined;
    const transport = this.#transport;
    this.#transport = undefined;
    this.#setState({ state: "closed", reason });
    transport?.close(code, text);
  }

  #use(transport: Transport): void {
    this.#transport = transport;
    this.#openedAt = Date.now();
    this.#down = undefined;
    void this.#read(transport);
  }

  async #read(transport: Transport): Promise<void> {
    let reason: JampError;
    if (transport.deliverTo !== undefined) {
      // Not before whoever made the transport is done with it (the peer's constructor, the `open` state), as
      // when a frame comes through `receive()`.
      await Promise.resolve();
      if (this.#transport !== transport) return;
      transport.deliverTo((frame) => {
        if (this.#transport === transport) this.#take(frame);
      });
      this.#dropped(transport, await transport.closed);
      return;
    }
    try {
      for (;;) {
        const frame = await transport.receive();
        if (this.#transport !== transport) return;
        this.#take(frame);
      }
    } catch (error) {
      reason = asJampError(error, "connection-closed");
    }
    this.#dropped(transport, reason);
  }

  #take(frame: string): void {
    try {
      this.#sink.frame(frame);
    } catch (error) {
      // A bug in a codec or binding must not end the connection: report it and read on.
      this.#sink.report(asJampError(error, "internal-error"));
    }
  }

  #dropped(transport: Transport, reason: JampError): void {
    if (this.#transport !== transport) return;
    this.#transport = undefined;
    this.#down = reason;
    const unconfirmed = transport.flush?.();
    if (unconfirmed !== undefined) {
      // Observed now, so that a failure nobody asks about is no unhandled rejection.
      unconfirmed.catch(() => undefined);
      this.#lostFlush = this.#lostFlush === undefined ? unconfirmed : Promise.all([this.#lostFlush, unconfirmed]).then(() => undefined);
    }
    if (Date.now() - this.#openedAt >= (this.#backoff?.resetAfter ?? 0)) {
      this.#attempts = 0;
      this.#failures = 0;
    }
    this.#sink.lost(reason);
    this.#retry(reason);
  }

  /** After a drop or a failed attempt: schedules the next attempt, or ends the connection. */
  #retry(reason: JampError): void {
    if (this.#state === "closed") return;
    const backoff = this.#backoff;
    if (this.#open === undefined || backoff === undefined) return this.#end(reason);
    if (this.#attempts >= backoff.maxAttempts) return this.#end(this.#gaveUp(reason));
    this.#failures++;
    const delay = reconnectDelay(backoff, this.#failures);
    // Scheduled before listeners hear of it, so that one calling `close()` cancels it.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#try();
    }, delay);
    const state = this.#wasOpen ? "reconnecting" : "connecting";
    this.#setState({ state, attempt: this.#attempts + 1, delay, reason });
  }

  async #try(): Promise<void> {
    if (this.#state === "closed") return;
    const attempt = new AbortController();
    this.#attempt = attempt;
    this.#attempts++;
    let transport: Transport;
    try {
      const context = { ...this.#sink.describe(), signal: attempt.signal, attempt: this.#attempts };
      transport = await (this.#open as TransportOpener)(context);
    } catch (error) {
      if (attempt.signal.aborted) return;
      this.#attempt = undefined;
      this.#down = this.#cannot(error);
      return this.#retry(this.#down);
    }
    if (attempt.signal.aborted) {
      // Closed while opening, and the opener did not see it: this transport is not wanted.
      transport.close(1000, "");
      return;
    }
    this.#attempt = undefined;
    this.#wasOpen = true;
    this.#use(transport);
    this.#setState({ state: "open" });
  }

  #end(reason: JampError): void {
    this.#sink.ended(reason);
    this.#setState({ state: "closed", reason });
  }

  /** An opener's failure as a `JampError`, naming the URL when the opener's own error is not one. */
  #cannot(error: unknown): JampError {
    if (isJampError(error)) return error;
    const text = error instanceof Error ? error.message : String(error);
    return new JampError("connection-closed", this.#url === undefined ? text : `cannot connect to ${this.#url}: ${text}`, {
      cause: error,
      ...(this.#url === undefined ? {} : { data: { url: this.#url } }),
    });
  }

  #gaveUp(last: JampError): JampError {
    const attempts = this.#attempts;
    const to = this.#url === undefined ? "" : ` to ${this.#url}`;
    const what = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
    return new JampError(
      "connection-closed",
      `gave up ${this.#wasOpen ? "reconnecting" : "connecting"}${to} after ${what}: ${last.message}`,
      { cause: last, data: this.#url === undefined ? { attempts } : { url: this.#url, attempts } },
    );
  }

  #setState(event: PeerStateEvent): void {
    this.#state = event.state;
    for (const { listener } of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#sink.report(asJampError(error, "internal-error"));
      }
    }
  }
}

function asJampError(error: unknown, type: string): JampError {
  if (isJampError(error)) return error;
  return new JampError(type, error instanceof Error ? error.message : "a non-Error value was thrown", { cause: error });
}

/**
 * Resolves with `peer` once it is open; when its first attempt fails, closes it and rejects with why. What
 * `connect()` and the broker modules' peer functions return: an open peer, or the reason there is none.
 */
export function opened<P extends { onState(listener: (event: PeerStateEvent) => void): () => void; close(): void }>(peer: P): Promise<P> {
  return new Promise((resolve, reject) => {
    const stop = peer.onState((event) => {
      stop();
      if (event.state === "open") return resolve(peer);
      peer.close();
      reject(event.reason);
    });
  });
}
