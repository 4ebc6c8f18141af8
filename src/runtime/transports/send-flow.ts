/**
 * Backpressure for a socket that buffers what it cannot send yet (a WebSocket's `bufferedAmount`): past
 * `maxBuffered` bytes the socket is congested. Then its peer pulls no stream items; a server's socket
 * (`holdReading`) also reads nothing more, so that a client sending calls without reading their answers is
 * held back by TCP itself; once the buffer is down to half the mark everything resumes. A client's socket
 * keeps reading: if both ends stopped reading while each waits for the other to read, neither could go on.
 * A socket congested for `stallTimeout` without relief is given up: `onStall` closes it. Nothing is polled
 * while the socket is not congested; while it is, its buffer is looked at every 10 ms.
 */

/** What the flow needs of a socket: `ws` and the platform `WebSocket` both have `bufferedAmount`. */
export interface BufferingSocket {
  readonly bufferedAmount?: number;
  pause?(): void;
  resume?(): void;
}

export interface SendFlowOptions {
  /** Bytes buffered past which the socket is congested. Default 1 MiB. */
  readonly maxBuffered?: number | undefined;
  /** How long the socket may stay congested before it is closed, in ms. Default 30_000. */
  readonly stallTimeout?: number | undefined;
}

export interface SendFlowConfig extends SendFlowOptions {
  /** Whether to stop reading from the socket while congested: for the server's end of a connection. */
  readonly holdReading?: boolean | undefined;
}

export const defaultMaxBuffered = 1024 * 1024;
export const defaultStallTimeout = 30_000;
const pollEvery = 10;

export class SendFlow {
  readonly #socket: BufferingSocket;
  /** Bytes buffered past which the socket is congested. */
  readonly maxBuffered: number;
  readonly #stallTimeout: number;
  readonly #holdReading: boolean;
  readonly #onStall: (buffered: number, waited: number) => void;
  #since = 0;
  #poll: ReturnType<typeof setInterval> | undefined;
  #waiters: (() => void)[] = [];
  #stopped = false;

  constructor(socket: BufferingSocket, options: SendFlowConfig, onStall: (buffered: number, waited: number) => void) {
    this.#socket = socket;
    this.#holdReading = options.holdReading === true;
    this.maxBuffered = positive("maxBuffered", options.maxBuffered, defaultMaxBuffered);
    this.#stallTimeout = positive("stallTimeout", options.stallTimeout, defaultStallTimeout);
    this.#onStall = onStall;
  }

  get buffered(): number {
    return this.#socket.bufferedAmount ?? 0;
  }

  get congested(): boolean {
    return this.#poll !== undefined;
  }

  /** Whether frames already received are held back too: the socket is congested and holds reading. */
  get holding(): boolean {
    return this.#holdReading && this.#poll !== undefined;
  }

  /** Called after each frame sent: past the mark, the socket becomes congested. */
  sent(): void {
    if (this.#poll !== undefined || this.#stopped || this.buffered <= this.maxBuffered) return;
    this.#since = Date.now();
    if (this.#holdReading) this.#socket.pause?.();
    this.#poll = setInterval(() => this.#check(), pollEvery);
    (this.#poll as { unref?: () => void }).unref?.();
  }

  /** Resolves once the socket is no longer congested (at once when it is not), or the flow stopped. */
  drained(): Promise<void> {
    if (this.#poll === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The socket closed: nothing is watched any more and every waiter is let go. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#relieve(false);
  }

  #check(): void {
    if (this.buffered <= this.maxBuffered / 2) return this.#relieve(true);
    const waited = Date.now() - this.#since;
    if (waited >= this.#stallTimeout) {
      const buffered = this.buffered;
      this.stop();
      this.#onStall(buffered, waited);
    }
  }

  #relieve(resume: boolean): void {
    if (this.#poll === undefined) return;
    clearInterval(this.#poll);
    this.#poll = undefined;
    if (resume && this.#holdReading) this.#socket.resume?.();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (Number.isFinite(value) && value > 0) return value;
  throw new RangeError(`${name} must be a number above 0, got ${value}`);
}
