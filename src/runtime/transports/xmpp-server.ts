/**
 * The serving side of JAMP over XMPP: a session that logs in as the service's account and serves its
 * bindings to every JID that sends it payloads, one `Peer` per caller's full JID, as a WebSocket server
 * has one per connection. Its disco#info advertises XEP-0432 and the datatype of each codec it accepts.
 */

import type { FrameCodec } from "../codecs/codec.js";
import { findCodec } from "../codecs/index.js";
import { Peer, type PeerOptions } from "../peer.js";
import type { ServiceBinding } from "../service.js";
import { datatypeOf } from "../xmpp/payload.js";
import { openXmppSession, type XmppSession, type XmppSessionOptions } from "./xmpp-session.js";
import type { XmppTransport } from "./xmpp.js";

export interface XmppServeOptions extends Omit<PeerOptions, "services"> {
  readonly services: readonly ServiceBinding[];
  /**
   * Closes a caller's peer after this many ms without a frame either way, when it has no query or stream
   * open (a later message opens a new one). Default 300_000; 0 keeps them until the session ends.
   */
  readonly idleTimeout?: number | undefined;
  /** The presence priority announced (see `XmppSession.present`). Default 0. */
  readonly priority?: number | undefined;
  /**
   * Whether to serve the caller at `jid` (a full JID, which its server authenticated); the calls of others
   * bounce with `forbidden`, a `service-not-found` to them. Default every JID.
   */
  readonly allow?: ((jid: string) => boolean) | undefined;
}

export interface XmppListenOptions extends Omit<XmppSessionOptions, "onError">, XmppServeOptions {}

export interface XmppListener {
  /** The full JID served at; its bare JID reaches it too while it has the highest priority. */
  readonly jid: string;
  readonly session: XmppSession;
  /** One peer per caller's full JID; the service can query callers through them. */
  readonly peers: ReadonlySet<Peer>;
  /** Stops serving and closes every peer (1001); `listenXmpp`'s listener also logs out. */
  close(): Promise<void>;
}

const defaultIdleTimeout = 300_000;

/**
 * Serves `options.services` on `session`, and announces presence so that the account's bare JID reaches
 * it. Formats: `accept`, else `codec` alone, else every codec of the session; each caller is answered in
 * the format of its frame.
 */
export async function serveXmpp(session: XmppSession, options: XmppServeOptions): Promise<XmppListener> {
  const { idleTimeout, priority, services, allow, ...peerOptions } = options;
  const chosen = options.accept ?? (options.codec === undefined ? undefined : [options.codec]);
  const formats = chosen === undefined ? session.codecs : chosen.map((codec) => findCodec(codec) as FrameCodec);
  const transports = new Map<Peer, XmppTransport>();
  const stop = session.accept({
    datatypes: new Set(formats.map((format) => datatypeOf(format.name))),
    allows: allow,
    opened(transport) {
      const peer = new Peer(transport, { ...peerOptions, accept: formats, services });
      transports.set(peer, transport);
      void peer.closed.then(() => transports.delete(peer));
    },
  });
  const idle = idleTimeout ?? defaultIdleTimeout;
  const sweep =
    idle > 0
      ? setInterval(
          () => {
            const before = Date.now() - idle;
            for (const [peer, transport] of transports) {
              const { pending, streams } = peer.stats;
              if (transport.lastActive < before && pending === 0 && streams === 0) peer.close(1001, "idle");
            }
          },
          Math.min(idle, 60_000),
        )
      : undefined;
  // A sweep must not keep a Node process alive on its own.
  (sweep as { unref?: () => void } | undefined)?.unref?.();
  await session.present(priority);
  return {
    jid: session.jid,
    session,
    get peers() {
      return new Set(transports.keys());
    },
    async close() {
      stop();
      clearInterval(sweep);
      for (const peer of transports.keys()) peer.close(1001, "server shutting down");
    },
  };
}

/** Logs in (see `openXmppSession`) and serves (see `serveXmpp`); closing the listener logs out. */
export async function listenXmpp(service: string, options: XmppListenOptions): Promise<XmppListener> {
  const session = await openXmppSession(service, options);
  let listener: XmppListener;
  try {
    listener = await serveXmpp(session, options);
  } catch (error) {
    await session.close();
    throw error;
  }
  return {
    jid: listener.jid,
    session,
    get peers() {
      return listener.peers;
    },
    async close() {
      await listener.close();
      await session.close();
    },
  };
}
