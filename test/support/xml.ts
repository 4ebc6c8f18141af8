/**
 * XML compared the way the XMPP conversion tests need: identical up to attribute order and the white space
 * between elements (text that sits beside elements and is only white space), everything else exact.
 */
import { parseXml, type XmlElement } from "../../src/runtime/xmpp/xml.js";

/** A plain value for `toEqual`: attributes sorted, white space between elements dropped. */
export function canonicalXml(xml: XmlElement | string): unknown {
  const element = typeof xml === "string" ? parseXml(xml) : xml;
  const hasElements = element.children.some((child) => typeof child !== "string");
  return {
    name: element.name,
    attrs: Object.keys(element.attrs)
      .sort()
      .map((key) => [key, String(element.attrs[key])]),
    children: element.children
      .filter((child) => !(hasElements && typeof child === "string" && child.trim() === ""))
      .map((child) => (typeof child === "string" ? child : canonicalXml(child))),
  };
}

/**
 * The element `xml` parsed inside a wrapper declaring the prefixes of `scope`, for a case that is
 * "declared in scope" (PROTOCOLS.md 5.5, H-8).
 */
export function parseInScope(xml: string, scope: Readonly<Record<string, string>> | undefined): XmlElement {
  if (scope === undefined) return parseXml(xml);
  const declarations = Object.entries(scope)
    .map(([prefix, uri]) => ` xmlns:${prefix}="${uri}"`)
    .join("");
  return parseXml(`<wrapper${declarations}>${xml}</wrapper>`).children[0] as XmlElement;
}
