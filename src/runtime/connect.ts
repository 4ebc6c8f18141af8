import { findCodec } from "./codecs/index.js";
import { Peer, type PeerOptions } from "./peer.js";
import { connectWebSocket, type WebSocketConnectOptions } from "./transports/websocket.js";

export interface ConnectOptions extends PeerOptions, WebSocketConnectOptions {}

/**
 * Opens a WebSocket to a JAMP server (`ws://`, `wss://`, or `jamp+ws://` URLs) and resolves with a peer on
 * it once it is open. Uses the platform `WebSocket` when there is one, else `ws`, unless `WebSocket` is given.
 * `codec` picks the wire format (`connect(url, { codec: "jsonrpc2" })`; default JAMP). Rejects with a
 * `connection-closed` error naming the URL when the connection cannot be made, and with a `TypeError`,
 * before connecting, for a codec name that is not registered.
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Peer> {
  const { WebSocket, protocols, maxPayload, connectTimeout, ...rest } = options;
  const peerOptions: PeerOptions = {
    ...rest,
    codec: rest.codec === undefined ? undefined : findCodec(rest.codec),
    accept: rest.accept?.map(findCodec),
  };
  const transport = await connectWebSocket(url, { WebSocket, protocols, maxPayload, connectTimeout });
  return new Peer(transport, peerOptions);
}
