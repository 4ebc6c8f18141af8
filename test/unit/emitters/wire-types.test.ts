import { describe, expect, it } from "vitest";
import { wireTypesOf } from "../../../src/emitters/wire-types.js";
import type { JsonSchema } from "../../../src/validators/json-schema.js";

const defs: Record<string, JsonSchema> = {
  "#/$defs/Stamp": { anyOf: [{ type: "string", format: "date-time" }, { type: "integer" }] },
  "#/$defs/Loop": { anyOf: [{ $ref: "#/$defs/Loop" }, { type: "null" }] },
};
const types = (schema: JsonSchema) => [...wireTypesOf(schema, (ref) => defs[ref])].sort();

describe("wireTypesOf", () => {
  it("reads type, const and enum, counting integer as number", () => {
    expect(types({ type: "string", pattern: "^a" })).toEqual(["string"]);
    expect(types({ type: ["integer", "null"] })).toEqual(["null", "number"]);
    expect(types({ const: "a" })).toEqual(["string"]);
    expect(types({ enum: [1, "a", null, [1], { a: 1 }, true] })).toEqual(["array", "boolean", "null", "number", "object", "string"]);
  });

  it("joins anyOf and oneOf, and intersects allOf and sibling keywords", () => {
    expect(types({ anyOf: [{ type: "string" }, { type: "array" }] })).toEqual(["array", "string"]);
    expect(types({ oneOf: [{ type: "object" }, { type: "object" }] })).toEqual(["object"]);
    expect(types({ allOf: [{ type: ["string", "number"] }, { type: "number" }] })).toEqual(["number"]);
    expect(types({ type: "string", anyOf: [{ type: "string" }, { type: "null" }] })).toEqual(["string"]);
  });

  it("follows references, and a reference met again adds nothing", () => {
    expect(types({ $ref: "#/$defs/Stamp" })).toEqual(["number", "string"]);
    expect(types({ $ref: "#/$defs/Loop" })).toEqual(["null"]);
  });

  it("allows every type for true and {}, none for false", () => {
    expect(types(true)).toHaveLength(6);
    expect(types({})).toHaveLength(6);
    expect(types(false)).toEqual([]);
  });
});
