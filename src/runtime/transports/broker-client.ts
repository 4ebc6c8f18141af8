/**
 * The client side of the broker transports: a `Transport` that routes each frame a peer sends to the queue
 * of its service, to the server serving its stream, or, for a client that serves, to the server that called
 * it back, over a `ClientLink` of AMQP or STOMP.
 */

import type { Codec } from "../codecs/codec.js";
import { JampError, isJampError } from "../errors.js";
import type { Message, QueryId } from "../message.js";
import { defaultAddress, mayBe, messageOf, queueName, readFrame, type BrokerNamingOptions } from "./broker.js";
import { CallerRoutes, mayBeCall } from "./broker-callers.js";
import { FrameQueue } from "./frame-queue.js";
import type { Transport } from "./transport.js";

/** What a client transport needs of its broker connection. */
export interface ClientLink {
  /**
   * Publishes a call to the service queue `queue` with the client's reply address: persistent when
   * `persistent` (sends), with `correlationId` (the query id) when given. Resolves once the broker has
   * confirmed it; rejects with a `JampError` when it refused it or the connection went first.
   */
  call(queue: string, frame: string, persistent: boolean, correlationId: string | undefined): Promise<void>;
  /**
   * Publishes a frame to the reply address of one server, with the client's own: a stream's credit or
   * cancel, or the answer to a call back.
   */
  control(address: string, frame: string): void;
  /** Closes the connection. Idempotent; the transport is told through `BrokerTransport.fail`. */
  close(): void;
}

export interface BrokerClientOptions extends BrokerNamingOptions {
  /**
   * The address of each service called by interface name rather than address (JSON-RPC's
   * `Calculator.add`, SOAPjr), by that name; default `/` + its kebab-case name (`/calculator`), the
   * address the generator gives a service without an `@address` tag.
   */
  readonly addresses?: Readonly<Record<string, string>> | undefined;
  /** The format of the frames sent, when it is none of the registered ones; default: recognised per frame. */
  readonly codec?: Codec | undefined;
}

interface OpenStream {
  readonly codec: Codec;
  readonly to: string;
  readonly from: string;
  /** The reply address of the server serving it, once its first answer came. */
  server?: string;
  /** Credit and cancel frames sent before the server was known. */
  readonly waiting: string[];
}

/** How many streams that moved to another server are remembered, so that their late items are dropped. */
const abandonedLimit = 1024;

/**
 * A `Transport` over a message broker, for a peer that calls services and may serve calls back. `send`
 * routes each frame by its message: calls (`query`, `send`, `stream`) to the queue of their service, a
 * stream's credit and cancel to the server that serves it, the answers to a call back (`reply`,
 * `query-error`, `error`, a stream's items and end) to the server that made it. Answers and calls back
 * arrive at the client's own reply address.
 *
 * One-way messages are published persistent and confirmed by the broker; `flush()` tells when. A call the
 * broker refuses is answered here with an error, so no caller waits for an answer that cannot come. A
 * stream whose server dies is redelivered to another server: the stream then fails with
 * `connection-closed` rather than start over.
 */
export class BrokerTransport implements Transport {
  readonly #link: ClientLink;
  readonly #options: BrokerClientOptions;
  readonly #inbox = new FrameQueue();
  /** Confirmations of one-way messages still awaited: each settles with the error, or `undefined`. */
  readonly #unconfirmed = new Set<Promise<JampError | undefined>>();
  readonly #streams = new Map<QueryId, OpenStream>();
  /** Streams given up because another server took them over, with that server's reply address. */
  readonly #abandoned = new Map<QueryId, string>();
  /** Where the answers to calls back go. */
  readonly #callers = new CallerRoutes();

  constructor(link: ClientLink, options: BrokerClientOptions = {}) {
    this.#link = link;
    this.#options = options;
  }

  get closed(): Promise<JampError> {
    return this.#inbox.closed;
  }

  send(frame: string): void {
    const error = this.#inbox.error;
    if (error !== undefined) throw error;
    const read = readFrame(frame, this.#options.codec);
    if (read === undefined) throw new JampError("invalid-message", "the frame is in no format this transport can route");
    const { message, codec } = read;
    switch (message.kind) {
      case "query":
      case "send":
      case "stream":
        this.#call(frame, message, codec);
        return;
      case "stream-credit":
      case "stream-cancel":
        this.#control(frame, message.id, message.kind === "stream-cancel");
        return;
      default: {
        const server = this.#callers.route(message);
        if (server === undefined) {
          throw new JampError("invalid-message", `a ${message.kind} to ${JSON.stringify(message.to)} answers no call that came over this connection`);
        }
        this.#link.control(server, frame);
      }
    }
  }

  receive(): Promise<string> {
    return this.#inbox.take();
  }

  /** Closes the connection, telling the servers of the streams still open to stop them first. */
  close(code = 1000, reason = ""): void {
    if (this.#inbox.error !== undefined) return;
    for (const [id, stream] of this.#streams) {
      if (stream.server === undefined) continue;
      try {
        this.#link.control(stream.server, stream.codec.encode({ kind: "stream-cancel", id, to: stream.to, from: stream.from }));
      } catch {
        // The format has no stream-cancel; it has no streams either.
      }
    }
    const detail = reason === "" ? `code ${code}` : `code ${code}, ${JSON.stringify(reason)}`;
    this.fail(new JampError("connection-closed", `the broker connection was closed locally (${detail})`, { data: { code, reason } }));
  }

  /**
   * Resolves once the broker has confirmed every one-way message (`send`) sent so far: each was taken in
   * charge, persistent, by a durable queue, so it is delivered once a server consumes that queue, even if
   * none runs now. Rejects with the first failure: `connection-closed` when the connection went before a
   * confirmation, `internal-error` when the broker refused a message.
   */
  async flush(): Promise<void> {
    const awaited = [...this.#unconfirmed];
    const outcomes = await Promise.all(awaited);
    let failure: JampError | undefined;
    outcomes.forEach((outcome, index) => {
      if (outcome === undefined) return;
      // Kept until a flush saw it: every flush that covers a failed send reports it.
      this.#unconfirmed.delete(awaited[index] as Promise<JampError | undefined>);
      failure ??= outcome;
    });
    if (failure !== undefined) throw failure;
  }

  /** A frame that arrived at the client's reply address; `replyTo` is the reply address of its sender. */
  deliver(frame: string, replyTo: string | undefined): void {
    if (this.#inbox.error !== undefined) return;
    if ((this.#streams.size > 0 || this.#abandoned.size > 0) && mayBe(frame, "stream-result", "stream-complete", "stream-error")) {
      if (!this.#streamAnswer(frame, replyTo)) return;
    } else if (replyTo !== undefined && mayBeCall(frame)) {
      // A call back: its answers go to the server that made it.
      const read = readFrame(frame, this.#options.codec);
      if (read !== undefined) this.#callers.learn(read.message, replyTo);
    }
    this.#inbox.push(frame);
  }

  /** The connection is gone: pending queries reject with `error` (a `connection-closed`). Idempotent. */
  fail(error: JampError): void {
    if (this.#inbox.error !== undefined) return;
    this.#inbox.close(error);
    this.#streams.clear();
    this.#link.close();
  }

  #call(frame: string, message: Message & { kind: "query" | "send" | "stream" }, codec: Codec): void {
    const address = message.to !== "" ? message.to : this.#addressOf(message.service);
    const queue = queueName(address, this.#options);
    const persistent = message.kind === "send";
    const id = message.kind === "send" ? undefined : message.id;
    if (message.kind === "stream") {
      this.#streams.set(message.id, { codec, to: message.to, from: message.from, waiting: [] });
    }
    const published = this.#link.call(queue, frame, persistent, id === undefined || id === null ? undefined : String(id));
    const outcome = published.then(
      () => undefined,
      (error: unknown) => {
        const problem = isJampError(error) ? error : new JampError("connection-closed", messageOf(error), { cause: error });
        this.#answerFailed(message, codec, problem);
        return problem;
      },
    );
    if (!persistent) return;
    this.#unconfirmed.add(outcome);
    void outcome.then((problem) => {
      if (problem === undefined) this.#unconfirmed.delete(outcome);
    });
  }

  #addressOf(service: string | undefined): string {
    if (service === undefined) return "";
    const given = this.#options.addresses;
    return given !== undefined && Object.hasOwn(given, service) ? (given[service] as string) : defaultAddress(service);
  }

  /** Answers a query or stream whose publication failed, so that its caller does not wait for nothing. */
  #answerFailed(message: Message & { kind: "query" | "send" | "stream" }, codec: Codec, problem: JampError): void {
    if (message.kind === "send" || this.#inbox.error !== undefined) return;
    const error = { type: problem.type, message: problem.message };
    const { id, to, from } = message;
    if (message.kind === "stream") this.#streams.delete(id);
    try {
      this.#inbox.push(
        codec.encode(
          message.kind === "query"
            ? { kind: "query-error", id, to: from, from: to, error }
            : { kind: "stream-error", id, to: from, from: to, error },
        ),
      );
    } catch {
      // The format has no such answer: the call ends at its own timeout.
    }
  }

  /** Credit or cancel for stream `id`: to its server, or kept until its first answer names the server. */
  #control(frame: string, id: QueryId, cancel: boolean): void {
    const stream = this.#streams.get(id);
    if (stream === undefined) return;
    if (stream.server === undefined) {
      stream.waiting.push(frame);
      return;
    }
    if (cancel) this.#streams.delete(id);
    this.#link.control(stream.server, frame);
  }

  /**
   * Follows the answers of the streams this side opened: the first names the server serving it; one from
   * another server means the stream was redelivered after its server died, so it fails here and the new
   * server is told to stop. Returns whether the frame goes on to the peer.
   */
  #streamAnswer(frame: string, replyTo: string | undefined): boolean {
    const read = readFrame(frame, this.#options.codec);
    if (read === undefined) return true;
    const message = read.message as Message & { id?: QueryId };
    if (message.id === undefined) return true;
    const id = message.id;
    if (this.#abandoned.has(id)) return this.#abandoned.get(id) !== replyTo;
    const stream = this.#streams.get(id);
    if (stream === undefined || replyTo === undefined) return true;
    if (stream.server === undefined) {
      stream.server = replyTo;
      for (const waiting of stream.waiting.splice(0)) this.#control(waiting, id, mayBe(waiting, "stream-cancel"));
    } else if (stream.server !== replyTo) {
      this.#streams.delete(id);
      if (this.#abandoned.size >= abandonedLimit) this.#abandoned.delete(this.#abandoned.keys().next().value as QueryId);
      this.#abandoned.set(id, replyTo);
      const error = { type: "connection-closed", message: "the server serving the stream went away" };
      try {
        this.#link.control(replyTo, stream.codec.encode({ kind: "stream-cancel", id, to: stream.to, from: stream.from }));
        this.#inbox.push(stream.codec.encode({ kind: "stream-error", id, to: stream.from, from: stream.to, error }));
      } catch {
        // The format has no such messages; it has no streams either.
      }
      return false;
    }
    if (mayBe(frame, "stream-complete", "stream-error")) this.#streams.delete(id);
    return true;
  }
}
