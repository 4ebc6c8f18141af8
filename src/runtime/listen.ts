import type { IncomingMessage, ServerResponse } from "node:http";
import { codecs, findCodec } from "./codecs/index.js";
import { defaultMaxPayload, limitOf } from "./limits.js";
import { Peer, type PeerOptions } from "./peer.js";
import type { ServiceBinding } from "./service.js";
import { createGate, refuseRequest, type Authenticate } from "./transports/admission.js";
import type { HttpChannelOptions } from "./transports/http-channels.js";
import { createHttpExchanges, type CorsOptions } from "./transports/http-server.js";
import type { SendFlowOptions } from "./transports/send-flow.js";
import { listenWebSocket } from "./transports/websocket-server.js";

const defaultMaxConnections = 10_000;

export interface ListenOptions
  extends Omit<PeerOptions, "services" | "reconnect" | "url" | "identity">,
    SendFlowOptions {
  /** The interface to bind. Default `127.0.0.1`: reachable from this machine only. */
  readonly host?: string | undefined;
  /** Default 0: any free port, see `Server.port`. */
  readonly port?: number | undefined;
  /** Served on every connection. */
  readonly services: readonly ServiceBinding[];
  /**
   * The largest frame accepted, in bytes: a bigger WebSocket frame closes its connection with 1009, a bigger
   * HTTP body is answered 413. The server sends nothing bigger either (see `PeerOptions.maxPayload`).
   * Default 1 MiB.
   */
  readonly maxPayload?: number | undefined;
  /**
   * The most WebSocket connections open and HTTP requests being served at once; past it an upgrade or a
   * request is answered 503 with `Retry-After`, before anything else is done for it. Default 10_000.
   */
  readonly maxConnections?: number | undefined;
  /**
   * Who may connect: called with each WebSocket upgrade request and each HTTP request (but CORS
   * preflights), it returns the connection's identity (`ctx.identity` of every call on it) or throws a
   * `JampError` `unauthorized` (401) or `forbidden` (403) to refuse it before the WebSocket opens or the
   * request runs. See `Authenticate`. Default: everyone, with no identity.
   */
  readonly authenticate?: Authenticate | undefined;
  /**
   * The origins (`https://app.example.com`) whose web pages may open WebSockets, `"*"` for any; pages of
   * the server's own origin and clients that send no `Origin` (not a browser) always may, the others get
   * 403. Default: the origins of `cors`, else none.
   */
  readonly origins?: readonly string[] | "*" | undefined;
  /** Which web pages of other origins may call over HTTP; default none (pages of the server's own origin may). */
  readonly cors?: CorsOptions | undefined;
  /**
   * The limits of Baratine's push/pull channels over HTTP: `pullTimeout` (default 15 s), `idleTimeout`
   * (60 s), `maxChannels` (1000), `maxQueued` messages per channel (1000).
   */
  readonly channels?: HttpChannelOptions | undefined;
  /**
   * Sees each plain HTTP request first, and serves those it claims by returning true (the JSON-BOSH gateway
   * of `jamp-gen/runtime/xmpp` is one); the others are JAMP exchanges.
   */
  readonly handleHttp?: ((request: IncomingMessage, response: ServerResponse) => boolean) | undefined;
}

export interface Server {
  readonly port: number;
  /** `ws://host:port/`, for `connect`. */
  readonly url: string;
  /** `http://host:port/`: the same port, for `connect` over HTTP and for plain `fetch`. */
  readonly httpUrl: string;
  /**
   * One peer per open WebSocket connection and per open HTTP push/pull channel; the server can call clients
   * through them.
   */
  readonly peers: ReadonlySet<Peer>;
  /**
   * Stops accepting and closes every connection (code 1001): the clients' outstanding queries reject with
   * `connection-closed`, and so do the server's own queries to clients. Resolves once all are gone.
   */
  close(): Promise<void>;
}

/**
 * Serves `services` over WebSocket and HTTP on one port on Node, one `Peer` per connection, with the peer
 * options given (`codec`, `accept`, `timeout`, `maxPending`, `onError`, ...). Rejects with the system's error
 * when it cannot listen. Without `accept` or `codec`, every connection accepts every registered format, frame
 * by frame (`codecs`: JAMP, JAMP/B, JSON-RPC 2.0 and 1.0, SOAPjr), and answers each in its own; `accept`
 * restricts them, and `codec` alone means that format only. An HTTP request is served as a connection of
 * its own carrying one frame, its answers in the response, unless it uses a push/pull channel, a connection
 * that lasts across requests (see `createHttpExchanges`). Before anything runs for a connection or a
 * request: `maxConnections`, then the origin (`origins` for WebSockets, `cors` over HTTP), then
 * `authenticate`, whose identity every call on the connection sees.
 */
export async function listen(options: ListenOptions): Promise<Server> {
  const { host, port, maxPayload, services, onError, codec, accept, cors, channels, handleHttp, ...more } = options;
  const { maxConnections, authenticate, origins, maxBuffered, stallTimeout, ...rest } = more;
  // Names and limits are checked now, so that a wrong one fails here rather than on each connection.
  const payload = limitOf("maxPayload", maxPayload, defaultMaxPayload);
  const gate = createGate({
    maxConnections: limitOf("maxConnections", maxConnections, defaultMaxConnections, true),
    origins: origins ?? cors?.origins,
    authenticate,
    onError,
  });
  const peerOptions: PeerOptions = {
    ...rest,
    maxPayload: payload,
    codec: codec === undefined ? undefined : findCodec(codec),
    accept: accept === undefined && codec === undefined ? Object.values(codecs) : accept?.map(findCodec),
  };
  const peers = new Set<Peer>();
  const forget = (peer: Peer) => (): void => void peers.delete(peer);
  const exchanges = createHttpExchanges({
    peer: { ...peerOptions, onError, services },
    maxPayload: payload,
    cors,
    channels,
    admit: gate.authenticate,
    onChannel(peer) {
      peers.add(peer);
      void peer.closed.then(forget(peer));
    },
  });
  const listener = await listenWebSocket({
    host,
    port,
    maxPayload: payload,
    maxBuffered,
    stallTimeout,
    onError,
    onRequest(request, response) {
      const release = gate.enter();
      if (release === undefined) return refuseRequest(response, gate.full);
      response.once("close", release);
      if (handleHttp?.(request, response) !== true) exchanges.serve(request, response);
    },
    admit: gate.upgrade,
    onConnection(transport, identity) {
      const peer = new Peer(transport, { ...peerOptions, onError, services, identity });
      peers.add(peer);
      void peer.closed.then(forget(peer));
    },
  });
  return {
    port: listener.port,
    url: listener.url,
    httpUrl: `http${listener.url.slice("ws".length)}`,
    peers,
    async close(): Promise<void> {
      for (const peer of peers) peer.close(1001, "server shutting down");
      exchanges.close();
      await listener.close();
    },
  };
}
