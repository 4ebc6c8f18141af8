/**
 * Frames as XEP-0432 payloads beyond the cases of PROTOCOLS.md 4.5 (in `test/conformance/xep0432.test.ts`):
 * the datatype of each codec, characters XML cannot carry, prefixed payloads, and what disco#info says.
 */
import { describe, expect, it } from "vitest";
import { codecs } from "../../../../src/runtime/codecs/index.js";
import {
  codecNameOf,
  datatypeOf,
  datatypesOf,
  featuresOf,
  payloadElement,
  readPayloads,
} from "../../../../src/runtime/xmpp/payload.js";
import { parseXml, serializeXml } from "../../../../src/runtime/xmpp/xml.js";

function roundTrip(json: string): unknown {
  const text = serializeXml({ name: "message", attrs: {}, children: [payloadElement("urn:t", json)] });
  const { payloads, refusal } = readPayloads(parseXml(text), () => true);
  expect(refusal).toBeUndefined();
  return payloads[0]?.value;
}

describe("payloads", () => {
  it("names each registered codec by a datatype of its own, read back to its name", () => {
    const names = Object.keys(codecs);
    expect(names.map(datatypeOf)).toEqual([
      "urn:x-jamp-gen:jamp",
      "urn:x-jamp-gen:jamp-b",
      "urn:x-jamp-gen:jsonrpc2",
      "urn:x-jamp-gen:jsonrpc1",
      "urn:x-jamp-gen:soapjr",
    ]);
    expect(names.map(datatypeOf).map(codecNameOf)).toEqual(names);
    expect(codecNameOf("urn:example:foo")).toBeUndefined();
  });

  it("carries characters XML cannot as JSON escapes, so the value reads back the same", () => {
    const value = { s: "a\uFFFE\uFFFF\uD800z\uDC00", pair: "\uD83D\uDE00", tab: "\t" };
    expect(roundTrip(JSON.stringify(value))).toEqual(value);
    // A frame written by hand may hold raw control characters inside strings: they travel escaped too.
    expect(roundTrip('{"c":"\u0001"}')).toEqual({ c: "\u0001" });
  });

  it("refuses to write an empty container", () => {
    expect(() => payloadElement("urn:t", "  ")).toThrow(expect.objectContaining({ type: "invalid-message" }));
  });

  it("reads payloads and containers by namespace, whatever their prefix", () => {
    const xml =
      `<message xmlns:u="urn:xmpp:json-msg:0" xmlns:j="urn:xmpp:json:0">` +
      `<u:payload datatype="urn:t"><j:json>[1]</j:json></u:payload>` +
      `<payload datatype="urn:t"><json xmlns="urn:xmpp:json:0">[2]</json></payload>` +
      `</message>`;
    const { payloads } = readPayloads(parseXml(xml), () => true);
    // The second <payload/> is in jabber:client, not XEP-0432's namespace: it is no payload.
    expect(payloads.map((p) => p.value)).toEqual([[1]]);
  });

  it("refuses a payload holding more than the container", () => {
    const xml = `<message><payload xmlns="urn:xmpp:json-msg:0" datatype="urn:t"><json xmlns="urn:xmpp:json:0">[1]</json><x/></payload></message>`;
    expect(readPayloads(parseXml(xml), () => true).refusal).toMatchObject({ condition: "bad-request" });
  });

  it("reads nothing, and refuses nothing, in a message without payloads", () => {
    expect(readPayloads(parseXml("<message><body>hi</body></message>"), () => true)).toEqual({ payloads: [] });
  });

  it("advertises XEP-0432 and one feature per datatype, and reads them back", () => {
    const features = featuresOf(["urn:a", "urn:b"]);
    expect(features).toEqual([
      "http://jabber.org/protocol/disco#info",
      "urn:xmpp:json-msg:0",
      "urn:xmpp:json-msg:0#urn:a",
      "urn:xmpp:json-msg:0#urn:b",
    ]);
    expect(datatypesOf(features)).toEqual(["urn:a", "urn:b"]);
    expect(datatypesOf(features.filter((f) => f !== "urn:xmpp:json-msg:0"))).toEqual([]);
  });
});
