import { JampError } from "../errors.js";

interface Waiter {
  readonly resolve: (frame: string) => void;
  readonly reject: (error: JampError) => void;
}

/** Past this many consumed frames the buffer is compacted, so a slow reader does not keep them all. */
const compactAfter = 1024;

/**
 * The receiving half shared by the transports: frames that arrived and are not yet taken, readers waiting
 * for the next one, and the closing error. Implements the `receive()` and `closed` rules of `Transport`.
 */
export class FrameQueue {
  readonly closed: Promise<JampError>;
  #frames: string[] = [];
  #head = 0;
  #waiters: Waiter[] = [];
  #error: JampError | undefined;
  /** Set by `deliverTo`: frames go to it as they come. */
  #onFrame: ((frame: string) => void) | undefined;
  readonly #resolveClosed: (error: JampError) => void;

  constructor() {
    let resolveClosed!: (error: JampError) => void;
    this.closed = new Promise((resolve) => (resolveClosed = resolve));
    this.#resolveClosed = resolveClosed;
  }

  /** The closing error, once closed. */
  get error(): JampError | undefined {
    return this.#error;
  }

  /** Hands `frame` to the reader (`deliverTo`'s, or the first waiting one), or keeps it. Ignored once closed. */
  push(frame: string): void {
    if (this.#error !== undefined) return;
    if (this.#onFrame !== undefined) return this.#onFrame(frame);
    const waiter = this.#waiters.shift();
    if (waiter === undefined) this.#frames.push(frame);
    else waiter.resolve(frame);
  }

  take(): Promise<string> {
    if (this.#head < this.#frames.length) {
      const frame = this.#frames[this.#head++] as string;
      if (this.#head === this.#frames.length) {
        this.#frames = [];
        this.#head = 0;
      } else if (this.#head >= compactAfter) {
        this.#frames = this.#frames.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve(frame);
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** `Transport.deliverTo`: the frames kept so far go to `onFrame` now, later ones as they come. */
  deliverTo(onFrame: (frame: string) => void): void {
    const kept = this.#frames.slice(this.#head);
    this.#frames = [];
    this.#head = 0;
    this.#onFrame = onFrame;
    for (const frame of kept) onFrame(frame);
  }

  /** Rejects the waiting readers and resolves `closed`. Frames already kept are still handed out. Idempotent. */
  close(error: JampError): void {
    if (this.#error !== undefined) return;
    this.#error = error;
    this.#resolveClosed(error);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }
}

/** `connection-closed` with the close code and reason in the message and in `data`. */
export function connectionClosed(text: string, code: number, reason: string, cause?: unknown): JampError {
  const detail = reason === "" ? `code ${code}` : `code ${code}, ${JSON.stringify(reason)}`;
  return new JampError("connection-closed", `${text} (${detail})`, {
    data: { code, reason },
    ...(cause === undefined ? {} : { cause }),
  });
}
