/**
 * The server side of the broker transports: what one broker connection does with the messages it takes
 * from the service queues. Free of any broker client; `amqp.ts` and `stomp.ts` hand it `Delivery`s.
 */

import type { Codec } from "../codecs/codec.js";
import { codecs } from "../codecs/index.js";
import { JampError } from "../errors.js";
import type { QueryId } from "../message.js";
import { Peer, type PeerOptions } from "../peer.js";
import type { ServiceBinding } from "../service.js";
import { mayBe, readFrame, type BrokerNamingOptions, type ReconnectOptions } from "./broker.js";
import { FrameQueue } from "./frame-queue.js";
import type { Transport } from "./transport.js";

/** What `serveAmqp` and `serveStomp` share. */
export interface BrokerServeOptions extends Omit<PeerOptions, "services">, BrokerNamingOptions {
  /** The broker, as for the protocol's `connect` function. */
  readonly url: string;
  /** Each binding's queue (`queueName(binding.address)`) is declared durable and consumed. */
  readonly services: readonly ServiceBinding[];
  /** How many messages of each queue this server handles at once (unacknowledged). Default 16. */
  readonly prefetch?: number | undefined;
  /** Reconnection after the connection is lost; `false` to stop serving instead. Default: on, see `ReconnectOptions`. */
  readonly reconnect?: ReconnectOptions | false | undefined;
  /**
   * How long a client's peer is kept with nothing running, in ms, before the server checks that its client
   * is still there (AMQP, which can ask the broker) or forgets it (STOMP, which cannot). Default 30_000.
   */
  readonly idleTimeout?: number | undefined;
  /**
   * How long a stream served may wait for its reader's credit, in ms, before it ends with a `timeout`
   * stream-error (a server cannot see a client vanish; this bounds what one holds). Default 60_000.
   */
  readonly creditTimeout?: number | undefined;
}

/** The parts of `BrokerServeOptions`: what names the queues, what the dispatch and its peers get. */
export function splitServeOptions(options: BrokerServeOptions): {
  naming: BrokerNamingOptions;
  prefetch: number;
  dispatch: DispatchOptions;
} {
  const { url, services, prefetch = 16, reconnect, idleTimeout, creditTimeout, queuePrefix, queueOf, ...peer } = options;
  // By default a server reads every registered format, as `listen` does.
  const accept = peer.accept ?? (peer.codec === undefined ? Object.values(codecs) : undefined);
  return {
    naming: { queuePrefix, queueOf },
    prefetch,
    dispatch: { peer: { ...peer, services, accept }, idleTimeout, creditTimeout },
  };
}

/** One message taken from a service queue. */
export interface Delivery {
  readonly frame: string;
  /** The sender's reply address; answers are lost without one (the sender asked for none). */
  readonly replyTo: string | undefined;
  /** Publishes an answer to `replyTo` on the connection the message came on. */
  reply(frame: string): void;
  /** Acknowledges the message: the broker forgets it. Ignored once the connection is gone. */
  ack(): void;
}

/** How a server's per-client peers reach their client: publishes with the server's own reply address. */
export type PublishToClient = (replyTo: string, frame: string) => void;

/**
 * Whether the client whose reply address is `replyTo` is still there; resolves `true` when that cannot be
 * told. Protocols that can ask the broker (AMQP) give one.
 */
export type ClientProbe = (replyTo: string) => Promise<boolean>;

export interface DispatchOptions {
  /** The options of each per-client peer, the services among them. */
  readonly peer: PeerOptions;
  /**
   * How long a client's peer is kept with nothing running, in ms: then its client is probed (`probe`) and
   * the peer kept while it is there, or, without a probe, the peer closes. Default 30_000.
   */
  readonly idleTimeout?: number | undefined;
  /** Asks whether an idle peer's client is still there. */
  readonly probe?: ClientProbe | undefined;
  /**
   * How long a stream served may wait for its reader's credit, in ms, before it is ended with a `timeout`
   * stream-error. Over a broker a server cannot see its client go away; this bounds what a vanished
   * client holds. Default 60_000.
   */
  readonly creditTimeout?: number | undefined;
}

/** A stream this server serves: its delivery is acknowledged once it ends. */
interface ServedStream {
  readonly ack: () => void;
  readonly codec: Codec;
  /** The stream message's `to` and `from`. */
  readonly service: string;
  readonly caller: string;
  /** Items the reader may still receive. */
  credit: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface Client {
  readonly peer: Peer;
  /** The client's own address, the `from` of its first message (`""` for formats without one). */
  readonly from: string;
  /** Whether the server called the client back through its peer (anything it sent on its own but a stream's items). */
  calledBack: boolean;
  /** Deliveries being handled. */
  running: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly streams: Map<QueryId, ServedStream>;
}

/**
 * Serves the deliveries of one broker connection: a peer per client reply address (so that the ids of
 * different clients, and their streams, never meet), `Peer.handle` for each frame, its answers published to
 * the reply address, and the acknowledgement once they are (a query), once the handler finished (a send) or
 * once the stream ended or was cancelled (a stream). A message whose work did not finish is never
 * acknowledged: when this server dies, the broker gives it to another.
 *
 * A client's peer is what a WebSocket's is on a server: handlers call the client back through it
 * (`ctx.peer`), and it closes when the client is known gone: the broker could not deliver to its reply
 * address (`gone`), the client came back on a new reply address (a reconnected client's first message names
 * the same `from`), or the probe says so after `idleTimeout`. Its calls back still pending then reject with
 * `connection-closed`, and `peer.closed` tells the application.
 */
export class BrokerDispatch {
  readonly #publish: PublishToClient;
  readonly #options: DispatchOptions;
  readonly #clients = new Map<string, Client>();
  /** The clients by their own address, to see one come back on a new reply address. */
  readonly #byAddress = new Map<string, Client>();
  #stopped = false;
  #running = 0;
  #idle: (() => void)[] = [];

  constructor(publish: PublishToClient, options: DispatchOptions) {
    this.#publish = publish;
    this.#options = options;
  }

  deliver(delivery: Delivery): void {
    if (this.#stopped) return;
    const key = delivery.replyTo ?? "";
    const known = this.#clients.get(key);
    const client = known !== undefined && known.peer.state !== "closed" ? known : this.#client(key, delivery.frame);
    clearTimeout(client.timer);
    client.timer = undefined;
    const stream = mayBe(delivery.frame, "stream") ? this.#open(client, delivery) : undefined;
    client.running++;
    this.#running++;
    void client.peer.handle(delivery.frame).then((answers) => {
      for (const answer of answers) {
        if (delivery.replyTo !== undefined) delivery.reply(answer);
        else this.#report(new JampError("invalid-message", "a message without a reply address was answered; the answer is dropped"));
      }
      // A stream is acknowledged when it ends, unless it was answered at once (it could not be read).
      if (stream === undefined) delivery.ack();
      else if (answers.length > 0) this.#end(key, client, stream[0], stream[1]);
      client.running--;
      this.#running--;
      this.#settled(key, client);
    });
  }

  /**
   * A frame sent to this server's own reply address: a client's credit or cancel for a stream this server
   * serves, or the client's answer to a call back.
   */
  control(frame: string, replyTo: string | undefined): void {
    if (this.#stopped || replyTo === undefined) return;
    const client = this.#clients.get(replyTo);
    if (client === undefined) return;
    const message = mayBe(frame, "stream-credit", "stream-cancel") ? readFrame(frame)?.message : undefined;
    const served = message?.kind === "stream-credit" || message?.kind === "stream-cancel" ? client.streams.get(message.id) : undefined;
    if (message?.kind === "stream-credit" && served !== undefined) {
      served.credit += message.credit;
      clearTimeout(served.timer);
      served.timer = undefined;
    }
    void client.peer.handle(frame).then(() => {
      if (message?.kind === "stream-cancel" && served !== undefined) this.#end(replyTo, client, message.id, served);
    });
  }

  /**
   * The broker could not deliver a message to `replyTo` (AMQP returns it): the client is gone, and its peer
   * closes, rejecting the calls back pending with `connection-closed`.
   */
  gone(replyTo: string): void {
    const client = this.#clients.get(replyTo) ?? this.#clients.get(`/reply-queue/${replyTo}`);
    client?.peer.close(1001, "the client is gone: the broker has no queue at its reply address");
  }

  /** The connection is gone: every client's peer closes (the streams served stop). Idempotent. */
  stop(): void {
    this.#stopped = true;
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    this.#byAddress.clear();
    for (const client of clients) {
      clearTimeout(client.timer);
      for (const served of client.streams.values()) clearTimeout(served.timer);
      client.peer.close(1001, "the broker connection closed");
    }
  }

  /** Resolves once no delivery is being handled, or after `timeout` ms. */
  async idle(timeout: number): Promise<void> {
    if (this.#running === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.#idle.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeout))),
    ]);
    clearTimeout(timer);
  }

  /** Registers the stream a delivery opens, unless that stream id is already served to this client. */
  #open(client: Client, delivery: Delivery): [QueryId, ServedStream] | undefined {
    const read = readFrame(delivery.frame);
    if (read?.message.kind !== "stream" || client.streams.has(read.message.id)) return undefined;
    const { id, to, from, credit } = read.message;
    const served: ServedStream = { ack: () => delivery.ack(), codec: read.codec, service: to, caller: from, credit, timer: undefined };
    client.streams.set(id, served);
    return [id, served];
  }

  /**
   * A peer for the client at reply address `key`, whose first message is `frame`. A client that came back
   * on a new reply address (it reconnected) closes the peer of its last one, as a new WebSocket would.
   */
  #client(key: string, frame: string): Client {
    const transport = new ReplyTransport((sent) => {
      if (key === "") throw new JampError("connection-closed", "the sender gave no reply address");
      this.#sent(key, client, sent);
    });
    const from = key === "" ? "" : (readFrame(frame)?.message as { from?: string } | undefined)?.from ?? "";
    const peer = new Peer(transport, this.#options.peer);
    const client: Client = { peer, from, calledBack: false, running: 0, timer: undefined, streams: new Map() };
    this.#clients.set(key, client);
    if (from !== "") {
      const before = this.#byAddress.get(from);
      this.#byAddress.set(from, client);
      before?.peer.close(1001, "the client came back on another reply address");
    }
    void client.peer.closed.then(() => this.#forget(key, client));
    return client;
  }

  /** A client's peer closed: it is forgotten, and the streams it served are acknowledged (their reader is gone). */
  #forget(key: string, client: Client): void {
    clearTimeout(client.timer);
    if (this.#clients.get(key) === client) this.#clients.delete(key);
    if (this.#byAddress.get(client.from) === client) this.#byAddress.delete(client.from);
    for (const served of client.streams.values()) {
      clearTimeout(served.timer);
      if (!this.#stopped) served.ack();
    }
    client.streams.clear();
  }

  /** Publishes what a client's peer sends on its own, following the credit and the end of its streams. */
  #sent(key: string, client: Client, frame: string): void {
    const message = client.streams.size > 0 && mayBe(frame, "stream-result", "stream-complete", "stream-error") ? readFrame(frame)?.message : undefined;
    this.#publish(key, frame);
    if (!client.calledBack && !mayBe(frame, "stream-result", "stream-complete", "stream-error")) {
      client.calledBack = true;
      // Without a probe, a peer the server called its client back through is kept: no idle clock for it.
      if (this.#options.probe === undefined) {
        clearTimeout(client.timer);
        client.timer = undefined;
      }
    }
    if (message === undefined || !("id" in message)) return;
    const served = client.streams.get(message.id);
    if (served === undefined) return;
    if (message.kind !== "stream-result") {
      // After the frame is published, so that a server dying in between leaves the stream unacknowledged.
      this.#end(key, client, message.id, served);
      return;
    }
    served.credit -= message.values.length;
    if (served.credit > 0 || served.timer !== undefined) return;
    const timeout = this.#options.creditTimeout ?? 60_000;
    served.timer = setTimeout(() => {
      if (client.streams.get(message.id) !== served || served.credit > 0) return;
      const { codec, service, caller } = served;
      const error = { type: "timeout", message: `the reader granted no credit for ${timeout} ms: the stream was ended` };
      void client.peer.handle(codec.encode({ kind: "stream-cancel", id: message.id, to: service, from: caller }));
      this.#publish(key, codec.encode({ kind: "stream-error", id: message.id, to: caller, from: service, error }));
      this.#end(key, client, message.id, served);
    }, timeout);
    served.timer.unref?.();
  }

  #end(key: string, client: Client, id: QueryId, served: ServedStream): void {
    if (client.streams.get(id) !== served) return;
    clearTimeout(served.timer);
    client.streams.delete(id);
    served.ack();
    this.#settled(key, client);
  }

  /**
   * Called when a client's work may have ended: wakes `idle()`, and once nothing came from the client nor
   * ran for it for `idleTimeout`, probes it: a client still there keeps its peer (and is probed again after
   * as long), one gone has it closed. Without a probe, the peer closes then, unless the server called the
   * client back through it (the application may hold it, as `ctx.peer`, to call again): that one is kept
   * until the client is known gone.
   */
  #settled(key: string, client: Client): void {
    if (this.#running === 0) for (const wake of this.#idle.splice(0)) wake();
    if (client.running > 0 || client.streams.size > 0 || this.#stopped) return;
    clearTimeout(client.timer);
    client.timer = undefined;
    if (this.#options.probe === undefined && client.calledBack) return;
    client.timer = setTimeout(() => {
      client.timer = undefined;
      if (this.#clients.get(key) !== client || client.running > 0 || client.streams.size > 0) return;
      const probe = this.#options.probe;
      if (probe === undefined) return client.peer.close(1000, "idle");
      void probe(key).then((there) => {
        if (this.#clients.get(key) !== client || client.timer !== undefined || client.running > 0 || client.streams.size > 0) return;
        if (there) this.#settled(key, client);
        else client.peer.close(1001, "the client is gone: the broker has no queue at its reply address");
      });
    }, this.#options.idleTimeout ?? 30_000);
    client.timer.unref?.();
  }

  #report(error: JampError): void {
    try {
      this.#options.peer.onError?.(error);
    } catch {
      // onError must not throw.
    }
  }
}

/** The transport of a per-client peer: what it sends goes to its client; nothing arrives on it. */
class ReplyTransport implements Transport {
  readonly #inbox = new FrameQueue();
  readonly #publish: (frame: string) => void;

  constructor(publish: (frame: string) => void) {
    this.#publish = publish;
  }

  get closed(): Promise<JampError> {
    return this.#inbox.closed;
  }

  send(frame: string): void {
    const error = this.#inbox.error;
    if (error !== undefined) throw error;
    this.#publish(frame);
  }

  receive(): Promise<string> {
    return this.#inbox.take();
  }

  close(code = 1000, reason = ""): void {
    this.#inbox.close(new JampError("connection-closed", `the client's peer was closed (code ${code}, ${JSON.stringify(reason)})`));
  }
}
