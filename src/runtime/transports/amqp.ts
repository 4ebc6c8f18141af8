/**
 * JAMP over AMQP 0-9-1 (RabbitMQ), with `amqplib`: `jamp-gen/runtime/amqp`. The only module that imports
 * `amqplib` (an optional peer dependency), so users of the main entry never load it.
 *
 * A service address names a durable queue (`/calculator` → `jamp.calculator`, see `queueName`). Clients
 * publish calls there with RabbitMQ's direct reply-to (`amq.rabbitmq.reply-to`) as their reply address:
 * no reply queue is declared, answers go straight to the client's channel, and they end with it. Servers
 * consume the queue as competing consumers with a bounded prefetch. A client may serve too: servers call it
 * back at its reply address, and it answers at theirs.
 */

import { connect, type Channel, type ChannelModel, type ConsumeMessage, type SocketOptions } from "amqplib";
import { JampError } from "../errors.js";
import { opened } from "../connection.js";
import { Peer, type PeerOptions } from "../peer.js";
import { BrokerTransport, type BrokerClientOptions } from "./broker-client.js";
import { BrokerDispatch, splitServeOptions, type BrokerServeOptions, type ClientProbe } from "./broker-dispatch.js";
import {
  brokerClosed,
  ignore,
  unregisteredCodec,
  keepServing,
  messageOf,
  redact,
  queueName,
  type BrokerServer,
} from "./broker.js";

export { BrokerTransport, type BrokerClientOptions } from "./broker-client.js";
export type { BrokerServeOptions } from "./broker-dispatch.js";
export { queueName, type BrokerNamingOptions, type BrokerServer, type ReconnectOptions, type ServerState } from "./broker.js";

/** RabbitMQ's pseudo-queue for direct reply-to: published as the reply address, rewritten per channel. */
const directReplyTo = "amq.rabbitmq.reply-to";
const contentType = "application/json";

export interface AmqpConnectOptions extends BrokerClientOptions {
  /** amqplib's socket options (TLS certificates, `timeout`, ...); `noDelay` is on unless set to false. */
  readonly socketOptions?: SocketOptions | undefined;
}

/**
 * Connects to the broker at `url` (`amqp://user:password@host:port/vhost`, `amqps://...`; `heartbeat=30`
 * as a query parameter detects a dead connection) and resolves with a transport for a `Peer` that calls
 * services: `new Peer(await connectAmqp(url), { codec })`, or `() => connectAmqp(url)` as a peer's opener.
 * Rejects with `connection-closed` naming the URL (without its password) when it cannot connect.
 *
 * Queries travel transient, `send`s persistent; everything is published on a confirm channel, and
 * `flush()` (or `Peer.flush()`) resolves once the broker confirmed every `send` so far. Each service queue
 * is declared (durable) before the first publication to it, so a `send` is kept even when no server has
 * run yet. When the connection drops, every pending query rejects with `connection-closed`.
 */
export async function connectAmqp(url: string, options: AmqpConnectOptions = {}): Promise<BrokerTransport> {
  const model = await open(url, options.socketOptions);
  let transport: BrokerTransport | undefined;
  const lost = (error: unknown): void => transport?.fail(closedError(url, error));
  model.on("error", lost);
  model.on("close", lost);
  try {
    const channel = await model.createConfirmChannel();
    channel.on("error", lost);
    channel.on("close", () => lost(new Error("the channel closed")));
    const declared = new Map<string, Promise<unknown>>();
    const declare = (queue: string): Promise<unknown> => {
      let ready = declared.get(queue);
      if (ready === undefined) {
        ready = channel.assertQueue(queue, { durable: true });
        declared.set(queue, ready);
      }
      return ready;
    };
    transport = new BrokerTransport(
      {
        call: async (queue, frame, persistent, correlationId) => {
          try {
            await declare(queue);
          } catch (error) {
            throw closedError(url, error, `cannot declare queue ${queue}`);
          }
          await new Promise<void>((resolve, reject) => {
            const settle = (error: unknown): void => {
              if (error === null || error === undefined) resolve();
              else if (messageOf(error) === "message nacked") reject(new JampError("internal-error", `the broker refused a message to ${queue}`));
              else reject(closedError(url, error, `no confirmation for a message to ${queue}`));
            };
            try {
              const properties = { persistent, replyTo: directReplyTo, contentType };
              channel.sendToQueue(queue, Buffer.from(frame), correlationId === undefined ? properties : { ...properties, correlationId }, settle);
            } catch (error) {
              settle(error);
            }
          });
        },
        control: (address, frame) => {
          try {
            channel.sendToQueue(address, Buffer.from(frame), { replyTo: directReplyTo, contentType });
          } catch (error) {
            lost(error);
          }
        },
        // The channel first: what was published on it (a last stream-cancel) leaves before the connection ends.
        close: () => void channel.close().catch(ignore).finally(() => model.close().catch(ignore)),
      },
      options,
    );
    const replies = transport;
    await channel.consume(
      directReplyTo,
      (message) => {
        if (message === null) lost(new Error("the broker cancelled the reply consumer"));
        else replies.deliver(message.content.toString("utf8"), stringOrUndefined(message.properties.replyTo));
      },
      { noAck: true },
    );
    return transport;
  } catch (error) {
    await model.close().catch(ignore);
    throw closedError(url, error, `cannot connect to ${redact(url)}`);
  }
}

export interface AmqpPeerOptions extends Omit<PeerOptions, "codec">, Omit<AmqpConnectOptions, "codec"> {
  /** The wire format, a codec or its registry name; default JAMP. */
  readonly codec?: PeerOptions["codec"];
}

/**
 * Connects to the broker at `url` and resolves with a `Peer` on it once it is open, as `connect()` does for
 * a WebSocket: generated clients call through it, `peer.serve()` bindings answer the servers' calls back,
 * and when the connection drops the peer reconnects (`reconnect`, as for `connect()`), with a new reply
 * address that servers answer and call back at from the first message it sends. Rejects with
 * `connection-closed` naming the URL (without its password) when the first connection fails.
 */
export function connectAmqpPeer(url: string, options: AmqpPeerOptions = {}): Promise<Peer> {
  const { socketOptions, queuePrefix, queueOf, addresses, codec, ...peer } = options;
  const transport: AmqpConnectOptions = { socketOptions, queuePrefix, queueOf, addresses, codec: unregisteredCodec(codec) };
  return opened(new Peer(() => connectAmqp(url, transport), { ...peer, codec, url: peer.url ?? redact(url) }));
}

export interface AmqpServeOptions extends BrokerServeOptions {
  readonly socketOptions?: SocketOptions | undefined;
}

/**
 * Serves `services` from their queues at the broker `url`, as one of any number of competing consumers:
 * every message is handled by one server, at most `prefetch` per queue at a time. Each message is
 * acknowledged only once its answer was published (a query), its handler finished (a send) or its stream
 * ended; a server that dies before loses no acknowledged work, the broker giving the rest to another. The
 * same message may so run twice (once on the server that died): handlers should be idempotent, or tell by
 * their own means. Frames are read in every registered format unless `accept`/`codec` say otherwise.
 *
 * Resolves once it consumes; rejects with `connection-closed` when the first connection fails. A
 * connection lost later is reopened (`reconnect`), its queues declared and consumed again; what it was
 * handling then is redelivered by the broker. `onError` hears of each loss and each failed attempt.
 */
export function serveAmqp(options: AmqpServeOptions): Promise<BrokerServer> {
  const { url, services, socketOptions, reconnect, onError } = options;
  const { naming, prefetch, dispatch: dispatchOptions } = splitServeOptions(options);
  return keepServing(
    async () => {
      const model = await open(url, socketOptions);
      let settle!: (error: JampError) => void;
      const closed = new Promise<JampError>((resolve) => (settle = resolve));
      const lost = (error: unknown): void => settle(closedError(url, error));
      model.on("error", lost);
      model.on("close", lost);
      let channel: Channel;
      const consumers: string[] = [];
      let dispatch: BrokerDispatch;
      try {
        channel = await model.createChannel();
        channel.on("error", lost);
        channel.on("close", () => lost(new Error("the channel closed")));
        await channel.prefetch(prefetch);
        const serving = channel;
        // Frames a per-client peer sends on its own (calls back, a stream's items) carry this server's
        // direct reply-to address, where the client answers them and sends a stream's credit and cancel.
        dispatch = new BrokerDispatch(
          (replyTo, frame) => publish(serving, replyTo, frame, { replyTo: directReplyTo, mandatory: isQueue(replyTo) }),
          { ...dispatchOptions, probe: clientProbe(model) },
        );
        const control = dispatch;
        // To a STOMP client's queue they are mandatory: the broker returns one whose client is gone. (It
        // returns them to a live direct reply-to address as well, having no queue to route to: AMQP
        // clients are probed instead.)
        channel.on("return", (message: ConsumeMessage) => {
          if (isQueue(message.fields.routingKey)) control.gone(message.fields.routingKey);
        });
        await channel.consume(directReplyTo, (message) => {
          if (message !== null) control.control(message.content.toString("utf8"), stringOrUndefined(message.properties.replyTo));
        }, { noAck: true });
        for (const binding of services) {
          const queue = queueName(binding.address, naming);
          await channel.assertQueue(queue, { durable: true });
          const consumer = await channel.consume(queue, (message) => {
            if (message === null) lost(new Error(`the broker cancelled the consumer of ${queue}`));
            else control.deliver(deliveryOf(serving, message));
          });
          consumers.push(consumer.consumerTag);
        }
      } catch (error) {
        await model.close().catch(ignore);
        throw closedError(url, error, `cannot serve at ${redact(url)}`);
      }
      void closed.then(() => dispatch.stop());
      return {
        closed,
        async drain(timeout: number) {
          for (const tag of consumers) await channel.cancel(tag).catch(ignore);
          await dispatch.idle(timeout);
          settle(new JampError("connection-closed", "the server was closed"));
          await model.close().catch(ignore);
        },
      };
    },
    reconnect,
    onError,
  );
}

function deliveryOf(channel: Channel, message: ConsumeMessage) {
  const replyTo = stringOrUndefined(message.properties.replyTo);
  const correlationId = stringOrUndefined(message.properties.correlationId);
  return {
    frame: message.content.toString("utf8"),
    replyTo,
    correlationId,
    reply: (frame: string) => {
      if (replyTo !== undefined) publish(channel, replyTo, frame, correlationId === undefined ? {} : { correlationId });
    },
    ack: () => {
      try {
        channel.ack(message);
      } catch {
        // The channel is gone, and the message back in its queue.
      }
    },
  };
}

/** Publishes to a reply address; a closed channel drops it (its client gets `connection-closed` or a redelivery). */
function publish(
  channel: Channel,
  to: string,
  frame: string,
  properties: { readonly correlationId?: string; readonly replyTo?: string; readonly mandatory?: boolean },
): void {
  try {
    channel.sendToQueue(replyQueue(to), Buffer.from(frame), { contentType, ...properties });
  } catch {
    // The channel closed: nothing is acknowledged after this, so the broker redelivers the call.
  }
}

/** Whether a reply address is a queue (a STOMP client's), not an AMQP client's direct reply-to. */
function isQueue(replyTo: string): boolean {
  return !replyQueue(replyTo).startsWith(`${directReplyTo}.`);
}

/** A reply address as a queue name: a STOMP client's may come as a destination (`/reply-queue/<queue>`). */
function replyQueue(replyTo: string): string {
  return replyTo.startsWith("/reply-queue/") ? replyTo.slice("/reply-queue/".length) : replyTo;
}

/**
 * Asks the broker whether a client's reply address still exists, with a passive declare: 404 means its
 * channel (direct reply-to) or session (a STOMP client's temporary queue) is gone; anything else, such as
 * 405 for a STOMP client's exclusive queue, means it is there or cannot be told. A 4xx answer closes the
 * channel it came on, so probes run one at a time on a channel of their own.
 */
function clientProbe(model: ChannelModel): ClientProbe {
  let probing: Promise<Channel> | undefined;
  let last: Promise<unknown> = Promise.resolve();
  const check = async (replyTo: string): Promise<boolean> => {
    const made = (probing ??= model.createChannel().then((channel) => {
      channel.on("error", ignore);
      return channel;
    }));
    try {
      await (await made).checkQueue(replyQueue(replyTo));
      return true;
    } catch (error) {
      if (probing === made) probing = undefined;
      return !/\b404\b/.test(messageOf(error));
    }
  };
  return (replyTo) => {
    const answer = last.then(() => check(replyTo));
    last = answer.catch(ignore);
    return answer;
  };
}

async function open(url: string, socketOptions: SocketOptions | undefined): Promise<ChannelModel> {
  try {
    // Without noDelay, Nagle's algorithm holds each small frame for the last one's ACK: 5-8 times slower.
    return await connect(url, { noDelay: true, ...socketOptions });
  } catch (error) {
    throw closedError(url, error, `cannot connect to ${redact(url)}`);
  }
}

function closedError(url: string, error: unknown, text = `the connection to ${redact(url)} closed`): JampError {
  return brokerClosed(url, error, text);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
