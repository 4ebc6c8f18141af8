import { Peer, type PeerOptions } from "./peer.js";
import { connectWebSocket, type WebSocketConnectOptions } from "./transports/websocket.js";

export interface ConnectOptions extends PeerOptions, WebSocketConnectOptions {}

/**
 * Opens a WebSocket to a JAMP server (`ws://`, `wss://`, or `jamp+ws://` URLs) and resolves with a peer on
 * it once it is open. Uses the platform `WebSocket` when there is one, else `ws`, unless `WebSocket` is given.
 * Rejects with a `connection-closed` error naming the URL when the connection cannot be made.
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Peer> {
  const { WebSocket, protocols, maxPayload, connectTimeout, ...peerOptions } = options;
  const transport = await connectWebSocket(url, { WebSocket, protocols, maxPayload, connectTimeout });
  return new Peer(transport, peerOptions);
}
