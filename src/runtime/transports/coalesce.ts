/**
 * Coalescing writes on Node: the frames a socket sends in one turn of the event loop leave in one write
 * (one `writev`) rather than one write each, which is most of what a small frame costs on a fast network.
 * Platform WebSockets (browsers) have no such hook and send as they always do.
 */

/** A stream that can hold its writes back: Node's `net.Socket` (and `tls.TLSSocket`) under a WebSocket. */
export interface CorkableStream {
  cork(): void;
  uncork(): void;
  /** Bytes written and not yet handed to the network, held back or not. */
  readonly writableLength: number;
  /** Where a read from the network is heard of (`net.Socket`'s `data` event), before whoever reads it. */
  prependListener?(event: "data", listener: () => void): unknown;
}

/** Around each write to a stream whose writes are coalesced (see `coalesceWrites`). */
export interface WriteBatch {
  /** Before a write: the first of a turn corks the stream. */
  hold(): void;
  /** After a write: once `limit` bytes wait, they go out at once rather than at the end of the turn. */
  spill(): void;
}

/** A batch big enough that writing it at once costs next to nothing more than writing a bigger one. */
export const batchBytes = 64 * 1024;

/** `process.nextTick` where there is one (Node, Deno, Bun), else a microtask. */
const afterTurn: (run: () => void) => void =
  (globalThis as { process?: { nextTick?: (run: () => void) => void } }).process?.nextTick ?? queueMicrotask;

/**
 * Coalesces the writes to `stream`: the first `hold` of a turn corks it, and it is uncorked (everything
 * written since goes out, in order) once the turn's code and the promise callbacks it set off have run, on
 * `process.nextTick` queued from that turn. So a lone frame waits for no timer and no I/O, only for the
 * code already running, and the answers to the frames of one read go out together. `spill` lets what
 * waits out early past `limit` bytes: batches bigger than that save nothing more, and what is held back
 * counts in the stream's `writableLength` (a WebSocket's `bufferedAmount`), which backpressure reads as
 * bytes the network would not take. Uncorking a stream destroyed meanwhile does nothing.
 *
 * Calls made one at a time send one frame a turn, which corking only delays by a `process.nextTick`: where
 * the stream tells of its reads (`prependListener`), a turn begun by a read after one that sent at most
 * one frame sends its first frame at once, uncorked, and corks at its second. Frames keep their order
 * either way; a burst after a lone frame pays one write more, for its first frame. A stream that does not
 * tell of its reads is corked at every turn's first frame.
 */
export function coalesceWrites(stream: CorkableStream, limit: number): WriteBatch {
  let corked = false;
  /** Frames written since the last read began. */
  let written = 0;
  /** Whether the first frame of this turn goes out at once: the turn before wrote at most one. */
  let lone = false;
  const release = (): void => {
    corked = false;
    stream.uncork();
  };
  stream.prependListener?.("data", () => {
    lone = written <= 1;
    written = 0;
  });
  return {
    hold() {
      if (++written === 1 && lone) return;
      if (corked) return;
      corked = true;
      stream.cork();
      afterTurn(release);
    },
    spill() {
      if (!corked || stream.writableLength < limit) return;
      stream.uncork();
      stream.cork();
    },
  };
}
