/**
 * The JSON form of stanzas beyond the table of PROTOCOLS.md 5.5 (in `test/conformance/hj.test.ts`): what
 * each direction refuses, and that JSON from outside can never write markup of its own.
 */
import { describe, expect, it } from "vitest";
import { jsonToXml, xmlToJson } from "../../../../src/runtime/xmpp/hj.js";
import { parseXml, serializeXml } from "../../../../src/runtime/xmpp/xml.js";
import { canonicalXml } from "../../../support/xml.js";

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toMatchObject({ type: "invalid-message" });
    return (error as Error).message;
  }
  throw new Error("nothing was refused");
}

describe("xmlToJson", () => {
  it("ignores the white space between elements, never text", () => {
    expect(xmlToJson("<a>\n  <b> x </b>\n</a>")).toEqual({ a: { $: { b: " x " } } });
  });

  it("gives text beside attributes under $, and drops it when empty", () => {
    expect(xmlToJson(`<a x="1"> </a>`)).toEqual({ a: { x: "1", $: " " } });
    expect(xmlToJson(`<a x="1"></a>`)).toEqual({ a: { x: "1" } });
  });

  it("keeps a prefixed element's prefix and its children", () => {
    expect(xmlToJson(`<s:f xmlns:s="urn:s"><s:g/><h/></s:f>`)).toEqual({
      f: { $$: "s", xmlns: { "@s": "urn:s" }, $: { g: { $$: "s" }, h: "" } },
    });
  });

  const refused: [string, string, RegExp][] = [
    ["mixed content", "<p>a<b>x</b>c</p>", /mixes text and elements/],
    ["interleaved siblings", "<a><b/><c/><b/></a>", /<b> children apart/],
    ["two attributes with one local name", `<a x="1" p:x="2" xmlns:p="urn:p"/>`, /two attributes named x/],
    ["an attribute the JSON form reserves", `<a p:xmlns="1" xmlns:p="urn:p"/>`, /reserves/],
  ];
  for (const [what, xml, message] of refused) {
    it(`refuses ${what}`, () => expect(refusal(() => xmlToJson(xml))).toMatch(message));
  }

  it("keeps an element named __proto__ as a member", () => {
    const json = xmlToJson("<a><__proto__>x</__proto__></a>");
    expect(Object.keys((json["a"] as { $: object }).$)).toEqual(["__proto__"]);
    expect(JSON.parse(JSON.stringify(json))).toEqual(JSON.parse('{"a":{"$":{"__proto__":"x"}}}'));
  });
});

describe("jsonToXml", () => {
  it("reads numbers and booleans as their text", () => {
    expect(canonicalXml(jsonToXml({ a: { n: 1, b: true, $: 2.5 } }))).toEqual(
      canonicalXml(`<a n="1" b="true">2.5</a>`),
    );
  });

  it("reads arrays of children in the container and on the element (the draft's form)", () => {
    const xml = jsonToXml({ a: { $: { b: ["1", { x: "2" }] }, c: [{ y: "3" }], d: { z: "4" } } });
    expect(canonicalXml(xml)).toEqual(canonicalXml(`<a><b>1</b><b x="2"/><c y="3"/><d z="4"/></a>`));
  });

  it("declares the namespaces given, and checks every prefix against them", () => {
    const xml = jsonToXml({ a: { xmlns: { $: "urn:d", "@p": "urn:p" }, $$: "p", x: { $$: "p", $: "1" } } });
    expect(serializeXml(xml)).toBe(`<p:a xmlns="urn:d" xmlns:p="urn:p" p:x="1"/>`);
    expect(refusal(() => jsonToXml({ a: { $$: "q" } }))).toMatch(/prefix q of q:a is not declared/);
    expect(refusal(() => jsonToXml({ a: { x: { $$: "q", $: "1" } } }))).toMatch(/prefix q of q:x/);
  });

  const refused: [string, unknown, RegExp][] = [
    ["a stanza that is no object", ["a"], /JSON object with one member/],
    ["a stanza of two members", { a: "", b: "" }, /this one has 2/],
    ["null", { a: null }, /must be a string or an object, not null/],
    ["an attribute of null", { a: { x: null } }, /attribute x of <a> must be a string, not null/],
    ["an attribute with several values", { a: { x: ["1", "2"] } }, /attribute x of <a> must be a string/],
    ["an array inside an array", { a: { $: { b: [["x"]] } } }, /array inside an array/],
    ["content that is an array", { a: { x: "1", $: ["x"] } }, /content of <a>/],
    ["a name that would inject markup", { "a><script": "" }, /is not an element name/],
    [
      "an attribute name that would inject markup",
      { a: { 'x="1" onload': "2" } },
      /is not an attribute or element name/,
    ],
    ["a prefix that is no name", { a: { $$: "p:q" } }, /prefix of <a> must be a name/],
    ["an odd xmlns member", { a: { xmlns: { other: "x" } } }, /"\$" or "@prefix" expected/],
    ["the xmlns prefix", { a: { xmlns: { "@xmlns": "urn:x" } } }, /forbid/],
    ["a character XML cannot carry", { a: "\u0000" }, /U\+0000/],
  ];
  for (const [what, json, message] of refused) {
    it(`refuses ${what}`, () => expect(refusal(() => serializeXml(jsonToXml(json)))).toMatch(message));
  }

  it("refuses nesting past 128 elements, both ways", () => {
    let json: unknown = "x";
    for (let i = 0; i < 130; i++) json = { a: { $: json === "x" ? { b: "x" } : json } };
    expect(refusal(() => jsonToXml(json))).toMatch(/deeper than 128/);
    const deep = parseXml("<a>".repeat(130) + "</a>".repeat(130), 200);
    expect(refusal(() => xmlToJson(deep))).toMatch(/deeper than 128/);
  });
});
