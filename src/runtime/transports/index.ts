export type { Transport } from "./transport.js";
export { createLoopbackPair } from "./loopback.js";
export {
  WebSocketTransport,
  connectWebSocket,
  type WebSocketConnectOptions,
  type WebSocketConstructor,
  type WebSocketEventLike,
  type WebSocketLike,
} from "./websocket.js";
export { listenWebSocket, type WebSocketListenOptions, type WebSocketListener } from "./websocket-server.js";
export { HttpTransport, connectHttp, type FetchLike, type HttpConnectOptions } from "./http.js";
export { createHttpExchanges, type CorsOptions, type HttpExchangeOptions, type HttpExchanges } from "./http-server.js";
export { HttpChannelTransport, connectHttpChannel } from "./http-channel.js";
export { createHttpChannels, type HttpChannelOptions, type HttpChannels, type HttpChannelsConfig } from "./http-channels.js";
export { createGate, originAllowed, type Admission, type Authenticate, type ConnectionRequest, type Refusal } from "./admission.js";
export { SendFlow, type SendFlowOptions } from "./send-flow.js";
