import { JampError } from "../errors.js";

interface Waiter {
  readonly resolve: (frame: string) => void;
  readonly reject: (error: JampError) => void;
}

/** Past this many consumed frames the buffer is compacted, so a slow reader does not keep them all. */
const compactAfter = 1024;

/**
 * Where a paced reader's next step is queued, as a promise reaction: Node's `queueMicrotask` makes an
 * `AsyncResource` and a bound function for each call, which cost more than the promise turn it replaces.
 */
const resolved = Promise.resolve();

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
  /** Set by `deliverPaced`: while it gives a promise, frames wait for it. */
  #hold: (() => Promise<void> | undefined) | undefined;
  /**
   * Paced: a frame went out since the read began (or frames wait for `#hold`), so the next one waits for
   * `#step`, or for `readBegins`.
   */
  #busy = false;
  /** Paced: `#step` is queued. Whenever frames wait, it is. */
  #stepping = false;
  readonly #step = (): void => this.#next();
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
    const onFrame = this.#onFrame;
    if (onFrame !== undefined) {
      if (this.#hold === undefined) return onFrame(frame);
      // Paced. Not busy means that no frame waits. A frame handed at once queues nothing: the next one
      // waits for the next read (`readBegins`), or for a step queued when it comes in the same one.
      if (!this.#busy) {
        this.#busy = true;
        const held = this.#hold();
        if (held === undefined) return onFrame(frame);
        this.#queueStep(held);
      } else if (!this.#stepping) this.#queueStep(resolved);
      this.#frames.push(frame);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter === undefined) this.#frames.push(frame);
    else waiter.resolve(frame);
  }

  take(): Promise<string> {
    if (this.#head < this.#frames.length) return Promise.resolve(this.#shift());
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

  /**
   * `deliverTo`, paced for a reader that must see what each frame sets off before it takes the next (a
   * server watching its backpressure): a frame goes to `onFrame` at once when none went out since the
   * transport's read began (`readBegins`); the others of the same read follow one a microtask, each after
   * the callbacks that the one before set off at once (its answer, sent), and none while `hold()` gives a
   * promise (a congested socket), until it resolves. So a lone frame costs no promise and no turn of its
   * own, and a frame that came alone in its read queues nothing after it. Without `readBegins`, a frame
   * after a lone one waits for one microtask.
   */
  deliverPaced(onFrame: (frame: string) => void, hold: () => Promise<void> | undefined): void {
    this.#hold = hold;
    this.#onFrame = onFrame;
    if (this.#head < this.#frames.length) this.#next();
  }

  /**
   * Paced: the transport begins to hand over what one read from the network brought. Whatever the frames
   * before set off at once has run by then (a read comes in a turn of its own), so the first frame of this
   * one may go at once, unless frames still wait.
   */
  readBegins(): void {
    if (!this.#stepping) this.#busy = false;
  }

  /** Paced: hands out the next frame kept, unless held; called once per microtask while frames wait. */
  #next(): void {
    this.#stepping = false;
    this.#busy = false;
    if (this.#head >= this.#frames.length) return;
    this.#busy = true;
    const held = (this.#hold as () => Promise<void> | undefined)();
    if (held !== undefined) return this.#queueStep(held);
    const onFrame = this.#onFrame as (frame: string) => void;
    const frame = this.#shift();
    // The next may go once what this one set off at once has run.
    try {
      onFrame(frame);
    } finally {
      this.#queueStep(resolved);
    }
  }

  #queueStep(after: Promise<void>): void {
    this.#stepping = true;
    void after.then(this.#step);
  }

  #shift(): string {
    const frame = this.#frames[this.#head++] as string;
    if (this.#head === this.#frames.length) {
      this.#frames = [];
      this.#head = 0;
    } else if (this.#head >= compactAfter) {
      this.#frames = this.#frames.slice(this.#head);
      this.#head = 0;
    }
    return frame;
  }

  /**
   * Rejects the waiting readers and resolves `closed`. Frames already kept are still handed out: to a paced
   * reader at once, before it can learn of the end. Idempotent.
   */
  close(error: JampError): void {
    if (this.#error !== undefined) return;
    this.#error = error;
    const onFrame = this.#onFrame;
    if (onFrame !== undefined) while (this.#head < this.#frames.length) onFrame(this.#shift());
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
