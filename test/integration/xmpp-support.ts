/**
 * What the XMPP integration tests share: an ordinary @xmpp/client user (no jamp-gen in between) that
 * keeps every stanza it receives, and unique resources so that test files never knock each other's
 * sessions off the server.
 */
import { client, type XmppElement, type XmppEntity } from "@xmpp/client";
import { expect, inject } from "vitest";

export const prosody = inject("prosody");

/** `alice@localhost/<what>-<random>`. */
export function fullJid(user: string, what: string): string {
  return `${account(user).jid}/${what}-${Math.random().toString(36).slice(2, 8)}`;
}

export function account(user: string): { readonly jid: string; readonly password: string } {
  const found = prosody.accounts[user];
  if (found === undefined) throw new Error(`no account ${user} on the test server`);
  return found;
}

/** The login options of `user` at `jid`, over PLAIN (loopback, see SERVERS.md). */
export function login(user: string, jid = fullJid(user, "t")) {
  return { jid, password: account(user).password, mechanism: "PLAIN" } as const;
}

export interface RawUser {
  readonly entity: XmppEntity;
  readonly jid: string;
  /** Every stanza received since the login began, in order (for the conversion round trips). */
  readonly log: readonly XmppElement[];
  /** The stanzas received and not yet taken by `next`. */
  readonly received: XmppElement[];
  /** The first stanza received (now or within 5 s) that `match` accepts; it is taken out of `received`. */
  next(match: (stanza: XmppElement) => boolean): Promise<XmppElement>;
  stop(): Promise<void>;
}

/** An ordinary XMPP client logged in as `user`, recording what it receives. */
export async function rawUser(user: string, resource: string): Promise<RawUser> {
  const { password } = account(user);
  const entity = client({
    service: prosody.service,
    domain: prosody.domain,
    resource,
    credentials: (authenticate) => authenticate({ username: user, password }, "PLAIN"),
  });
  entity.reconnect.stop();
  entity.on("error", () => {});
  const log: XmppElement[] = [];
  const received: XmppElement[] = [];
  entity.on("stanza", (stanza) => {
    log.push(stanza);
    received.push(stanza);
  });
  await entity.start();
  return {
    entity,
    jid: String(entity.jid),
    log,
    received,
    async next(match) {
      for (let i = 0; i < 500; i++) {
        const index = received.findIndex(match);
        if (index >= 0) return received.splice(index, 1)[0] as XmppElement;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect.fail(`no matching stanza arrived; received: ${received.map(String).join("\n")}`);
    },
    async stop() {
      await entity.stop().catch(() => {});
    },
  };
}

/** The JSON of each XEP-0432 payload of `stanza`, with its datatype. */
export function payloadsOf(stanza: XmppElement): { datatype: string | undefined; value: unknown }[] {
  return stanza.getChildren("payload", "urn:xmpp:json-msg:0").map((payload) => ({
    datatype: payload.attrs["datatype"],
    value: JSON.parse(payload.getChild("json", "urn:xmpp:json:0")?.children.join("") ?? "null"),
  }));
}

/** The condition of a stanza error. */
export function conditionOf(stanza: XmppElement): string | undefined {
  const error = stanza.getChild("error");
  return error?.children.find((c): c is XmppElement => typeof c !== "string" && c.name !== "text")?.name;
}
