/**
 * `jamp-gen/runtime/xmpp`: JAMP over XMPP (XEP-0432 payloads in a real server's messages), XMPP stanzas
 * as JSON (PROTOCOLS.md 5.4) and the JSON-BOSH gateway. Needs the optional peer dependency @xmpp/client;
 * nothing else in the runtime imports this entry, so WebSocket and browser users never load it.
 */

export { XmppTransport, type XmppFeatures } from "../transports/xmpp.js";
export {
  XmppSession,
  connectXmpp,
  openXmppSession,
  type XmppAcceptor,
  type XmppConnectOptions,
  type XmppSessionOptions,
} from "../transports/xmpp-session.js";
export {
  listenXmpp,
  serveXmpp,
  type XmppListenOptions,
  type XmppListener,
  type XmppServeOptions,
} from "../transports/xmpp-server.js";
export {
  codecNameOf,
  datatypeOf,
  datatypesOf,
  featuresOf,
  jsonMessageNamespace,
  jsonNamespace,
  payloadElement,
  readPayloads,
  type Payload,
  type PayloadRefusal,
} from "./payload.js";
export { jsonToXml, xmlToJson } from "./hj.js";
export { parseXml, serializeXml, type Scope, type XmlElement, type XmlNode } from "./xml.js";
export { createJsonBoshGateway, type HttpRequestHandler, type JsonBoshGatewayOptions } from "./json-bosh.js";
