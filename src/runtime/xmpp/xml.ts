/**
 * The XML that XMPP speaks, read and written strictly: elements, attributes, text, CDATA and the five
 * predefined entities plus character references. RFC 6120 (11.1) forbids the rest in XMPP (comments,
 * processing instructions, DTDs, other entities), so this refuses them, as a server would. An element
 * keeps names as written (`stream:features`) and namespace declarations as attributes (`xmlns:stream`):
 * the JSON form of PROTOCOLS.md 5.4 is about exactly those. Platform-neutral: no Node module, no dependency.
 */

import { JampError } from "../errors.js";

/** One element: its qualified name, its attributes by qualified name (declarations too), its content. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

/** Text is a string; consecutive text and CDATA sections make one string. */
export type XmlNode = XmlElement | string;

export const xmlNamespace = "http://www.w3.org/XML/1998/namespace";

/** The deepest nesting `parseXml` accepts, the root counting as 1. */
export const defaultMaxXmlDepth = 128;

const nameStart =
  "A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D" +
  "\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
const nameRest = `${nameStart}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040`;
const ncName = `[${nameStart}][${nameRest}]*`;
const ncNamePattern = new RegExp(`^${ncName}$`, "u");
const qNamePattern = new RegExp(`^(?:${ncName}:)?${ncName}$`, "u");
/** A name where a tag or attribute starts (checked as a QName afterwards). */
const nameAt = new RegExp(`[${nameStart}:][${nameRest}:]*`, "uy");
/** Characters XML 1.0 does not allow at all, even as references: controls, U+FFFE/F, lone surrogates. */
const notXmlChar =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const entities: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Whether `name` is an XML name without a colon (a local name or a prefix). */
export function isNcName(name: string): boolean {
  return ncNamePattern.test(name);
}

/** Whether `name` is `local` or `prefix:local`. */
export function isQName(name: string): boolean {
  return qNamePattern.test(name);
}

/** `[prefix, local]` of a qualified name; the prefix is `""` when there is none. */
export function splitName(name: string): [prefix: string, local: string] {
  const colon = name.indexOf(":");
  return colon < 0 ? ["", name] : [name.slice(0, colon), name.slice(colon + 1)];
}

function notWellFormed(reason: string, offset?: number): JampError {
  const where = offset === undefined ? "" : ` at offset ${offset}`;
  return new JampError("invalid-message", `not well-formed XML${where}: ${reason}`);
}

/**
 * The root element of `text`, a whole document (an XML declaration may come first; whitespace may
 * surround the root). Throws `invalid-message` naming the offset for anything not well-formed, for XML that
 * XMPP forbids, for an undeclared prefix, and past `maxDepth` nested elements.
 */
export function parseXml(text: string, maxDepth = defaultMaxXmlDepth): XmlElement {
  const bad = notXmlChar.exec(text);
  if (bad !== null) throw notWellFormed(`character U+${charCode(bad[0])} is not allowed in XML`, bad.index);
  // XML reads CR LF and a lone CR as LF.
  const s = text.replace(/\r\n?/g, "\n");
  let pos = s.startsWith("\uFEFF") ? 1 : 0;
  if (s.startsWith("<?xml", pos) && /\s/.test(s.charAt(pos + 5))) {
    const end = s.indexOf("?>", pos);
    if (end < 0) throw notWellFormed("the XML declaration does not end", pos);
    pos = end + 2;
  }
  const stack: { name: string; attrs: Record<string, string>; children: XmlNode[]; scope: Scope }[] = [];
  let root: XmlElement | undefined;
  while (pos < s.length) {
    const lt = s.indexOf("<", pos);
    const textEnd = lt < 0 ? s.length : lt;
    if (textEnd > pos) {
      const raw = s.slice(pos, textEnd);
      const top = stack.at(-1);
      if (top === undefined) {
        if (/\S/.test(raw)) throw notWellFormed("text outside the root element", pos);
      } else {
        if (raw.includes("]]>")) throw notWellFormed('"]]>" in text', pos + raw.indexOf("]]>"));
        appendText(top.children, decodeReferences(raw, pos));
      }
      pos = textEnd;
      continue;
    }
    if (s.startsWith("</", pos)) {
      nameAt.lastIndex = pos + 2;
      const name = nameAt.exec(s)?.[0];
      const top = stack.pop();
      if (name === undefined || top === undefined || name !== top.name) {
        throw notWellFormed(top === undefined ? "an end tag without a start tag" : `</${top.name}> expected`, pos);
      }
      pos = expect(s, skipSpace(s, pos + 2 + name.length), ">");
      const element: XmlElement = { name: top.name, attrs: top.attrs, children: top.children };
      const parent = stack.at(-1);
      if (parent === undefined) root = element;
      else parent.children.push(element);
      if (parent === undefined) break;
      continue;
    }
    if (s.startsWith("<![CDATA[", pos)) {
      const top = stack.at(-1);
      const end = s.indexOf("]]>", pos);
      if (top === undefined) throw notWellFormed("CDATA outside the root element", pos);
      if (end < 0) throw notWellFormed("a CDATA section does not end", pos);
      appendText(top.children, s.slice(pos + 9, end));
      pos = end + 3;
      continue;
    }
    if (s.startsWith("<!--", pos)) throw notWellFormed("XMPP allows no comments", pos);
    if (s.startsWith("<!", pos)) throw notWellFormed("XMPP allows no DTD", pos);
    if (s.startsWith("<?", pos)) throw notWellFormed("XMPP allows no processing instructions", pos);
    const tag = readStartTag(s, pos);
    const parent = stack.at(-1);
    const scope = enterScope(tag.attrs, parent?.scope ?? rootScope, tag.name, pos);
    const children: XmlNode[] = [];
    if (tag.empty) {
      const element: XmlElement = { name: tag.name, attrs: tag.attrs, children };
      if (parent === undefined) root = element;
      else parent.children.push(element);
    } else {
      if (stack.length >= maxDepth) throw notWellFormed(`elements nest deeper than ${maxDepth} levels`, pos);
      stack.push({ name: tag.name, attrs: tag.attrs, children, scope });
    }
    pos = tag.end;
    if (root !== undefined && stack.length === 0) break;
  }
  if (root === undefined) {
    throw notWellFormed(stack.length === 0 ? "no root element" : `<${stack.at(-1)?.name ?? ""}> is not closed`);
  }
  if (/\S/.test(s.slice(pos))) throw notWellFormed("content after the root element", pos + s.slice(pos).search(/\S/));
  return root;
}

function readStartTag(
  s: string,
  start: number,
): { name: string; attrs: Record<string, string>; empty: boolean; end: number } {
  const name = readName(s, start + 1);
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  let pos = start + 1 + name.length;
  for (;;) {
    const after = skipSpace(s, pos);
    if (s.startsWith("/>", after)) return { name, attrs: plain(attrs), empty: true, end: after + 2 };
    if (s.charAt(after) === ">") return { name, attrs: plain(attrs), empty: false, end: after + 1 };
    if (after === pos) throw notWellFormed(`space, ">" or "/>" expected in <${name}>`, pos);
    const attr = readName(s, after);
    if (Object.hasOwn(attrs, attr)) throw notWellFormed(`attribute ${attr} appears twice in <${name}>`, after);
    pos = expect(s, skipSpace(s, after + attr.length), "=");
    pos = skipSpace(s, pos);
    const quote = s.charAt(pos);
    if (quote !== '"' && quote !== "'") throw notWellFormed(`the value of ${attr} must be quoted`, pos);
    const end = s.indexOf(quote, pos + 1);
    if (end < 0) throw notWellFormed(`the value of ${attr} does not end`, pos);
    const raw = s.slice(pos + 1, end);
    if (raw.includes("<")) throw notWellFormed(`"<" in the value of ${attr}`, pos + 1 + raw.indexOf("<"));
    // Literal white space in a value reads as spaces; references keep what they stand for.
    attrs[attr] = decodeReferences(raw.replace(/[\t\n]/g, " "), pos + 1);
    pos = end + 1;
  }
}

function readName(s: string, pos: number): string {
  nameAt.lastIndex = pos;
  const name = nameAt.exec(s)?.[0];
  if (name === undefined) throw notWellFormed("a name expected", pos);
  if (!isQName(name)) throw notWellFormed(`${name} is not a valid name`, pos);
  return name;
}

function skipSpace(s: string, pos: number): number {
  while (pos < s.length && " \t\n".includes(s.charAt(pos))) pos++;
  return pos;
}

function expect(s: string, pos: number, what: string): number {
  if (!s.startsWith(what, pos)) throw notWellFormed(`"${what}" expected`, pos);
  return pos + what.length;
}

function appendText(children: XmlNode[], text: string): void {
  if (text === "") return;
  const last = children.length - 1;
  if (typeof children[last] === "string") children[last] += text;
  else children.push(text);
}

function decodeReferences(raw: string, offset: number): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&([^;&]*);?/g, (whole, body: string, at: number) => {
    if (!whole.endsWith(";")) throw notWellFormed('"&" must start a reference ending in ";"', offset + at);
    const predefined = entities[body];
    if (predefined !== undefined) return predefined;
    const code = /^#x[0-9a-fA-F]+$/.test(body)
      ? parseInt(body.slice(2), 16)
      : /^#[0-9]+$/.test(body)
        ? parseInt(body.slice(1), 10)
        : undefined;
    if (code === undefined) throw notWellFormed(`unknown entity &${body};`, offset + at);
    const char = code <= 0x10ffff ? String.fromCodePoint(code) : "\uFFFF";
    if (notXmlChar.test(char)) throw notWellFormed(`&${body}; is not a character XML allows`, offset + at);
    return char;
  });
}

function charCode(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
}

/** A plain object with the members of a null-prototype one, so that `__proto__` stays a name. */
function plain(record: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of Object.keys(record)) {
    Object.defineProperty(result, key, { value: record[key], enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** The namespaces in scope at an element: the default one, and each prefix's. */
export interface Scope {
  readonly default: string;
  readonly prefixes: ReadonlyMap<string, string>;
}

/** Outside any element: the `xml` prefix only, and no default namespace. */
export const rootScope: Scope = { default: "", prefixes: new Map([["xml", xmlNamespace]]) };

/**
 * The scope inside an element with `attrs`, given its parent's; throws `invalid-message` when the element
 * or one of its attributes uses an undeclared prefix, or a declaration is one XML namespaces forbid.
 */
export function enterScope(
  attrs: Readonly<Record<string, string>>,
  parent: Scope,
  name: string,
  offset?: number,
): Scope {
  let scope = parent;
  for (const key of Object.keys(attrs)) {
    const value = attrs[key] as string;
    if (key === "xmlns") {
      scope = { default: value, prefixes: scope.prefixes };
    } else if (key.startsWith("xmlns:")) {
      const prefix = key.slice(6);
      if (prefix === "xmlns" || (prefix === "xml") !== (value === xmlNamespace) || value === "") {
        throw notWellFormed(`<${name}> declares ${key}="${value}", which XML namespaces forbid`, offset);
      }
      scope = { default: scope.default, prefixes: new Map(scope.prefixes).set(prefix, value) };
    }
  }
  if (splitName(name)[0] === "xmlns") throw notWellFormed(`element <${name}> uses the reserved prefix xmlns`, offset);
  for (const qualified of [name, ...Object.keys(attrs)]) {
    const [prefix] = splitName(qualified);
    if (prefix !== "" && prefix !== "xmlns" && !scope.prefixes.has(prefix)) {
      throw notWellFormed(`prefix ${prefix} of ${qualified} is not declared`, offset);
    }
  }
  return scope;
}

/** The namespace of an element whose own scope (see `enterScope`) is `scope`. */
export function namespaceOf(element: XmlElement, scope: Scope): string {
  const [prefix] = splitName(element.name);
  return prefix === "" ? scope.default : (scope.prefixes.get(prefix) ?? "");
}

/**
 * The XML text of `element`. Escapes what must be (`&`, `<`, `>` in text, quotes in values, line ends as
 * references so they survive), and throws `invalid-message` for a name that is not a QName or a
 * character XML cannot carry, rather than write XML that a parser would refuse.
 */
export function serializeXml(element: XmlElement): string {
  if (!isQName(element.name))
    throw new JampError("invalid-message", `${JSON.stringify(element.name)} is not an XML name`);
  let out = `<${element.name}`;
  for (const key of Object.keys(element.attrs)) {
    if (!isQName(key)) throw new JampError("invalid-message", `${JSON.stringify(key)} is not an XML attribute name`);
    out += ` ${key}="${escape(String(element.attrs[key]), /[&<"\t\n\r]/g)}"`;
  }
  if (element.children.length === 0) return `${out}/>`;
  out += ">";
  for (const child of element.children) {
    out += typeof child === "string" ? escape(child, /[&<>\r]/g) : serializeXml(child);
  }
  return `${out}</${element.name}>`;
}

const escapes: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

function escape(text: string, pattern: RegExp): string {
  const bad = notXmlChar.exec(text);
  if (bad !== null) {
    throw new JampError("invalid-message", `character U+${charCode(bad[0])} cannot be written in XML`);
  }
  return text.replace(pattern, (char) => escapes[char] as string);
}
