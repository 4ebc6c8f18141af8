/**
 * `jamp-gen/runtime`: what generated clients and servers run on. Platform-neutral except `listen` (and
 * `listenWebSocket`), which load `node:http` and `ws` only when called.
 */

export * from "./descriptor.js";
export * from "./validation.js";
export * from "./errors.js";
export type * from "./message.js";
export * from "./codecs/index.js";
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
export { createClient, type ClientOptions, type ServiceClient } from "./client.js";
export { bindService, type ArgumentIssue, type BindServiceOptions, type ServiceBinding } from "./service.js";
export { connect, type ConnectOptions } from "./connect.js";
export { listen, type ListenOptions, type Server } from "./listen.js";
