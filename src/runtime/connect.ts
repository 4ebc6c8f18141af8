import { findCodec } from "./codecs/index.js";
import { jampCodec } from "./codecs/jamp.js";
import { opened, type TransportOpener } from "./connection.js";
import { Peer, type PeerOptions } from "./peer.js";
import { connectHttp, type HttpConnectOptions } from "./transports/http.js";
import { channelFormats, connectHttpChannel } from "./transports/http-channel.js";
import { connectWebSocket, type WebSocketConnectOptions } from "./transports/websocket.js";

export interface ConnectOptions extends PeerOptions, Omit<WebSocketConnectOptions, "signal">, HttpConnectOptions {}

/**
 * Connects to a JAMP server and resolves with a peer on the connection. `ws://`, `wss://` (or `jamp+ws://`)
 * URLs open a WebSocket, resolving once it is open; it is the platform `WebSocket` when there is one, else
 * `ws`, unless `WebSocket` is given. `http://`, `https://` (or `jamp+http://`) URLs post each frame with
 * `fetch` and receive its answers from the response, so there is nothing to open: a server that cannot be
 * reached fails each call with `connection-closed`; with `channel: true` they open a push/pull channel
 * instead, resolving once the server made it, over which the server can send unasked (streams, calls to
 * this side's services). `codec` picks the wire format
 * (`connect(url, { codec: "jsonrpc2" })`; default JAMP). Rejects with a `connection-closed` error naming the
 * URL when a WebSocket cannot be opened, and with a `TypeError` or `RangeError`, before connecting, for a
 * codec name that is not registered or `reconnect` options out of range.
 *
 * A browser app that speaks JAMP over WebSocket only can use `connectWebSocketPeer` instead, which imports
 * neither the other formats nor the HTTP transports.
 *
 * When the connection drops later, the peer reconnects to `url` as `reconnect` says (by default, with
 * backoff from 0.5 s to 10 s, for ever; `reconnect: false` closes it at the first drop). The first
 * connection is not retried: a server that cannot be reached now is an error to see at once.
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Peer> {
  const { WebSocket, protocols, connectTimeout, fetch, headers, channel, maxBuffered, stallTimeout, ...rest } = options;
  const maxPayload = rest.maxPayload;
  const peerOptions: PeerOptions = {
    ...rest,
    url: rest.url ?? url,
    codec: rest.codec === undefined ? undefined : findCodec(rest.codec),
    accept: rest.accept?.map(findCodec),
  };
  let open: TransportOpener;
  let accept = peerOptions.accept;
  if (/^(jamp\+)?https?:/i.test(url)) {
    // The frames posted are those of the peer's own format, the one `Peer` picks by the same rule.
    const codec = findCodec(peerOptions.codec ?? peerOptions.accept?.[0] ?? jampCodec);
    if (channel === true) {
      // A channel the server dropped (410) closes its transport; reconnecting opens a new channel.
      // The formats first: one no channel carries is a TypeError now, not a failed connection.
      accept = peerOptions.accept ?? channelFormats(codec);
      open = () => connectHttpChannel(url, codec, { fetch, headers });
    } else {
      open = async () => connectHttp(url, codec, { fetch, headers });
    }
  } else {
    const socketOptions = { WebSocket, protocols, maxPayload, connectTimeout, headers, maxBuffered, stallTimeout };
    open = ({ signal }) => connectWebSocket(url, { ...socketOptions, signal });
  }
  return opened(new Peer(open, { ...peerOptions, accept }));
}
