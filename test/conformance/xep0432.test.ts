/**
 * PROTOCOLS.md 4.5: XEP-0432 payloads holding XEP-0335 containers, read and written without a server, from
 * `xep0432.jsonl`. The same cases over a real Prosody are in `test/integration/xmpp.integration.test.ts`.
 */
import { describe, expect, it } from "vitest";
import { featuresOf, payloadElement, readPayloads } from "../../src/runtime/xmpp/payload.js";
import { parseXml, serializeXml } from "../../src/runtime/xmpp/xml.js";
import { readCases } from "./support.js";

interface XepCase {
  readonly case: string;
  /** A message as received. */
  readonly xml?: string;
  /** A value our sender writes as a payload, read back from its XML text. */
  readonly send?: { readonly datatype: string; readonly value: unknown };
  /** What the XML text written must contain. */
  readonly wireContains?: readonly string[];
  readonly accepts?: readonly string[];
  readonly delivered?: readonly { readonly datatype: string; readonly value: unknown }[];
  readonly refusal?: string;
  /** Datatypes listened for, and the disco#info features that must follow. */
  readonly listening?: readonly string[];
  readonly features?: readonly string[];
}

const cases = readCases<XepCase>("xep0432.jsonl");

describe("XEP-0432 payloads, PROTOCOLS.md 4.5", () => {
  it("has every case of the table", () => {
    expect(cases.map((c) => c.case)).toEqual(Array.from({ length: 10 }, (_, i) => `X-${i + 1}`));
  });

  for (const c of cases) {
    it(c.case, () => {
      if (c.listening !== undefined) {
        expect(featuresOf(c.listening)).toEqual(expect.arrayContaining([...(c.features ?? [])]));
        return;
      }
      let text = c.xml ?? "";
      if (c.send !== undefined) {
        const payload = payloadElement(c.send.datatype, JSON.stringify(c.send.value));
        text = serializeXml({ name: "message", attrs: { to: "bob@example.com" }, children: [payload] });
        for (const fragment of c.wireContains ?? []) expect(text).toContain(fragment);
      }
      const accepts = new Set(c.accepts);
      const { payloads, refusal } = readPayloads(parseXml(text), (datatype) => accepts.has(datatype));
      expect(payloads.map(({ datatype, value }) => ({ datatype, value }))).toEqual(c.delivered);
      expect(refusal?.condition).toBe(c.refusal);
    });
  }
});
