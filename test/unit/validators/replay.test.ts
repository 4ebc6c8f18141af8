/**
 * A def's functions are generated once and replayed in the next module holding the same def
 * (compile.ts): the module then reads exactly as if it had generated them itself, whatever else it
 * claimed first (constants, hoisted functions) and whatever it calls the defs involved.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { compileValidators, forgetGeneratedDefs, type ValidatorRoot } from "../../../src/validators/compile.js";
import type { JsonSchema } from "../../../src/validators/json-schema.js";
import { ModuleBuilder } from "../../../src/validators/module.js";
import { cases } from "./cases.js";

const shared: Record<string, JsonSchema> = {
  Tree: { type: "object", properties: { value: { type: "number" }, children: { type: "array", items: { $ref: "#/$defs/Tree" } } }, required: ["value"], additionalProperties: false },
  Circle: { type: "object", properties: { kind: { const: "circle" }, radius: { type: "number", exclusiveMinimum: 0 } }, required: ["kind", "radius"], additionalProperties: false },
  Square: { type: "object", properties: { kind: { const: "square" }, side: { type: "number" } }, required: ["kind", "side"], additionalProperties: false },
  Shape: { oneOf: [{ $ref: "#/$defs/Circle" }, { $ref: "#/$defs/Square" }] },
  Code: { type: "string", pattern: "^[A-Z]{2}-[0-9]+$" },
  Item: {
    type: "object",
    properties: { code: { $ref: "#/$defs/Code" }, tags: { type: "array", items: { enum: ["a", "b"] } }, shape: { anyOf: [{ $ref: "#/$defs/Shape" }, { type: "null" }] } },
    required: ["code"],
    additionalProperties: false,
  },
};

/** Defs that claim names before the shared ones: constants of the same kinds, and names that sanitize alike. */
const neighbours: Record<string, JsonSchema>[] = [
  {},
  { AAA: { type: "object", properties: { x: { type: "string", pattern: "^x" } }, required: ["x"], additionalProperties: false } },
  { "Tree!": { type: "array", items: { enum: ["a", "b"] } }, Tre: { anyOf: [{ type: "string" }, { type: "object", properties: { a: { type: "number" } }, additionalProperties: false }] } },
  { "Item-": { $ref: "#/$defs/Item" }, A1: { type: "object", properties: { code: { type: "string" }, tags: { type: "number" } }, additionalProperties: false } },
];

const roots = (defs: Record<string, JsonSchema>): ValidatorRoot[] => Object.keys(defs).map((name, i) => ({ name: `root${i}`, schema: { $ref: `#/$defs/${name.replaceAll("~", "~0").replaceAll("/", "~1")}` } }));

afterEach(() => forgetGeneratedDefs());

describe("compiling defs another module generated", () => {
  it("gives each module the code it would generate alone", () => {
    const replays = vi.spyOn(ModuleBuilder.prototype, "replay");
    for (const first of neighbours) {
      for (const second of neighbours) {
        const defs = { ...shared, ...second };
        forgetGeneratedDefs();
        const alone = compileValidators(defs, roots(defs)).code;
        forgetGeneratedDefs();
        compileValidators({ ...shared, ...first }, roots({ ...shared, ...first }));
        expect(compileValidators(defs, roots(defs)).code).toBe(alone);
      }
    }
    expect(replays.mock.results.filter((r) => r.value === true).length).toBeGreaterThan(50);
    replays.mockRestore();
  });

  it("gives every case of the validator tests, after all the others, the code it gets alone", () => {
    const all = cases.map((c) => ({ defs: c.defs ?? {}, roots: [{ name: "check", schema: c.schema }] }));
    const alone = all.map(({ defs, roots }) => (forgetGeneratedDefs(), compileValidators(defs, roots).code));
    forgetGeneratedDefs();
    for (const { defs, roots } of [...all].reverse()) compileValidators(defs, roots);
    all.forEach(({ defs, roots }, i) => expect(compileValidators(defs, roots).code, cases[i]!.name).toBe(alone[i]));
  });
});
