/**
 * The strict XML of XMPP: what is read, what is refused (with the offset) and how text is written so that
 * it reads back the same.
 */
import { describe, expect, it } from "vitest";
import { parseXml, serializeXml, type XmlElement } from "../../../../src/runtime/xmpp/xml.js";

describe("parseXml", () => {
  it("reads elements, attributes, text, CDATA and references", () => {
    const root = parseXml(
      `<?xml version="1.0"?>\n<a x='1' y="&lt;&#38;&#x41;&quot;"><b>t &amp; u</b><c><![CDATA[<raw> & ]]>more</c><d/></a>\n`,
    );
    expect(root).toEqual({
      name: "a",
      attrs: { x: "1", y: '<&A"' },
      children: [
        { name: "b", attrs: {}, children: ["t & u"] },
        { name: "c", attrs: {}, children: ["<raw> & more"] },
        { name: "d", attrs: {}, children: [] },
      ],
    });
  });

  it("keeps prefixes and declarations as written", () => {
    const root = parseXml(`<s:body xmlns:s="urn:s" xml:lang="en"><s:x/></s:body>`);
    expect(root.name).toBe("s:body");
    expect(root.attrs).toEqual({ "xmlns:s": "urn:s", "xml:lang": "en" });
    expect((root.children[0] as XmlElement).name).toBe("s:x");
  });

  it("reads line ends as LF and literal white space in values as spaces, references kept", () => {
    const root = parseXml(`<a v="x\ty\nz&#10;">1\r\n2\r3</a>`);
    expect(root.attrs["v"]).toBe("x y z\n");
    expect(root.children).toEqual(["1\n2\n3"]);
  });

  it("keeps a name like __proto__ as data", () => {
    const root = parseXml(`<a __proto__="x"/>`);
    expect(Object.keys(root.attrs)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(root.attrs)).toBe(Object.prototype);
  });

  const refused: [string, string, RegExp][] = [
    ["a comment", "<a><!-- c --></a>", /no comments/],
    ["a DTD", "<!DOCTYPE a><a/>", /no DTD/],
    ["a processing instruction", "<a><?pi x?></a>", /no processing instructions/],
    ["an unknown entity", "<a>&nbsp;</a>", /unknown entity &nbsp;/],
    ["a bare ampersand", "<a>x & y</a>", /must start a reference/],
    ["a reference to a character XML forbids", "<a>&#0;</a>", /not a character XML allows/],
    ["a raw control character", "<a>\u0001</a>", /U\+0001 is not allowed/],
    ["a mismatched end tag", "<a><b></a></b>", /<\/b> expected/],
    ["an unclosed element", "<a><b></b>", /<a> is not closed/],
    ["two roots", "<a/><b/>", /content after the root element/],
    ["text outside the root", "x<a/>", /text outside the root/],
    ["a duplicate attribute", `<a x="1" x="2"/>`, /attribute x appears twice/],
    ["an unquoted value", "<a x=1/>", /must be quoted/],
    ["an undeclared prefix", "<p:a/>", /prefix p of p:a is not declared/],
    ["an undeclared attribute prefix", `<a p:x="1"/>`, /prefix p of p:x is not declared/],
    ["the xmlns prefix on an element", `<xmlns:a/>`, /reserved prefix xmlns/],
    ["an empty prefix declaration", `<a xmlns:p=""/>`, /forbid/],
    ["a name that is none", "<1a/>", /a name expected|not a valid name/],
    ["]]> in text", "<a>]]></a>", /"\]\]>" in text/],
    ["nothing", "  ", /no root element/],
  ];
  for (const [what, xml, message] of refused) {
    it(`refuses ${what}`, () => {
      let thrown: unknown;
      try {
        parseXml(xml);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ type: "invalid-message", message: expect.stringMatching(message) });
    });
  }

  it("refuses nesting past the limit", () => {
    expect(() => parseXml("<a>".repeat(5) + "</a>".repeat(5), 4)).toThrow(/deeper than 4/);
    expect(parseXml("<a>".repeat(4) + "</a>".repeat(4), 4).name).toBe("a");
  });
});

describe("serializeXml", () => {
  it("escapes text and values so that they read back the same", () => {
    const element: XmlElement = {
      name: "a",
      attrs: { v: `<"&'>\t\n\r` },
      children: ["x < y && z > ]]> \r\n", { name: "b", attrs: {}, children: [] }],
    };
    const text = serializeXml(element);
    expect(text).toBe(`<a v="&lt;&quot;&amp;'>&#9;&#10;&#13;">x &lt; y &amp;&amp; z &gt; ]]&gt; &#13;\n<b/></a>`);
    expect(parseXml(text)).toEqual(element);
  });

  it("refuses names that would inject markup, and characters XML cannot carry", () => {
    expect(() => serializeXml({ name: "a><b", attrs: {}, children: [] })).toThrow(/not an XML name/);
    expect(() => serializeXml({ name: "a", attrs: { 'x="1" y': "2" }, children: [] })).toThrow(/not an XML attribute/);
    expect(() => serializeXml({ name: "a", attrs: {}, children: ["\uFFFF"] })).toThrow(/U\+FFFF cannot be written/);
    expect(() => serializeXml({ name: "a", attrs: {}, children: ["\uD800"] })).toThrow(/U\+D800/);
  });
});
