/**
 * The two ends of a stream, as a peer keeps them next to its pending queries: `IncomingStream` on the side
 * that opened it (an async iterator over the items that arrive, granting credit as they are consumed), and
 * `OutgoingStream` on the side that serves it (how much credit the caller has granted, and whether it
 * cancelled). Neither does I/O: the peer sends what they ask for through the `StreamLink` it gives them.
 *
 * Flow control is by credit, counted in items: the caller opens a stream with `credit` (how many items it
 * is ready for) and grants more with `stream-credit` as its consumer takes items; the callee pulls its
 * generator only while it holds credit. So the items in flight or buffered for one stream are never more
 * than the credit, however slow the consumer. A callee that sends more than it was granted breaks that
 * promise: the stream fails with `limit-exceeded` and is cancelled, rather than buffer without bound.
 */

import { cancelledCall } from "./calls.js";
import type { IncomingCall } from "./context.js";
import { JampError } from "./errors.js";
import { maxCredit } from "./limits.js";
import type { QueryId, StreamCancelMessage, StreamCreditMessage } from "./message.js";

/** What an `IncomingStream` asks of its peer. */
export interface StreamLink {
  /** Sends `stream-credit` for `credit` more items. */
  grant(credit: number): void;
  /** Sends `stream-cancel`: the consumer stopped before the end. */
  cancel(): void;
  /** The stream ended, however: forget it. */
  release(): void;
}

type Waiter = {
  readonly resolve: (result: IteratorResult<unknown>) => void;
  readonly reject: (error: JampError) => void;
};

const done: IteratorResult<unknown> = { done: true, value: undefined };

/** Items a served stream sends in a row before it lets the event loop turn (other connections, timers). */
const burstLength = 64;

/** Resolves in a later turn of the event loop, after pending I/O: `setImmediate` on Node, else a timer. */
function nextTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate === undefined ? setTimeout(resolve, 0) : immediate(resolve)));
}

/**
 * A stream this side opened: the items received and not yet consumed, in order, then its end (done or a
 * `JampError`). Credit is granted back in batches of half the initial credit, so a consumer that keeps up
 * costs one `stream-credit` per half window rather than one per item. Single use, like the object an async
 * generator function returns; `return()` (a `break` out of `for await`) cancels it on the other side.
 */
export class IncomingStream implements AsyncIterableIterator<unknown> {
  readonly #items: unknown[] = [];
  #head = 0;
  /** `true` once completed, the error once failed; the buffered items are still delivered first. */
  #end: true | JampError | undefined;
  /** Whether the end has been told to the consumer (an error is thrown once, then `done`). */
  #told = false;
  readonly #waiters: Waiter[] = [];
  /** Items consumed since credit was last granted. */
  #consumed = 0;
  readonly #refill: number;
  /** Whether any answer came; until then the stream's time limit runs. */
  #answered = false;
  /** Items the other side may still send: the credit granted, less the items received. */
  #allowance: number;
  timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly id: QueryId,
    /** `Service.method`, for error messages. */
    readonly what: string,
    credit: number,
    readonly link: StreamLink,
  ) {
    this.#refill = Math.max(1, Math.floor(credit / 2));
    this.#allowance = credit;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Whether the stream is still open on the wire (not completed, failed or cancelled). */
  get open(): boolean {
    return this.#end === undefined;
  }

  /** Items arrived (a `stream-result` chunk). */
  push(values: readonly unknown[]): void {
    if (this.#end !== undefined) return;
    this.#answer();
    this.#allowance -= values.length;
    if (this.#allowance < 0) {
      const text = `stream ${this.what}: ${-this.#allowance} items came past the credit granted`;
      this.fail(new JampError("limit-exceeded", text), true);
      this.link.cancel();
      return;
    }
    for (const value of values) {
      const waiter = this.#waiters.shift();
      if (waiter === undefined) this.#items.push(value);
      else this.#deliver(waiter, value);
    }
  }

  /** The other side completed the stream. */
  complete(): void {
    this.#finish(true, false);
  }

  /** The stream failed: `discard` drops the items not yet consumed (a local abort), else they come first. */
  fail(error: JampError, discard = false): void {
    this.#finish(error, discard);
  }

  next(): Promise<IteratorResult<unknown>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head];
      this.#items[this.#head++] = undefined;
      if (this.#head === this.#items.length) {
        this.#items.length = 0;
        this.#head = 0;
      }
      this.#consume();
      return Promise.resolve({ done: false, value });
    }
    if (this.#end !== undefined) return this.#tell();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Stops consuming: cancels the stream on the other side if it is still open. */
  return(): Promise<IteratorResult<unknown>> {
    if (this.#end === undefined) {
      this.#end = true;
      this.#told = true;
      this.#items.length = 0;
      this.#head = 0;
      this.link.release();
      this.link.cancel();
      for (const waiter of this.#waiters.splice(0)) waiter.resolve(done);
    }
    return Promise.resolve(done);
  }

  #answer(): void {
    if (this.#answered) return;
    this.#answered = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  #deliver(waiter: Waiter, value: unknown): void {
    this.#consume();
    waiter.resolve({ done: false, value });
  }

  #consume(): void {
    if (++this.#consumed < this.#refill || this.#end !== undefined) return;
    this.#allowance += this.#consumed;
    this.link.grant(this.#consumed);
    this.#consumed = 0;
  }

  #finish(end: true | JampError, discard: boolean): void {
    if (this.#end !== undefined) return;
    this.#answer();
    this.#end = end;
    this.link.release();
    if (discard) {
      this.#items.length = 0;
      this.#head = 0;
    }
    // Waiters exist only while no item is buffered.
    for (const waiter of this.#waiters.splice(0)) {
      if (end === true || this.#told) waiter.resolve(done);
      else {
        this.#told = true;
        waiter.reject(end);
      }
    }
  }

  #tell(): Promise<IteratorResult<unknown>> {
    const end = this.#end;
    if (this.#told || end === true || end === undefined) return Promise.resolve(done);
    this.#told = true;
    return Promise.reject(end);
  }
}

/** A stream this side opens, as `openStream` sets it up. */
export interface StreamOpening {
  readonly id: QueryId;
  readonly to: string;
  /** This side's address. */
  readonly from: string;
  readonly method: string;
  /** The credit the stream opens with. */
  readonly credit: number;
  /** How long the first answer may take, in ms; 0 means for ever. */
  readonly timeout: number;
  readonly signal: AbortSignal | undefined;
  /** Sends the stream's `stream-credit` and `stream-cancel` messages. */
  post(message: StreamCreditMessage | StreamCancelMessage): void;
  /** The stream ended, however: forget it. */
  release(): void;
}

/**
 * The consuming end of a stream about to be opened: granting credit and cancelling through `post`, ended
 * with `cancelled` (and cancelled on the other side) when `signal` aborts, with `timeout` when no answer
 * came within `timeout`. The caller sends the `stream` message itself.
 */
export function openStream(opening: StreamOpening): IncomingStream {
  const { id, to, from, method, signal, timeout } = opening;
  const what = `${method} to ${to}`;
  const cancel = (): void => opening.post({ kind: "stream-cancel", id, to, from });
  const onAbort = (): void => {
    stream.fail(cancelledCall(`stream ${what}`, signal), true);
    cancel();
  };
  const stream: IncomingStream = new IncomingStream(id, what, opening.credit, {
    grant: (credit) => opening.post({ kind: "stream-credit", id, to, from, credit }),
    cancel,
    release: () => {
      opening.release();
      if (stream.timer !== undefined) clearTimeout(stream.timer);
      signal?.removeEventListener("abort", onAbort);
    },
  });
  signal?.addEventListener("abort", onAbort);
  if (timeout > 0) {
    stream.timer = setTimeout(() => {
      stream.fail(new JampError("timeout", `stream ${what} got no answer within ${timeout} ms`), true);
      cancel();
    }, Math.min(timeout, 2 ** 31 - 1));
  }
  return stream;
}

/**
 * A stream this side serves: the credit its caller granted and not yet used, and whether the caller
 * cancelled (or the connection closed). `ready()` is what the serving loop awaits before sending each item it pulled.
 */
export class OutgoingStream {
  #credit: number;
  /** Items sent since the loop last waited for anything. */
  #burst = 0;
  #cancelled = false;
  #wake: (() => void) | undefined;
  /** The context its handler got: cancelling the stream aborts its signal. */
  context: IncomingCall | undefined;

  constructor(credit: number) {
    this.#credit = Math.min(credit, maxCredit);
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** The credit granted and not yet used. */
  get credit(): number {
    return this.#credit;
  }

  /**
   * `stream-credit`: the caller is ready for `credit` more items. Counted up to 2^53-1, so that any grant
   * stays a number; what is buffered is bounded by the transport's backpressure, whatever the credit.
   */
  grant(credit: number): void {
    this.#credit = Math.min(this.#credit + credit, maxCredit);
    this.#wakeUp();
  }

  /** `stream-cancel`, or the connection closed: the loop stops at its next turn, and the handler's signal aborts. */
  cancel(): void {
    this.#cancelled = true;
    this.context?.abort(new JampError("cancelled", `the caller cancelled the stream ${this.context.method}`));
    this.#wakeUp();
  }

  /** The stream ended, however: its handler's signal will not abort any more. */
  end(): void {
    this.context?.end();
  }

  /** One item sent. */
  spend(): void {
    this.#credit--;
    this.#burst++;
  }

  /**
   * Whether a burst of items went out without waiting (a fast generator, much credit): then the serving loop
   * lets the event loop turn (`turn`), so that one stream cannot keep a process from serving anything else.
   */
  burstOver(): boolean {
    return this.#burst >= burstLength;
  }

  /** Lets the event loop turn, and starts a new burst. */
  turn(): Promise<void> {
    this.#burst = 0;
    return nextTurn();
  }

  /** Resolves with `true` once there is credit for one more item, `false` once cancelled. */
  async ready(): Promise<boolean> {
    while (this.#credit <= 0 && !this.#cancelled) {
      this.#burst = 0;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    return !this.#cancelled;
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
