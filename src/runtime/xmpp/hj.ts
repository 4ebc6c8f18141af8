/**
 * XMPP stanzas as JSON: the consistent ("HJ") reading of the 2010 "JSON Content Type support" proposal,
 * PROTOCOLS.md 5.4, both ways. An element E named *n* is the member `n: V` of its parent's container; a
 * top-level stanza is `{n: V}`.
 *
 *   <tag>txt</tag>                        {"tag": "txt"}          text only, no attribute, prefix or declaration
 *   <tag/>                                {"tag": ""}
 *   <ns:tag a="v" p:b="w" xmlns="d" xmlns:p="q">...</ns:tag>
 *       {"tag": {"$$": "ns", "a": "v", "b": {"$$": "p", "$": "w"}, "xmlns": {"$": "d", "@p": "q"}, "$": ...}}
 *                                          `xmlns` is a plain string when only the default is declared;
 *                                          `$` is the text, or the children container, or absent when empty
 *   container                             {"child": V, "twice": [V, V]}   by local name, in document order
 *
 * Not representable, so conversion to JSON fails: text mixed with elements, siblings of different names
 * interleaved (`<a/><b/><a/>`), two attributes with one local name, an attribute whose local name is `xmlns`.
 * Whitespace between elements does not count. Reading JSON is lenient where the proposal's examples are:
 * numbers and booleans stand for their text (`"hold": 1`), and children may sit on the element itself
 * rather than under `$` (the draft's form), as long as they cannot be read as attributes.
 */

import { JampError } from "../errors.js";
import { isRecord } from "../codecs/json.js";
import {
  enterScope,
  isNcName,
  parseXml,
  rootScope,
  splitName,
  type Scope,
  type XmlElement,
  type XmlNode,
} from "./xml.js";

/** The deepest nesting of elements converted either way. */
const maxDepth = 128;

function unrepresentable(reason: string): JampError {
  return new JampError("invalid-message", `cannot write this XML as JSON: ${reason}`);
}

function invalidJson(reason: string): JampError {
  return new JampError("invalid-message", `this JSON is no XMPP stanza: ${reason}`);
}

/** The JSON form of a stanza, given as an element or as XML text. Throws `invalid-message` (see above). */
export function xmlToJson(stanza: XmlElement | string): Record<string, unknown> {
  const element = typeof stanza === "string" ? parseXml(stanza) : stanza;
  return define({}, splitName(element.name)[1], valueOf(element, 1));
}

function valueOf(element: XmlElement, depth: number): unknown {
  if (depth > maxDepth) throw unrepresentable(`elements nest deeper than ${maxDepth} levels`);
  const [prefix] = splitName(element.name);
  const elements = element.children.filter((child): child is XmlElement => typeof child !== "string");
  const text = element.children.filter((child): child is string => typeof child === "string").join("");
  if (elements.length > 0 && /\S/.test(text)) throw unrepresentable(`<${element.name}> mixes text and elements`);
  const keys = Object.keys(element.attrs);
  if (keys.length === 0 && prefix === "" && elements.length === 0) return text;
  const value: Record<string, unknown> = {};
  if (prefix !== "") value["$$"] = prefix;
  let declarations: Record<string, string> | undefined;
  for (const key of keys) {
    const attr = String(element.attrs[key]);
    const [attrPrefix, local] = splitName(key);
    if (key === "xmlns" || attrPrefix === "xmlns") {
      declarations ??= {};
      value["xmlns"] ??= declarations;
      define(declarations, key === "xmlns" ? "$" : `@${local}`, attr);
      continue;
    }
    if (local === "xmlns" || local === "$" || local === "$$" || Object.hasOwn(value, local)) {
      throw unrepresentable(`<${element.name}> has two attributes named ${local}, or one the JSON form reserves`);
    }
    define(value, local, attrPrefix === "" ? attr : { $$: attrPrefix, $: attr });
  }
  if (declarations !== undefined && Object.keys(declarations).length === 1 && Object.hasOwn(declarations, "$")) {
    value["xmlns"] = declarations["$"];
  }
  if (elements.length > 0) value["$"] = containerOf(element.name, elements, depth);
  else if (text !== "") value["$"] = text;
  return value;
}

function containerOf(parent: string, elements: readonly XmlElement[], depth: number): Record<string, unknown> {
  const container: Record<string, unknown> = {};
  let previous: string | undefined;
  for (const child of elements) {
    const local = splitName(child.name)[1];
    const converted = valueOf(child, depth + 1);
    if (!Object.hasOwn(container, local)) define(container, local, converted);
    else if (local !== previous) throw unrepresentable(`<${parent}> has <${local}> children apart from each other`);
    else {
      const existing = container[local];
      if (Array.isArray(existing)) existing.push(converted);
      else container[local] = [existing, converted];
    }
    previous = local;
  }
  return container;
}

/**
 * The stanza a JSON form stands for (an object with one member). Throws `invalid-message` for JSON that is
 * none: a name that is no XML name, an undeclared prefix, an attribute with several values, `null`, a
 * character XML cannot carry. `scope` holds the namespaces declared around the stanza (default: `xml` only).
 */
export function jsonToXml(json: unknown, scope: Scope = rootScope): XmlElement {
  if (!isRecord(json)) throw invalidJson("a stanza is a JSON object with one member");
  const names = Object.keys(json);
  if (names.length !== 1) throw invalidJson(`a stanza is an object with one member, this one has ${names.length}`);
  const name = names[0] as string;
  return elementOf(name, json[name], scope, 1);
}

function elementOf(local: string, value: unknown, parent: Scope, depth: number): XmlElement {
  if (depth > maxDepth) throw invalidJson(`elements nest deeper than ${maxDepth} levels`);
  if (!isNcName(local)) throw invalidJson(`${JSON.stringify(local)} is not an element name`);
  const text = textOf(value);
  if (text !== undefined) return { name: local, attrs: {}, children: text === "" ? [] : [text] };
  if (!isRecord(value)) throw invalidJson(`<${local}> must be a string or an object, not ${kindOf(value)}`);
  const attrs: Record<string, string> = {};
  const drafted: [string, unknown][] = [];
  let prefix = "";
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (key === "$") continue;
    if (key === "$$") {
      if (typeof member !== "string" || !isNcName(member)) throw invalidJson(`the prefix of <${local}> must be a name`);
      prefix = member;
    } else if (key === "xmlns") {
      declare(attrs, local, member);
    } else if (!isNcName(key)) {
      throw invalidJson(`${JSON.stringify(key)} in <${local}> is not an attribute or element name`);
    } else if (textOf(member) !== undefined) {
      define(attrs, key, textOf(member) as string);
    } else if (isPrefixedAttribute(member)) {
      define(attrs, `${member["$$"]}:${key}`, textOf(member["$"]) as string);
    } else if (isRecord(member) || (Array.isArray(member) && member.every(isRecord))) {
      drafted.push([key, member]);
    } else {
      throw invalidJson(`attribute ${key} of <${local}> must be a string, not ${kindOf(member)}`);
    }
  }
  const name = prefix === "" ? local : `${prefix}:${local}`;
  const scope = enterScope(attrs, parent, name);
  const children: XmlNode[] = [];
  const content = value["$"];
  const contentText = textOf(content);
  if (contentText !== undefined) {
    if (contentText !== "") children.push(contentText);
  } else if (isRecord(content)) {
    for (const key of Object.keys(content)) addChildren(children, key, content[key], scope, depth);
  } else if (Object.hasOwn(value, "$")) {
    throw invalidJson(`the content of <${local}> must be a string or an object, not ${kindOf(content)}`);
  }
  for (const [key, member] of drafted) addChildren(children, key, member, scope, depth);
  return { name, attrs, children };
}

function addChildren(children: XmlNode[], local: string, value: unknown, scope: Scope, depth: number): void {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (Array.isArray(item)) throw invalidJson(`<${local}> holds an array inside an array`);
    children.push(elementOf(local, item, scope, depth + 1));
  }
}

function declare(attrs: Record<string, string>, local: string, declarations: unknown): void {
  if (typeof declarations === "string") {
    attrs["xmlns"] = declarations;
    return;
  }
  if (!isRecord(declarations)) throw invalidJson(`xmlns of <${local}> must be a string or an object`);
  for (const key of Object.keys(declarations)) {
    const uri = declarations[key];
    if (typeof uri !== "string") throw invalidJson(`the namespace ${key} of <${local}> must be a string`);
    if (key === "$") attrs["xmlns"] = uri;
    else if (key.startsWith("@") && isNcName(key.slice(1))) define(attrs, `xmlns:${key.slice(1)}`, uri);
    else throw invalidJson(`xmlns of <${local}> has ${JSON.stringify(key)}: "$" or "@prefix" expected`);
  }
}

function isPrefixedAttribute(value: unknown): value is { $$: string; $: unknown } {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 2 &&
    typeof value["$$"] === "string" &&
    isNcName(value["$$"]) &&
    value["$$"] !== "xmlns" &&
    textOf(value["$"]) !== undefined
  );
}

/** The text a JSON scalar stands for; numbers and booleans are taken as their text. */
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  return undefined;
}

function kindOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/** Sets `key` as an own data member, so that a name like `__proto__` stays a name. */
function define<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}
