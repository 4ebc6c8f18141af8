/**
 * JAMP over XMPP, through a real server, with @xmpp/client (an optional peer dependency imported only
 * here and in `xmpp-login.ts`, reached through `jamp-gen/runtime/xmpp`). One login, an `XmppSession`,
 * carries any number of channels, each a `Transport` to one JID: a client's to the service's JID (bare
 * or with a resource), a service's to each caller's full JID. Every frame travels in a `<message/>` as a
 * XEP-0432 payload whose datatype names its codec (see `xmpp/payload.ts`); answers come back from the
 * service's full JID, and count for a channel opened to its bare JID.
 */

import { xml, type XmppElement, type XmppEntity } from "@xmpp/client";
import { isFrameCodec, type FrameCodec } from "../codecs/codec.js";
import { codecs, findCodec } from "../codecs/index.js";
import { JampError } from "../errors.js";
import type { Message, QueryId } from "../message.js";
import {
  codecNameOf,
  datatypeOf,
  datatypesOf,
  discoInfoNamespace,
  featuresOf,
  payloadElement,
  readPayloads,
  stanzaErrorNamespace,
  type PayloadRefusal,
} from "../xmpp/payload.js";
import type { XmlElement } from "../xmpp/xml.js";
import { bareJid, stanzaError } from "../xmpp/stanza.js";
import { logIn } from "./xmpp-login.js";
import { XmppTransport, type XmppFeatures } from "./xmpp.js";

export interface XmppSessionOptions {
  /** The account, with the resource to ask for if any: `alice@example.com/app`. */
  readonly jid: string;
  readonly password: string;
  /**
   * The SASL mechanism. Default the client's choice: SCRAM-SHA-1, never PLAIN on a connection without TLS.
   * `"PLAIN"` forces it, for a server on loopback (SCRAM costs about a second per login in JavaScript).
   */
  readonly mechanism?: string | undefined;
  /** Give up logging in after this many ms. Default 10_000. */
  readonly connectTimeout?: number | undefined;
  /** The codecs whose frames travel, codecs or names. Default every registered codec. */
  readonly codecs?: readonly (FrameCodec | string)[] | undefined;
  /**
   * The largest stanza sent, in bytes: a bigger frame is refused with `limit-exceeded` rather than sent, as
   * the server would drop the whole connection. Default 256 KiB, Prosody's `c2s_stanza_size_limit`.
   */
  readonly maxStanzaSize?: number | undefined;
  /** Told about payloads refused and stanza errors that answer nothing still known. Must not throw. */
  readonly onError?: ((error: JampError) => void) | undefined;
}

/**
 * A listener's part in routing: the datatypes it takes from JIDs without a channel, which JIDs it serves,
 * and what it does with the channel opened for one.
 */
export interface XmppAcceptor {
  readonly datatypes: ReadonlySet<string>;
  /** Whether to serve `jid` (a full JID, authenticated by its server); default every JID. */
  readonly allows?: ((jid: string) => boolean) | undefined;
  opened(transport: XmppTransport): void;
}

const defaultMaxStanzaSize = 256 * 1024;
/** How many calls sent are remembered, so that a stanza error can fail the one it answers. */
const remembered = 10_000;
const callKinds = new Set(["query", "stream", "send"]);

interface SentCall {
  readonly transport: XmppTransport;
  readonly codec: FrameCodec;
  readonly kind: string;
  readonly id: QueryId | undefined;
  readonly to: string;
  readonly from: string;
}

/** One login to an XMPP server, shared by channels to other JIDs and by listeners. */
export class XmppSession {
  /** The full JID the server bound. */
  readonly jid: string;
  readonly closed: Promise<JampError>;
  readonly #entity: XmppEntity;
  readonly #codecs: ReadonlyMap<string, FrameCodec>;
  readonly #maxStanzaSize: number;
  readonly #onError: ((error: JampError) => void) | undefined;
  readonly #channels = new Map<string, XmppTransport>();
  readonly #sent = new Map<string, SentCall>();
  readonly #acceptors = new Set<XmppAcceptor>();
  readonly #prefix = Math.floor(Math.random() * 2 ** 32).toString(36);
  readonly #resolveClosed: (error: JampError) => void;
  #counter = 0;
  #error: JampError | undefined;

  /** Logs in; see `openXmppSession`. */
  static async open(service: string, options: XmppSessionOptions): Promise<XmppSession> {
    // Checked before logging in, so that a wrong name leaves no connection behind.
    const list = (options.codecs ?? Object.values(codecs)).map((c) => {
      const codec = findCodec(c);
      // The datatype of a frame is found by recognising it, which a plain Codec cannot do.
      if (!isFrameCodec(codec)) throw new TypeError(`codec ${JSON.stringify(codec.name)} is no FrameCodec`);
      return codec;
    });
    const entity = await logIn(service, options);
    return new XmppSession(entity, String(entity.jid ?? options.jid), list, options);
  }

  private constructor(entity: XmppEntity, jid: string, list: readonly FrameCodec[], options: XmppSessionOptions) {
    this.#entity = entity;
    this.jid = jid;
    this.#codecs = new Map(list.map((codec) => [datatypeOf(codec.name), codec]));
    this.#maxStanzaSize = options.maxStanzaSize ?? defaultMaxStanzaSize;
    this.#onError = options.onError;
    let resolve!: (error: JampError) => void;
    this.closed = new Promise((r) => (resolve = r));
    this.#resolveClosed = resolve;
    entity.on("stanza", (stanza) => {
      try {
        this.#onStanza(stanza);
      } catch (error) {
        // A bug here must not escape into the client library's parser and end the connection.
        this.#report(new JampError("internal-error", `a stanza could not be handled: ${(error as Error).message}`));
      }
    });
    const lost = (): void => this.#shut(new JampError("connection-closed", `the XMPP connection of ${jid} was lost`));
    entity.on("disconnect", lost);
    entity.on("offline", lost);
    entity.iqCallee.get(discoInfoNamespace, "query", () => this.#discoInfo());
  }

  /** The codecs whose frames travel through this session. */
  get codecs(): readonly FrameCodec[] {
    return [...this.#codecs.values()];
  }

  /** The datatypes of the session's codecs. */
  get datatypes(): ReadonlySet<string> {
    return new Set(this.#codecs.keys());
  }

  /** Opens a channel to `jid`. Throws `connection-closed` once the session is closed, a `TypeError` if one is open. */
  connect(jid: string): XmppTransport {
    if (this.#error !== undefined) throw this.#error;
    if (this.#channels.has(jid)) throw new TypeError(`a channel to ${jid} is already open on ${this.jid}`);
    const transport = new XmppTransport(this, jid, this.datatypes, true);
    this.#channels.set(jid, transport);
    return transport;
  }

  /**
   * Serves payloads from JIDs without a channel: a channel is opened for each and handed to
   * `acceptor.opened`, and its datatypes are advertised by disco#info from now on. Returns the function
   * that stops it.
   */
  accept(acceptor: XmppAcceptor): () => void {
    this.#acceptors.add(acceptor);
    return () => void this.#acceptors.delete(acceptor);
  }

  /**
   * Tells the server this session is available (initial presence), so that messages to the account's bare
   * JID reach it; among several sessions of one account, those of the highest `priority` get them.
   */
  async present(priority = 0): Promise<void> {
    await this.#entity.send(xml("presence", {}, xml("priority", {}, String(priority))));
  }

  /**
   * The disco#info of `jid` (XEP-0030). Rejects with `service-not-found` when it cannot be asked (a bare
   * account JID is answered by its server, which tells only the account's contacts), `timeout`.
   */
  async discover(jid: string, timeout = 10_000): Promise<XmppFeatures> {
    let query: XmppElement | undefined;
    try {
      query = await this.#entity.iqCaller.get(xml("query", discoInfoNamespace), jid, timeout);
    } catch (error) {
      const { name, condition, message } = error as Error & { condition?: string };
      if (name === "TimeoutError")
        throw new JampError("timeout", `${jid} did not answer disco#info within ${timeout} ms`);
      throw stanzaError(
        jid,
        condition ?? "undefined-condition",
        condition === undefined ? message : undefined,
        "disco#info",
      );
    }
    const features = (query?.getChildren("feature") ?? []).map((f) => f.attrs["var"] ?? "");
    const known = datatypesOf(features).filter((d) => this.#codecs.has(d));
    return { jid, features, codecs: known.map((d) => codecNameOf(d) ?? d) };
  }

  /** Logs out; every channel closes with `connection-closed`. */
  async close(): Promise<void> {
    if (this.#error !== undefined) return;
    this.#shut(new JampError("connection-closed", `the XMPP session of ${this.jid} was closed`));
    try {
      await this.#entity.stop();
    } catch {
      // The connection is gone either way.
    }
  }

  /** @internal Sends one frame of `transport`. */
  post(transport: XmppTransport, frame: string): void {
    let value: unknown;
    try {
      value = JSON.parse(frame);
    } catch {
      throw new JampError("invalid-message", "an XMPP channel carries JSON frames; this one is not JSON");
    }
    const codec = [...this.#codecs.values()].find((c) => c.recognizes(value));
    if (codec === undefined) {
      const names = [...this.#codecs.values()].map((c) => c.name).join(", ");
      throw new JampError("invalid-message", `an XMPP channel carries frames of ${names}; this one is in none`);
    }
    const id = `${this.#prefix}-${++this.#counter}`;
    const stanza = toLtx({
      name: "message",
      attrs: { to: transport.remote, id },
      children: [payloadElement(datatypeOf(codec.name), frame)],
    });
    const size = new TextEncoder().encode(stanza.toString()).length;
    if (size > this.#maxStanzaSize) {
      throw new JampError(
        "limit-exceeded",
        `a frame of ${size} bytes exceeds the stanza limit of ${this.#maxStanzaSize}`,
      );
    }
    this.#remember(id, transport, codec, value);
    this.#entity.send(stanza).catch(() => {
      // The connection is failing: its "disconnect" closes every channel.
    });
  }

  /** @internal */
  forget(transport: XmppTransport): void {
    if (this.#channels.get(transport.remote) === transport) this.#channels.delete(transport.remote);
  }

  /**
   * The channel for a message from `from`: the one to that JID, else one this side opened to its bare JID
   * or to another resource of its account (a server hands a message for an unavailable resource to the
   * account's others). A listener's channels are per full JID: another resource is another caller.
   */
  #channelOf(from: string): XmppTransport | undefined {
    const found = this.#channels.get(from);
    if (found !== undefined) return found;
    const bare = bareJid(from);
    for (const transport of this.#channels.values()) {
      if (transport.initiated && bareJid(transport.remote) === bare) return transport;
    }
    return undefined;
  }

  #remember(id: string, transport: XmppTransport, codec: FrameCodec, value: unknown): void {
    let message: Message;
    try {
      const read = codec.read(value);
      if (read.kind === "batch") return;
      message = read;
    } catch {
      return;
    }
    if (!callKinds.has(message.kind)) return;
    if (this.#sent.size >= remembered) this.#sent.delete(this.#sent.keys().next().value as string);
    const callId = "id" in message ? message.id : undefined;
    this.#sent.set(id, { transport, codec, kind: message.kind, id: callId, to: message.to, from: message.from });
  }

  #onStanza(stanza: XmppElement): void {
    const from = stanza.attrs["from"];
    if (stanza.name === "presence" && stanza.attrs["type"] === "unavailable" && from !== undefined) {
      this.#channels.get(from)?.end(new JampError("connection-closed", `${from} went offline`));
      return;
    }
    if (stanza.name !== "message" || from === undefined) return;
    if (stanza.attrs["type"] === "error") {
      this.#onBounce(stanza, from);
      return;
    }
    let transport = this.#channelOf(from);
    const acceptor = transport === undefined ? [...this.#acceptors][0] : undefined;
    const datatypes = transport?.datatypes ?? acceptor?.datatypes;
    const { payloads, refusal } = readPayloads(stanza as XmlElement, (d) => datatypes?.has(d) ?? true);
    if (payloads.length > 0 && transport === undefined) {
      if (acceptor === undefined) {
        this.#refuse(stanza, from, { condition: "service-unavailable", text: `${this.jid} serves nothing` });
        return;
      }
      if (acceptor.allows?.(from) === false) {
        this.#refuse(stanza, from, { condition: "forbidden", text: `${this.jid} does not serve ${from}` });
        return;
      }
      transport = new XmppTransport(this, from, acceptor.datatypes, false);
      this.#channels.set(from, transport);
      acceptor.opened(transport);
    }
    for (const payload of payloads) {
      if ((this.#codecs.get(payload.datatype) as FrameCodec).recognizes(payload.value)) {
        transport?.deliver(payload.json);
      } else if (refusal === undefined) {
        this.#refuse(stanza, from, { condition: "bad-request", text: `the payload is no ${payload.datatype} frame` });
        return;
      }
    }
    if (refusal !== undefined) this.#refuse(stanza, from, refusal);
  }

  /** A `<message type="error">`: the call it answers fails, on its channel, with the error it carries. */
  #onBounce(stanza: XmppElement, from: string): void {
    const id = stanza.attrs["id"];
    const call = id === undefined ? undefined : this.#sent.get(id);
    const element = stanza.getChild("error");
    const condition = element?.children.find((c): c is XmppElement => typeof c !== "string" && c.name !== "text")?.name;
    const text = element?.getChild("text", stanzaErrorNamespace)?.children.join("");
    const error = stanzaError(from, condition ?? "undefined-condition", text, "the message");
    if (call === undefined) {
      this.#report(error);
      return;
    }
    this.#sent.delete(id as string);
    const body = { type: error.type, message: error.message, data: error.data };
    const answer: Message | undefined =
      call.kind === "query"
        ? { kind: "query-error", id: call.id ?? null, to: call.from, from: call.to, error: body }
        : call.kind === "stream"
          ? { kind: "stream-error", id: call.id ?? null, to: call.from, from: call.to, error: body }
          : call.codec.kinds.has("error")
            ? { kind: "error", to: call.from, from: call.to, error: body }
            : undefined;
    if (answer === undefined) this.#report(error);
    else call.transport.deliver(call.codec.encode(answer));
  }

  #refuse(stanza: XmppElement, to: string, refusal: { condition: string; text: string } | PayloadRefusal): void {
    this.#report(new JampError("invalid-message", `refused a message from ${to}: ${refusal.text}`));
    const id = stanza.attrs["id"];
    const type = refusal.condition === "bad-request" ? "modify" : "cancel";
    const answer = xml(
      "message",
      id === undefined ? { to, type: "error" } : { to, id, type: "error" },
      xml(
        "error",
        { type },
        xml(refusal.condition, stanzaErrorNamespace),
        xml("text", stanzaErrorNamespace, refusal.text),
      ),
    );
    this.#entity.send(answer).catch(() => {});
  }

  #discoInfo(): XmppElement {
    const datatypes = new Set<string>();
    for (const acceptor of this.#acceptors) for (const d of acceptor.datatypes) datatypes.add(d);
    return xml(
      "query",
      discoInfoNamespace,
      xml("identity", { category: "client", type: "bot", name: "jamp-gen" }),
      ...featuresOf(datatypes).map((feature) => xml("feature", { var: feature })),
    );
  }

  #shut(error: JampError): void {
    if (this.#error !== undefined) return;
    this.#error = error;
    this.#resolveClosed(error);
    for (const transport of [...this.#channels.values()]) transport.end(error);
    this.#sent.clear();
  }

  #report(error: JampError): void {
    try {
      this.#onError?.(error);
    } catch {
      // onError must not throw.
    }
  }
}

/**
 * Logs in to the XMPP server at `service` (`xmpp://host:5222`, or `ws://…/xmpp-websocket` where a
 * `WebSocket` exists) as `options.jid`. Rejects with `connection-closed` naming the JID and the reason
 * (`not-authorized` for a wrong password or an unknown account, the socket's error, no answer in time).
 */
export function openXmppSession(service: string, options: XmppSessionOptions): Promise<XmppSession> {
  return XmppSession.open(service, options);
}

export interface XmppConnectOptions extends XmppSessionOptions {
  /** The JID of the service: bare (`calc@example.com`), full (`calc@example.com/calculator`) or a domain. */
  readonly to: string;
  /**
   * A codec name: before resolving, ask `to` (disco#info) whether it takes that codec's datatype, and
   * reject with `service-not-found` if it does not. Default: no check.
   */
  readonly check?: string | undefined;
}

/**
 * Logs in (see `openXmppSession`) and resolves with a transport to `options.to`; closing it logs out. A
 * function of the same arguments, `() => connectXmpp(service, options)`, opens it again.
 */
export async function connectXmpp(service: string, options: XmppConnectOptions): Promise<XmppTransport> {
  const session = await openXmppSession(service, options);
  const transport = session.connect(options.to);
  transport.ownSession();
  if (options.check !== undefined) {
    try {
      const found = await transport.discover(options.connectTimeout);
      if (!found.codecs.includes(options.check)) {
        throw new JampError("service-not-found", `${options.to} does not take ${datatypeOf(options.check)} payloads`, {
          data: { jid: options.to, features: found.features },
        });
      }
    } catch (error) {
      transport.close();
      throw error;
    }
  }
  return transport;
}

function toLtx(element: XmlElement): XmppElement {
  return xml(
    element.name,
    { ...element.attrs },
    ...element.children.map((c) => (typeof c === "string" ? c : toLtx(c))),
  );
}
