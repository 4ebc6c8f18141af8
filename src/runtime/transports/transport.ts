import type { JampError } from "../errors.js";

/**
 * A bidirectional channel of text frames, one JAMP message per frame (as in capnweb's `RpcTransport`).
 * One file per transport, re-exported from `transports/index.ts`.
 */
export interface Transport {
  /**
   * Queues one frame for the other end. Throws a `JampError` of type `connection-closed` once the transport
   * is closed; a frame accepted here may still be lost if the connection drops before it is delivered.
   */
  send(frame: string): void;
  /**
   * The next frame received, in order. Frames that arrived before the transport closed are still handed out;
   * after them every call rejects with the error `closed` resolves with.
   */
  receive(): Promise<string>;
  /**
   * Optional, for transports that can push: from now on, hands every frame to `onFrame` as it arrives (those
   * already received first, in order) instead of through `receive()`, which is then not called again. The
   * reader learns of the end from `closed`. It saves a promise per frame. `undefined` where a transport
   * offers it only sometimes.
   */
  readonly deliverTo?: ((onFrame: (frame: string) => void) => void) | undefined;
  /**
   * Closes both directions; `code` and `reason` are passed on where the carrier has them (WebSocket close
   * codes: 1000 normal, 1001 going away, 3000-4999 applications). Idempotent.
   */
  close(code?: number, reason?: string): void;
  /**
   * Resolves, never rejects, once the transport is closed, whichever end closed it, with why: normally a
   * `connection-closed` error; `limit-exceeded` when this end closed because the other sent a frame too big.
   */
  readonly closed: Promise<JampError>;
  /**
   * Resolves once the carrier has confirmed every one-way message sent so far (a broker's publisher
   * confirms: each is kept until a server takes it); rejects with a `JampError` when one was not. Only
   * transports that have such confirmations implement it.
   */
  flush?(): Promise<void>;
  /**
   * Optional, for transports that can tell: whether the frames sent and not yet handed to the network are
   * more than the transport wants to hold (a WebSocket over its `maxBuffered`). While it is, a peer pulls
   * no stream items and the transport reads nothing more from the other side (where it can pause).
   */
  readonly congested?: boolean;
  /** Optional, with `congested`: resolves once the transport is no longer congested, or closed. */
  drained?(): Promise<void>;
  /** Optional: the bytes sent and not yet handed to the network (`bufferedAmount`), for `peer.stats`. */
  readonly buffered?: number;
}
