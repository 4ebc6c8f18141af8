/**
 * JIDs and stanza errors, for the XMPP transport: what a stanza error means to a caller, as a `JampError`.
 * Platform-neutral, no dependency.
 */

import { JampError } from "../errors.js";

/** What a stanza error from the XMPP server means to the caller, by condition; else `service-not-found`. */
const typeOfCondition = new Map([
  ["bad-request", "invalid-message"],
  ["not-acceptable", "invalid-message"],
  ["resource-constraint", "limit-exceeded"],
  ["policy-violation", "limit-exceeded"],
  ["internal-server-error", "internal-error"],
  ["undefined-condition", "internal-error"],
]);

/** The error a stanza error of `condition` from `jid` stands for. */
export function stanzaError(jid: string, condition: string, text: string | undefined, what: string): JampError {
  const type = typeOfCondition.get(condition) ?? "service-not-found";
  const detail = text === undefined || text === "" ? "" : `: ${text}`;
  return new JampError(type, `${what} to ${jid} was refused with ${condition}${detail}`, {
    data: text === undefined ? { jid, condition } : { jid, condition, text },
  });
}

/** The parts of an account JID, `user@domain/resource` (the resource `""` when absent). */
export function splitJid(jid: string): { local: string; domain: string; resource: string } {
  const slash = jid.indexOf("/");
  const bare = slash < 0 ? jid : jid.slice(0, slash);
  const at = bare.indexOf("@");
  if (at <= 0 || at === bare.length - 1) throw new TypeError(`${JSON.stringify(jid)} is no account JID (user@domain)`);
  return { local: bare.slice(0, at), domain: bare.slice(at + 1), resource: slash < 0 ? "" : jid.slice(slash + 1) };
}

/** `user@domain` of `user@domain/resource`. */
export function bareJid(jid: string): string {
  const slash = jid.indexOf("/");
  return slash < 0 ? jid : jid.slice(0, slash);
}
