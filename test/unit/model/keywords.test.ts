import { describe, expect, it } from "vitest";
import { asInteger } from "../../../src/kinds/integer.js";
import { annotate } from "../../../src/model/keywords.js";

describe("annotate", () => {
  it("puts the description first and the keywords after the type's schema", () => {
    expect(Object.entries(annotate({ type: "string" }, "A name.", { minLength: 1, title: "Name" }))).toEqual([
      ["description", "A name."],
      ["type", "string"],
      ["minLength", 1],
      ["title", "Name"],
    ]);
  });

  it("keeps keywords beside a $ref, as draft 2020-12 allows", () => {
    expect(annotate({ $ref: "#/$defs/Percent" }, undefined, { exclusiveMaximum: 100 })).toEqual({ $ref: "#/$defs/Percent", exclusiveMaximum: 100 });
  });

  it("moves the type's schema under allOf when a keyword would replace one of its own", () => {
    expect(annotate({ type: "string", format: "date-time" }, "When.", { format: "date" })).toEqual({ description: "When.", allOf: [{ type: "string", format: "date-time" }], format: "date" });
  });

  it("returns the schema itself when there is nothing to add", () => {
    const schema = { type: "number" } as const;
    expect(annotate(schema, "", {})).toBe(schema);
    expect(annotate(schema, undefined, undefined)).toBe(schema);
  });
});

describe("asInteger", () => {
  it("turns a number, and the number of a union, into an integer", () => {
    expect(asInteger({ kind: "number" })).toEqual({ kind: "integer" });
    expect(asInteger({ kind: "union", members: [{ kind: "number" }, { kind: "null" }] })).toEqual({ kind: "union", members: [{ kind: "integer" }, { kind: "null" }] });
    expect(asInteger({ kind: "integer", brand: "{ readonly __integer: true }" })).toEqual({ kind: "integer", brand: "{ readonly __integer: true }" });
  });

  it("has nothing to say of a type that holds no number", () => {
    expect(asInteger({ kind: "string" })).toBeUndefined();
    expect(asInteger({ kind: "array", items: { kind: "number" }, readonly: false })).toBeUndefined();
    expect(asInteger({ kind: "ref", name: "Count" })).toBeUndefined();
  });
});
