/**
 * An in-memory pair of transports: what one end sends, the other receives, in order and never inside the
 * sender's own call. Closing either end closes both. For tests, and for a client and a service living in
 * one process.
 */

import type { JampError } from "../errors.js";
import { FrameQueue, connectionClosed } from "./frame-queue.js";
import type { Transport } from "./transport.js";

class LoopbackTransport implements Transport {
  readonly #inbox = new FrameQueue();
  #other: LoopbackTransport = this;

  static pair(): [LoopbackTransport, LoopbackTransport] {
    const a = new LoopbackTransport();
    const b = new LoopbackTransport();
    a.#other = b;
    b.#other = a;
    return [a, b];
  }

  get closed(): Promise<JampError> {
    return this.#inbox.closed;
  }

  send(frame: string): void {
    const error = this.#inbox.error;
    if (error !== undefined) throw error;
    // A waiting reader resumes in a later microtask, so delivery is asynchronous for the receiver.
    this.#other.#inbox.push(frame);
  }

  receive(): Promise<string> {
    return this.#inbox.take();
  }

  close(code = 1000, reason = ""): void {
    if (this.#inbox.error !== undefined) return;
    this.#inbox.close(connectionClosed("the loopback transport was closed locally", code, reason));
    this.#other.#inbox.close(connectionClosed("the loopback transport was closed by the other end", code, reason));
  }
}

/** Two connected in-memory transports. */
export function createLoopbackPair(): [Transport, Transport] {
  return LoopbackTransport.pair();
}
