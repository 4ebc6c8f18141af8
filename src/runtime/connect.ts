import { findCodec } from "./codecs/index.js";
import { jampCodec } from "./codecs/jamp.js";
import { Peer, type PeerOptions } from "./peer.js";
import { connectHttp, type HttpConnectOptions } from "./transports/http.js";
import { channelFormats, connectHttpChannel } from "./transports/http-channel.js";
import { connectWebSocket, type WebSocketConnectOptions } from "./transports/websocket.js";

export interface ConnectOptions extends PeerOptions, WebSocketConnectOptions, HttpConnectOptions {}

/**
 * Connects to a JAMP server and resolves with a peer on the connection. `ws://`, `wss://` (or `jamp+ws://`)
 * URLs open a WebSocket, resolving once it is open; it is the platform `WebSocket` when there is one, else
 * `ws`, unless `WebSocket` is given. `http://`, `https://` (or `jamp+http://`) URLs post each frame with
 * `fetch` and receive its answers from the response, so there is nothing to open: a server that cannot be
 * reached fails each call with `connection-closed`; with `channel: true` they open a push/pull channel
 * instead, resolving once the server made it, over which the server can send unasked (streams, calls to
 * this side's services). `codec` picks the wire format
 * (`connect(url, { codec: "jsonrpc2" })`; default JAMP). Rejects with a `connection-closed` error naming the
 * URL when a WebSocket cannot be opened, and with a `TypeError`, before connecting, for a codec name that is
 * not registered.
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Peer> {
  const { WebSocket, protocols, maxPayload, connectTimeout, fetch, headers, channel, ...rest } = options;
  const peerOptions: PeerOptions = {
    ...rest,
    codec: rest.codec === undefined ? undefined : findCodec(rest.codec),
    accept: rest.accept?.map(findCodec),
  };
  if (/^(jamp\+)?https?:/i.test(url)) {
    // The frames posted are those of the peer's own format, the one `Peer` picks by the same rule.
    const codec = findCodec(peerOptions.codec ?? peerOptions.accept?.[0] ?? jampCodec);
    if (channel === true) {
      const transport = await connectHttpChannel(url, codec, { fetch, headers });
      return new Peer(transport, { ...peerOptions, accept: peerOptions.accept ?? channelFormats(codec) });
    }
    return new Peer(connectHttp(url, codec, { fetch, headers }), peerOptions);
  }
  const transport = await connectWebSocket(url, { WebSocket, protocols, maxPayload, connectTimeout });
  return new Peer(transport, peerOptions);
}
