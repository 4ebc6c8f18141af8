/**
 * JAMP over XMPP: the `Transport` to one JID. Frames go out, and come in, through the `XmppSession` (one
 * login to an XMPP server, `xmpp-session.ts`) that opened it; closing a transport that `connectXmpp`
 * logged in for logs out.
 */

import type { JampError } from "../errors.js";
import { FrameQueue, connectionClosed } from "./frame-queue.js";
import type { Transport } from "./transport.js";
import type { XmppSession } from "./xmpp-session.js";

/** What `discover` learnt from a JID's disco#info. */
export interface XmppFeatures {
  readonly jid: string;
  readonly features: readonly string[];
  /** The names of the codecs of this session whose datatypes the JID advertises. */
  readonly codecs: readonly string[];
}

/**
 * A `Transport` to one JID through an `XmppSession`. `send` throws `invalid-message` for a frame in none of
 * the session's codecs and `limit-exceeded` for one too big for a stanza; a `<message type="error">`
 * answering a query (the JID is unknown or offline, the server refused the payload) arrives as that
 * query's error: `service-not-found` (or, by condition, `invalid-message`, `limit-exceeded`,
 * `internal-error`) with `data: {jid, condition, text?}`.
 */
export class XmppTransport implements Transport {
  /** Where frames go: the JID given, or the caller's full JID on a service's side. */
  readonly remote: string;
  /** The codecs whose datatypes this channel takes. */
  readonly datatypes: ReadonlySet<string>;
  /** Whether this side opened the channel (`connect`), rather than a listener for a caller. */
  readonly initiated: boolean;
  readonly #session: XmppSession;
  readonly #inbox = new FrameQueue();
  /** Closes the session too, for a transport `connectXmpp` logged in for. */
  #ownsSession = false;
  /** When a frame last went either way, for a listener's idle channels. */
  lastActive = Date.now();

  constructor(session: XmppSession, remote: string, datatypes: ReadonlySet<string>, initiated: boolean) {
    this.#session = session;
    this.remote = remote;
    this.datatypes = datatypes;
    this.initiated = initiated;
  }

  get session(): XmppSession {
    return this.#session;
  }

  get closed(): Promise<JampError> {
    return this.#inbox.closed;
  }

  send(frame: string): void {
    const error = this.#inbox.error;
    if (error !== undefined) throw error;
    this.#session.post(this, frame);
    this.lastActive = Date.now();
  }

  receive(): Promise<string> {
    return this.#inbox.take();
  }

  close(code = 1000, reason = ""): void {
    if (this.#inbox.error !== undefined) return;
    this.end(connectionClosed(`the XMPP channel to ${this.remote} was closed locally`, code, reason));
    if (this.#ownsSession) void this.#session.close();
  }

  /** What the remote JID advertises (see `XmppSession.discover`). */
  discover(timeout?: number): Promise<XmppFeatures> {
    return this.#session.discover(this.remote, timeout);
  }

  /** @internal Hands a frame received to the reader. */
  deliver(frame: string): void {
    this.lastActive = Date.now();
    this.#inbox.push(frame);
  }

  /** @internal Closes the channel with `error`, and forgets it. */
  end(error: JampError): void {
    this.#inbox.close(error);
    this.#session.forget(this);
  }

  /** @internal */
  ownSession(): void {
    this.#ownsSession = true;
  }
}
