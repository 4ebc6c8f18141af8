/**
 * Streams on the call-only caller of `connectCaller`, kept out of its module so that a page whose services
 * have no stream bundles none of it. A generated client of a service with streams passes its caller
 * through `withStreams`, which gives a `WebSocketCaller` this reading of streams and hands a `Peer` (streams
 * built in) back as it is.
 */

import { callMessage, cancelledCall } from "./calls.js";
import type { Caller } from "./client.js";
import { JampError, fromErrorBody } from "./errors.js";
import type { Message, QueryId, StreamMessage } from "./message.js";
import type { CallTarget, StreamOptions } from "./peer.js";
import { openStream, type IncomingStream } from "./streams.js";

/** @internal What a caller lends its streams. */
export interface StreamHost {
  readonly address: string;
  /** The caller's default time limit of a stream's first answer, in ms. */
  readonly timeout: number;
  /** A fresh id, from the queries' counter. */
  id(): QueryId;
  /**
   * Sends the `stream` message; throws, sending nothing, `connection-closed` once closed, `limit-exceeded`
   * when `count` (the streams open) is `maxPending` or the frame is over `maxPayload`, and what encoding throws.
   */
  call(message: StreamMessage, what: string, count: number): void;
  /** Sends a message of the caller's own making (credit, cancel); a failure is reported. */
  post(message: Message): void;
}

/** @internal A caller's streams: opening them, the answers for them, their end with the connection. */
export interface CallerStreams {
  open(
    to: string,
    method: string,
    args: readonly unknown[],
    options: StreamOptions | undefined,
    target: CallTarget | undefined,
  ): AsyncIterableIterator<unknown>;
  /** A `stream-result`, `stream-complete` or `stream-error` (another kind is ignored). */
  receive(message: Message): void;
  /** Fails stream `id` with a garbled answer for it, dropping what it had not delivered. */
  fail(id: QueryId, error: JampError): void;
  /** The connection ended: every stream fails with `connection-closed`. */
  end(reason: JampError): void;
}

/**
 * Gives `caller` the reading of streams if it is a `connectCaller` caller (which reads none until then), and
 * returns it; any other `Caller` (a `Peer`) is returned as it is. Generated clients of services with stream
 * methods call it; code calling `caller.stream` on a `connectCaller` caller itself does too.
 */
export function withStreams<C extends Caller>(caller: C): C {
  (caller as { addStreams?: (make: (host: StreamHost) => CallerStreams) => void }).addStreams?.(callerStreams);
  return caller;
}

/** @internal The streams of one caller, over `host`. */
export function callerStreams(host: StreamHost): CallerStreams {
  /** Streams open, by id. */
  const streams = new Map<QueryId, IncomingStream>();
  return {
    open(to, method, args, options = {}, target) {
      const { signal, credit = 16, timeout = host.timeout } = options;
      const what = `stream ${method} to ${to}`;
      if (signal?.aborted === true) throw cancelledCall(what, signal);
      if (!Number.isSafeInteger(credit) || credit < 1)
        throw new RangeError(`credit must be a whole number from 1, got ${credit}`);
      const id = host.id();
      const from = host.address;
      // Sent first, so that a call that throws leaves nothing behind; its answers come in later tasks anyway.
      const message = callMessage({ kind: "stream", id, to, from, method, args, credit }, target, options.headers);
      host.call(message, what, streams.size);
      const stream = openStream({
        id,
        to,
        from,
        method,
        credit,
        timeout,
        signal,
        post: host.post,
        release: () => streams.delete(id),
      });
      streams.set(id, stream);
      return stream;
    },
    receive(message) {
      const stream = "id" in message ? streams.get(message.id) : undefined;
      if (message.kind === "stream-result") stream?.push(message.values);
      else if (message.kind === "stream-complete") stream?.complete();
      else if (message.kind === "stream-error")
        stream?.fail(fromErrorBody(message.error ?? "the stream failed (the peer sent no detail)"));
    },
    fail(id, error) {
      streams.get(id)?.fail(error, true);
    },
    end(reason) {
      for (const stream of [...streams.values()]) {
        stream.fail(
          new JampError("connection-closed", `stream ${stream.what} ended: ${reason.message}`, { cause: reason }),
        );
      }
    },
  };
}
