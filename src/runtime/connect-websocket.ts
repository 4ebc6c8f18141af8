/**
 * `connectWebSocketPeer`: `connect` for WebSocket URLs alone, with codecs given as values. It imports no
 * other transport and no codec registry, so a browser bundle of a generated client on it carries the
 * runtime's core, the WebSocket transport and the one format it speaks.
 */

import type { Codec } from "./codecs/codec.js";
import { opened } from "./connection.js";
import { Peer, type PeerOptions } from "./peer.js";
import { connectWebSocket, type WebSocketConnectOptions } from "./transports/websocket.js";

export interface WebSocketPeerOptions extends Omit<PeerOptions, "codec" | "accept">, Omit<WebSocketConnectOptions, "signal"> {
  /** The wire format, as a value (`jampCodec`, `jsonRpc2Codec`, ...). Default `jampCodec`. */
  readonly codec?: Codec | undefined;
  /** The formats incoming frames may be in, as values. Default: `codec` alone. */
  readonly accept?: readonly Codec[] | undefined;
}

/**
 * Opens a WebSocket to `url` (`ws:`, `wss:`, or with JAMP's `jamp+` prefix) and resolves with a peer on it
 * once it is open, as `connect` does for such URLs: the platform `WebSocket` where there is one, else `ws`;
 * reconnecting after a drop as `reconnect` says; rejecting with a `connection-closed` error naming the URL
 * when the first connection cannot be opened.
 */
export function connectWebSocketPeer(url: string, options: WebSocketPeerOptions = {}): Promise<Peer> {
  const { WebSocket, protocols, maxPayload, connectTimeout, ...rest } = options;
  const open = ({ signal }: { signal: AbortSignal }) =>
    connectWebSocket(url, { WebSocket, protocols, maxPayload, connectTimeout, signal });
  return opened(new Peer(open, { ...rest, url: rest.url ?? url }));
}
