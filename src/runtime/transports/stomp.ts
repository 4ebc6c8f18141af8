/**
 * JAMP over STOMP (RabbitMQ's STOMP plugin), with `@stomp/stompjs`: `jamp-gen/runtime/stomp`. The only
 * module that imports `@stomp/stompjs` (an optional peer dependency).
 *
 * It speaks STOMP over a WebSocket (RabbitMQ's Web-STOMP, `ws://host:15674/ws`): the one carrier browsers
 * have, `ws` on Node (already a dependency), no extra package. A service address names the same durable
 * queue as over AMQP (`/queue/jamp.calculator`), so STOMP and AMQP clients and servers mix freely. A
 * client's reply address is a temporary queue of its session (`/temp-queue/jamp`), where servers answer
 * it and call it back.
 */

import { Client, type IMessage, type IStompSocket } from "@stomp/stompjs";
import { JampError } from "../errors.js";
import { opened } from "../connection.js";
import { Peer, type PeerOptions } from "../peer.js";
import { BrokerTransport, type BrokerClientOptions } from "./broker-client.js";
import { BrokerDispatch, splitServeOptions, type BrokerServeOptions } from "./broker-dispatch.js";
import {
  brokerClosed,
  ignore,
  keepServing,
  redact,
  queueName,
  unregisteredCodec,
  type BrokerServer,
} from "./broker.js";

export { BrokerTransport, type BrokerClientOptions } from "./broker-client.js";
export type { BrokerServeOptions } from "./broker-dispatch.js";
export { queueName, type BrokerNamingOptions, type BrokerServer, type ReconnectOptions, type ServerState } from "./broker.js";

/** The reply address of a client, and of a server for its streams' credit and cancel. */
const clientReplyTo = "/temp-queue/jamp";
const serverReplyTo = "/temp-queue/jamp-streams";
const contentType = "application/json";

/** A WebSocket class: the platform's, or `ws`'s on Node. */
export type StompWebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;

export interface StompOptions {
  /** Default: the user of the URL (`ws://user:password@host:15674/ws`), else `guest`. */
  readonly login?: string | undefined;
  /** Default: the password of the URL, else `guest`. */
  readonly passcode?: string | undefined;
  /** The virtual host. Default `/`. */
  readonly vhost?: string | undefined;
  /** The WebSocket class to use; default the platform's `WebSocket`, else the one of `ws`. */
  readonly WebSocket?: StompWebSocketConstructor | undefined;
  /** Give up connecting after this many ms. Default 10_000. */
  readonly connectTimeout?: number | undefined;
  /** STOMP heart-beats both ways, in ms, which detect a dead connection; 0 for none. Default 10_000. */
  readonly heartbeat?: number | undefined;
}

export interface StompConnectOptions extends BrokerClientOptions, StompOptions {}

/**
 * Connects to RabbitMQ's Web-STOMP endpoint `url` (`ws://host:15674/ws`, `wss://...`) and resolves with a
 * transport for a `Peer` that calls services: `new Peer(await connectStomp(url), { codec })`, or
 * `() => connectStomp(url)` as a peer's opener. Rejects with `connection-closed` when it cannot connect.
 *
 * `send`s are published persistent with a receipt, which RabbitMQ gives once it confirmed the message;
 * `flush()` (or `Peer.flush()`) resolves once every `send` so far has its receipt. When the connection
 * drops, every pending query rejects with `connection-closed`.
 */
export async function connectStomp(url: string, options: StompConnectOptions = {}): Promise<BrokerTransport> {
  const receipts = new Map<string, { resolve: () => void; reject: (error: JampError) => void }>();
  let transport: BrokerTransport | undefined;
  const client = await open(url, options, (error) => {
    for (const { reject } of receipts.values()) reject(error);
    receipts.clear();
    transport?.fail(error);
  });
  let counter = 0;
  transport = new BrokerTransport(
    {
      call(queue, frame, persistent, correlationId) {
        const headers: Record<string, string> = { "reply-to": clientReplyTo, "content-type": contentType };
        if (correlationId !== undefined) headers["correlation-id"] = correlationId;
        if (!persistent) return publish(client, url, `/queue/${queue}`, frame, headers);
        const receipt = `jamp-${++counter}`;
        return new Promise<void>((resolve, reject) => {
          receipts.set(receipt, { resolve, reject });
          client.watchForReceipt(receipt, () => {
            receipts.delete(receipt);
            resolve();
          });
          publish(client, url, `/queue/${queue}`, frame, { ...headers, persistent: "true", receipt }).catch((error: JampError) => {
            receipts.delete(receipt);
            reject(error);
          });
        });
      },
      control(address, frame) {
        void publish(client, url, destinationOf(address), frame, { "reply-to": clientReplyTo, "content-type": contentType }).catch(ignore);
      },
      close: () => void client.deactivate().catch(ignore),
    },
    options,
  );
  const replies = transport;
  client.onUnhandledMessage = (message) => replies.deliver(message.body, message.headers["reply-to"]);
  return transport;
}

export interface StompPeerOptions extends Omit<PeerOptions, "codec">, Omit<StompConnectOptions, "codec"> {
  /** The wire format, a codec or its registry name; default JAMP. */
  readonly codec?: PeerOptions["codec"];
}

/**
 * Connects to RabbitMQ's Web-STOMP endpoint `url` and resolves with a `Peer` on it once it is open, as
 * `connectAmqpPeer` does over AMQP: it calls, serves calls back, and reconnects after a drop (`reconnect`).
 * Rejects with `connection-closed` naming the URL when the first connection fails.
 */
export function connectStompPeer(url: string, options: StompPeerOptions = {}): Promise<Peer> {
  const { queuePrefix, queueOf, addresses, codec, login, passcode, vhost, WebSocket, connectTimeout, heartbeat, ...peer } = options;
  const transport: StompConnectOptions = {
    ...{ queuePrefix, queueOf, addresses, codec: unregisteredCodec(codec) },
    ...{ login, passcode, vhost, WebSocket, connectTimeout, heartbeat },
  };
  return opened(new Peer(() => connectStomp(url, transport), { ...peer, codec, url: peer.url ?? redact(url) }));
}

export interface StompServeOptions extends BrokerServeOptions, StompOptions {}

/**
 * Serves `services` from their queues over STOMP, as `serveAmqp` does over AMQP (same queues, same
 * guarantees): competing consumers with `prefetch-count`, `client-individual` acknowledgements sent once a
 * message's answer was published, its handler finished or its stream ended; subscriptions made again after
 * a reconnection.
 */
export function serveStomp(options: StompServeOptions): Promise<BrokerServer> {
  const { url, services, reconnect, onError, login, passcode, vhost, WebSocket, connectTimeout, heartbeat, ...rest } = options;
  const stomp: StompOptions = { login, passcode, vhost, WebSocket, connectTimeout, heartbeat };
  const { naming, prefetch, dispatch: dispatchOptions } = splitServeOptions({ url, services, onError, ...rest });
  return keepServing(
    async () => {
      let settle!: (error: JampError) => void;
      const closed = new Promise<JampError>((resolve) => (settle = resolve));
      const client = await open(url, stomp, (error) => settle(error));
      const dispatch = new BrokerDispatch(
        (replyTo, frame) => void publish(client, url, destinationOf(replyTo), frame, { "reply-to": serverReplyTo, "content-type": contentType }).catch(ignore),
        dispatchOptions,
      );
      client.onUnhandledMessage = (message) => dispatch.control(message.body, message.headers["reply-to"]);
      const subscriptions = services.map((binding) =>
        client.subscribe(`/queue/${queueName(binding.address, naming)}`, (message) => dispatch.deliver(deliveryOf(client, url, message)), {
          ack: "client-individual",
          "prefetch-count": String(prefetch),
        }),
      );
      void closed.then(() => dispatch.stop());
      return {
        closed,
        async drain(timeout: number) {
          for (const subscription of subscriptions) {
            try {
              subscription.unsubscribe();
            } catch {
              // Already disconnected.
            }
          }
          await dispatch.idle(timeout);
          settle(new JampError("connection-closed", "the server was closed"));
          await client.deactivate().catch(ignore);
        },
      };
    },
    reconnect,
    onError,
  );
}

function deliveryOf(client: Client, url: string, message: IMessage) {
  const replyTo = message.headers["reply-to"];
  const correlationId = message.headers["correlation-id"];
  return {
    frame: message.body,
    replyTo,
    correlationId,
    reply(frame: string) {
      if (replyTo === undefined) return;
      const headers: Record<string, string> = { "content-type": contentType };
      if (correlationId !== undefined) headers["correlation-id"] = correlationId;
      void publish(client, url, destinationOf(replyTo), frame, headers).catch(ignore);
    },
    ack() {
      try {
        message.ack();
      } catch {
        // Disconnected: the message goes back to its queue.
      }
    },
  };
}

/** A reply address as a STOMP destination: AMQP clients' (a bare queue name) through `/reply-queue/`. */
function destinationOf(address: string): string {
  return address.startsWith("/") ? address : `/reply-queue/${address}`;
}

/** Publishes; rejects with `connection-closed` when there is no connection. */
function publish(client: Client, url: string, destination: string, body: string, headers: Record<string, string>): Promise<void> {
  try {
    client.publish({ destination, body, headers });
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(closedError(url, error, `cannot publish to ${destination}`));
  }
}

/**
 * Opens a STOMP session and resolves once the broker accepted it; `onClose` hears, once, why it ended.
 * Rejects with `connection-closed` when it cannot be opened.
 */
async function open(url: string, options: StompOptions, onClose: (error: JampError) => void): Promise<Client> {
  const target = new URL(url.startsWith("jamp+") ? url.slice("jamp+".length) : url);
  const login = options.login ?? (target.username === "" ? "guest" : decodeURIComponent(target.username));
  const passcode = options.passcode ?? (target.password === "" ? "guest" : decodeURIComponent(target.password));
  target.username = "";
  target.password = "";
  const address = target.href;
  const Socket = options.WebSocket ?? platformWebSocket() ?? (await import("ws")).WebSocket;
  const heartbeat = options.heartbeat ?? 10_000;
  const client = new Client({
    webSocketFactory: () => new Socket(address, ["v12.stomp", "v11.stomp", "v10.stomp"]) as IStompSocket,
    connectHeaders: { login, passcode, host: options.vhost ?? "/" },
    connectionTimeout: options.connectTimeout ?? 10_000,
    heartbeatIncoming: heartbeat,
    heartbeatOutgoing: heartbeat,
    reconnectDelay: 0,
    debug: ignore,
  });
  let connected = false;
  let ended = false;
  let failure: string | undefined;
  return new Promise<Client>((resolve, reject) => {
    const end = (error: JampError): void => {
      if (ended) return;
      ended = true;
      if (!connected) reject(error);
      else onClose(error);
      void client.deactivate().catch(ignore);
    };
    client.onConnect = () => {
      connected = true;
      resolve(client);
    };
    client.onStompError = (frame) => {
      failure = frame.headers["message"] ?? "the broker sent an ERROR frame";
      const detail = new Error(failure + (frame.body === "" ? "" : `: ${frame.body.trim()}`));
      end(closedError(url, detail, connected ? undefined : `cannot connect to ${redact(url)}`));
    };
    client.onWebSocketError = () => {
      failure ??= "the WebSocket failed";
    };
    client.onWebSocketClose = (event: { code?: number; reason?: string } | undefined) => {
      const detail = `${failure ?? "the WebSocket closed"} (code ${event?.code ?? 1006})`;
      end(closedError(url, new Error(detail), connected ? undefined : `cannot connect to ${redact(url)}`));
    };
    client.activate();
  });
}

function platformWebSocket(): StompWebSocketConstructor | undefined {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof candidate === "function" ? (candidate as StompWebSocketConstructor) : undefined;
}

function closedError(url: string, error: unknown, text = `the STOMP connection to ${redact(url)} closed`): JampError {
  return brokerClosed(url, error, text);
}
