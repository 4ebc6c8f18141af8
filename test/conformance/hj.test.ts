/**
 * PROTOCOLS.md 5.5: XMPP stanzas and their JSON form under the consistent ("HJ") reading of the "JSON
 * Content Type support" proposal, both directions, from `hj.jsonl`; plus the two documents of 5.4 (the
 * corrected BOSH request is H-11; the draft's server response) and the XEP-0432 message of 5.5.
 */
import { describe, expect, it } from "vitest";
import { jsonToXml, xmlToJson } from "../../src/runtime/xmpp/hj.js";
import { xmlNamespace } from "../../src/runtime/xmpp/xml.js";
import { canonicalXml, parseInScope } from "../support/xml.js";
import { readCases } from "./support.js";

interface HjCase {
  readonly case: string;
  readonly xml: string;
  readonly json?: unknown;
  /** Other JSON that reads as `xml` too (the draft's own form). */
  readonly alsoReads?: readonly unknown[];
  /** JSON that reads as `xml`, and then writes back as `json`. */
  readonly reads?: unknown;
  /** Prefixes declared around the element. */
  readonly scope?: Readonly<Record<string, string>>;
  /** Set when the XML has no JSON form. */
  readonly error?: string;
}

const cases = readCases<HjCase>("hj.jsonl");

function scopeOf(prefixes: Readonly<Record<string, string>> | undefined) {
  return { default: "", prefixes: new Map([["xml", xmlNamespace], ...Object.entries(prefixes ?? {})]) };
}

describe("the HJ reading, PROTOCOLS.md 5.5", () => {
  it("has every case of the table", () => {
    const names = cases.map((c) => c.case);
    for (let i = 1; i <= 13; i++) expect(names).toContain(`H-${i}`);
  });

  for (const c of cases) {
    if (c.error !== undefined) {
      it(`${c.case}: ${c.xml} has no JSON form`, () => {
        expect(() => xmlToJson(c.xml)).toThrow(expect.objectContaining({ type: "invalid-message" }));
      });
      continue;
    }
    it(`${c.case}: XML to JSON`, () => {
      expect(xmlToJson(parseInScope(c.xml, c.scope))).toEqual(c.json);
    });
    it(`${c.case}: JSON to XML`, () => {
      const expected = canonicalXml(parseInScope(c.xml, c.scope));
      expect(canonicalXml(jsonToXml(c.json, scopeOf(c.scope)))).toEqual(expected);
      for (const other of c.alsoReads ?? []) expect(canonicalXml(jsonToXml(other, scopeOf(c.scope)))).toEqual(expected);
      if (c.reads !== undefined) {
        const read = jsonToXml(c.reads, scopeOf(c.scope));
        expect(canonicalXml(read)).toEqual(expected);
        expect(xmlToJson(read)).toEqual(c.json);
      }
    });
  }
});
