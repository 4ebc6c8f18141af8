/**
 * `jamp-gen/runtime`: what generated clients and servers run on. Platform-neutral except `listen` (and
 * `listenWebSocket`), which load `node:http` and `ws` only when called.
 */

export * from "./descriptor.js";
export * from "./validation.js";
export * from "./errors.js";
export type * from "./message.js";
// Each codec from its own file, so that importing one does not load the registry of all (`codecs`).
export { isFrameCodec, type Batch, type Codec, type FrameCodec, type InvalidMessageData } from "./codecs/codec.js";
export { createJampCodec, jampCodec, type JampCodecOptions } from "./codecs/jamp.js";
export { createJampBCodec, jampBCodec, type JampBCodecOptions } from "./codecs/jamp-b.js";
export { createJsonRpc2Codec, jsonRpc2Codec, type JsonRpc2CodecOptions } from "./codecs/jsonrpc2.js";
export { createJsonRpc1Codec, jsonRpc1Codec, type JsonRpc1CodecOptions } from "./codecs/jsonrpc1.js";
export { createSoapjrCodec, soapjrCodec, soapjrFormFrame, type SoapjrCodecOptions } from "./codecs/soapjr.js";
export { codecs, findCodec } from "./codecs/index.js";
export * from "./transports/index.js";
export {
  Peer,
  type CallOptions,
  type CallTarget,
  type PeerOptions,
  type PeerStats,
  type SendOptions,
  type StreamOptions,
} from "./peer.js";
export type { Authorize, CallContext, Implementation } from "./context.js";
export type { OpenContext, PeerState, PeerStateEvent, TransportOpener } from "./connection.js";
export type { ReconnectOptions } from "./backoff.js";
export {
  reviveArray,
  reviveBigInt,
  reviveBytes,
  reviveDate,
  reviveLazy,
  reviveMapEntries,
  reviveMapObject,
  reviveObject,
  reviveRecord,
  reviveSet,
  reviveTagged,
  reviveTuple,
  reviveUnion,
  stripObject,
  wireTypeOf,
  type WireType,
} from "./revive.js";
export {
  encodeArray,
  encodeBigInt,
  encodeBytes,
  encodeDate,
  encodeLazy,
  encodeMapEntries,
  encodeMapObject,
  encodeObject,
  encodeRecord,
  encodeSet,
  encodeTagged,
  encodeTuple,
  encodeUnion,
  valueTypeOf,
  type ValueType,
} from "./encode.js";
export { decodeBase64, encodeBase64 } from "./base64.js";
export { createClient, type Caller, type ClientOptions, type ServiceClient } from "./client.js";
export { bindService, type ArgumentIssue, type BindServiceOptions, type ServiceBinding } from "./service.js";
export { connect, type ConnectOptions } from "./connect.js";
export { connectWebSocketPeer, type WebSocketPeerOptions } from "./connect-websocket.js";
export { connectCaller, type CallerOptions, type WebSocketCaller } from "./connect-caller.js";
export { withStreams } from "./caller-streams.js";
export { listen, type ListenOptions, type Server } from "./listen.js";
