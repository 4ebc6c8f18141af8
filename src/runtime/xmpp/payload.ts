/**
 * XEP-0432 payloads holding XEP-0335 JSON containers, the way frames travel over XMPP:
 *
 *   <message to="calc@example.com" id="j1">
 *     <payload xmlns="urn:xmpp:json-msg:0" datatype="urn:x-jamp-gen:jamp">
 *       <json xmlns="urn:xmpp:json:0">["query",1,"/calculator","/client/1","add",[1,2]]</json>
 *     </payload>
 *   </message>
 *
 * The datatype names the codec of the frame: `urn:x-jamp-gen:` and the codec's registry name
 * (`urn:x-jamp-gen:jamp`, `…:jamp-b`, `…:jsonrpc2`, `…:jsonrpc1`, `…:soapjr`), compared as an exact string.
 * The JSON is XML text, escaped like any other; CDATA is read as text; an empty container is refused. A
 * top-level scalar is read (RFC 8259), though no codec sends one. Platform-neutral, no dependency.
 */

import { JampError } from "../errors.js";
import { enterScope, namespaceOf, splitName, xmlNamespace, type Scope, type XmlElement } from "./xml.js";

export const jsonMessageNamespace = "urn:xmpp:json-msg:0";
export const jsonNamespace = "urn:xmpp:json:0";
export const discoInfoNamespace = "http://jabber.org/protocol/disco#info";
export const stanzaErrorNamespace = "urn:ietf:params:xml:ns:xmpp-stanzas";

const datatypePrefix = "urn:x-jamp-gen:";

/** The datatype of the frames of codec `name`. */
export function datatypeOf(name: string): string {
  return `${datatypePrefix}${name}`;
}

/** The codec name a datatype of ours stands for, or `undefined` for another's datatype. */
export function codecNameOf(datatype: string): string | undefined {
  return datatype.startsWith(datatypePrefix) ? datatype.slice(datatypePrefix.length) : undefined;
}

/** The disco#info features of an entity that takes payloads of `datatypes` (XEP-0432 section 5). */
export function featuresOf(datatypes: Iterable<string>): string[] {
  return [discoInfoNamespace, jsonMessageNamespace, ...[...datatypes].map((d) => `${jsonMessageNamespace}#${d}`)];
}

/** The datatypes `features` advertise; none unless they advertise XEP-0432 itself. */
export function datatypesOf(features: readonly string[]): string[] {
  if (!features.includes(jsonMessageNamespace)) return [];
  const prefix = `${jsonMessageNamespace}#`;
  return features.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
}

/** Characters XML cannot carry; in a JSON text they can only be inside strings, where `\u` escapes them. */
const notXmlChar =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The payload element carrying the JSON text `json` as `datatype`. Characters XML cannot carry are written
 * as JSON `\u` escapes (they can only occur inside JSON strings), so the text reads back as the same value.
 * Throws `invalid-message` for an empty text.
 */
export function payloadElement(datatype: string, json: string): XmlElement {
  if (json.trim() === "") throw new JampError("invalid-message", "an empty frame cannot travel in a JSON container");
  const text = json.replace(notXmlChar, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return {
    name: "payload",
    attrs: { xmlns: jsonMessageNamespace, datatype },
    children: [{ name: "json", attrs: { xmlns: jsonNamespace }, children: [text] }],
  };
}

/** A payload read: its datatype and JSON, as text and parsed. */
export interface Payload {
  readonly datatype: string;
  readonly json: string;
  readonly value: unknown;
}

/** Why a message's payloads were not all delivered, as the stanza error that answers it says. */
export interface PayloadRefusal {
  readonly condition: "bad-request" | "feature-not-implemented";
  readonly text: string;
}

/** The namespaces in scope in a stanza of a client stream. */
export const stanzaScope: Scope = { default: "jabber:client", prefixes: new Map([["xml", xmlNamespace]]) };

/**
 * The payloads of `message` to deliver, in document order, those whose datatype `accepts` takes; and, if
 * any was not, why the first was refused: `bad-request` for a malformed payload (no datatype, not exactly
 * one `<json/>`, no or invalid JSON), `feature-not-implemented` for a datatype not taken. A message
 * without payloads gives neither.
 */
export function readPayloads(
  message: XmlElement,
  accepts: (datatype: string) => boolean,
): { readonly payloads: Payload[]; readonly refusal?: PayloadRefusal } {
  const payloads: Payload[] = [];
  let refusal: PayloadRefusal | undefined;
  const refuse = (condition: PayloadRefusal["condition"], text: string): void => void (refusal ??= { condition, text });
  let scope: Scope;
  try {
    scope = enterScope(message.attrs, stanzaScope, message.name);
  } catch (error) {
    return { payloads, refusal: { condition: "bad-request", text: (error as Error).message } };
  }
  for (const child of elementsOf(message, scope, "payload", jsonMessageNamespace, refuse)) {
    const datatype = child.element.attrs["datatype"];
    const containers = elementsOf(child.element, child.scope, "json", jsonNamespace, refuse);
    const others = child.element.children.filter((c) => typeof c !== "string").length - containers.length;
    if (typeof datatype !== "string" || datatype === "") {
      refuse("bad-request", "a payload needs a datatype");
    } else if (containers.length !== 1 || others > 0) {
      refuse("bad-request", `a payload holds exactly one <json/>, this one has ${containers.length + others} elements`);
    } else if (!accepts(datatype)) {
      refuse("feature-not-implemented", `datatype ${datatype} is not taken here`);
    } else {
      const read = readJson((containers[0] as { element: XmlElement }).element);
      if (typeof read === "string") refuse("bad-request", read);
      else payloads.push({ datatype, json: read.json, value: read.value });
    }
  }
  return refusal === undefined ? { payloads } : { payloads, refusal };
}

function elementsOf(
  parent: XmlElement,
  scope: Scope,
  local: string,
  namespace: string,
  refuse: (condition: "bad-request", text: string) => void,
): { element: XmlElement; scope: Scope }[] {
  const found: { element: XmlElement; scope: Scope }[] = [];
  for (const child of parent.children) {
    if (typeof child === "string" || splitName(child.name)[1] !== local) continue;
    try {
      const inner = enterScope(child.attrs, scope, child.name);
      if (namespaceOf(child, inner) === namespace) found.push({ element: child, scope: inner });
    } catch (error) {
      refuse("bad-request", (error as Error).message);
    }
  }
  return found;
}

/** The JSON of a `<json/>` container, or why it has none. */
function readJson(container: XmlElement): { json: string; value: unknown } | string {
  if (container.children.some((c) => typeof c !== "string")) return "a <json/> container holds text only";
  const json = container.children.join("");
  if (json.trim() === "") return "the <json/> container is empty";
  try {
    return { json, value: JSON.parse(json) };
  } catch (error) {
    return `the <json/> container holds no JSON: ${(error as Error).message}`;
  }
}
