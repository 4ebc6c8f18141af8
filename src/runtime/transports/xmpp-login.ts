/**
 * Logging in to an XMPP server with @xmpp/client, for `XmppSession`: the account's JID split for the
 * client, an optional SASL mechanism forced, no reconnecting of its own, and a failure that names the JID.
 */

import { client, type XmppEntity } from "@xmpp/client";
import { JampError } from "../errors.js";
import { splitJid } from "../xmpp/stanza.js";
import type { XmppSessionOptions } from "./xmpp-session.js";

const defaultConnectTimeout = 10_000;

/**
 * The client, online as `options.jid` at `service`. Rejects with `connection-closed` naming the JID and the
 * reason (`condition: "not-authorized"` for a wrong password or an unknown account, the socket's error,
 * no answer within `connectTimeout`).
 */
export async function logIn(service: string, options: XmppSessionOptions): Promise<XmppEntity> {
  const { local, domain, resource } = splitJid(options.jid);
  const { password, mechanism } = options;
  const entity = client({
    service,
    domain,
    ...(resource === "" ? {} : { resource }),
    ...(mechanism === undefined
      ? { username: local, password }
      : { credentials: (authenticate) => authenticate({ username: local, password }, mechanism) }),
  });
  // Reconnecting is the peer's business (its opener), not the client library's.
  entity.reconnect.stop();
  let failure: (Error & { condition?: string }) | undefined;
  entity.on("error", (error) => (failure ??= error));
  const timeout = options.connectTimeout ?? defaultConnectTimeout;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      entity.start(),
      new Promise((_, reject) => (timer = setTimeout(reject, timeout, new Error(`no answer within ${timeout} ms`)))),
    ]);
  } catch (error) {
    entity.stop().catch(() => {});
    const cause = (failure ?? error) as Error & { condition?: string };
    const why = cause.condition === "not-authorized" ? "the server refused the password or the account" : cause.message;
    throw new JampError("connection-closed", `cannot log in to ${service} as ${options.jid}: ${why}`, {
      data: { jid: options.jid, service, ...(cause.condition === undefined ? {} : { condition: cause.condition }) },
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
  return entity;
}
