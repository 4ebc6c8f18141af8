/**
 * How unions, Maps and Sets render their converters, on hand-built model nodes: which member a value
 * goes to, when one converter serves the whole union, and which unions are refused, with what message.
 */
import { describe, expect, it } from "vitest";
import { TypeRenderer } from "../../../src/emitters/type-renderer.js";
import type { TypeNode } from "../../../src/kinds/index.js";
import type { Model, NamedType } from "../../../src/model/model.js";

const span = { file: "t.ts", line: 1, column: 1, endLine: 1, endColumn: 1 };
const named = (name: string, type: TypeNode): NamedType => ({ name, file: "t.ts", exported: true, doc: null, span, type });

const date: TypeNode = { kind: "date" };
const bigint: TypeNode = { kind: "bigint" };
const bytes: TypeNode = { kind: "bytes" };
const string: TypeNode = { kind: "string" };
const number: TypeNode = { kind: "number" };
const nul: TypeNode = { kind: "null" };
const union = (...members: TypeNode[]): TypeNode => ({ kind: "union", members });
const array = (items: TypeNode): TypeNode => ({ kind: "array", items, readonly: false });
const object = (properties: Record<string, TypeNode>): TypeNode => ({
  kind: "object",
  properties: Object.entries(properties).map(([name, type]) => ({ name, optional: false, type, doc: null })),
});
const tagged = (kind: string, properties: Record<string, TypeNode>) => object({ kind: { kind: "literal", value: kind }, ...properties });

function render(node: TypeNode, types: Record<string, TypeNode> = {}) {
  const model: Model = { modelVersion: 1, services: [], types: Object.fromEntries(Object.entries(types).map(([n, t]) => [n, named(n, t)])) };
  const renderer = new TypeRenderer(model);
  return { revive: renderer.revive(node), encode: renderer.encode(node), problems: renderer.problems.map((p) => p.message) };
}

describe("union converters", () => {
  it("cost nothing when no member converts", () => {
    expect(render(union(string, number, nul))).toEqual({ revive: undefined, encode: undefined, problems: [] });
  });

  it("use the one converting member's converter when its types are its own", () => {
    expect(render(union(date, nul))).toEqual({ revive: "reviveDate", encode: "encodeDate", problems: [] });
    expect(render(union(bigint, number))).toEqual({ revive: "reviveBigInt", encode: "encodeBigInt", problems: [] });
  });

  it("dispatch on the JSON type, or the runtime type, when several members convert", () => {
    expect(render(union(date, array(bigint), nul))).toEqual({
      revive: "reviveUnion({ string: reviveDate, array: reviveArray(reviveBigInt) })",
      encode: "encodeUnion({ date: encodeDate, array: encodeArray(encodeBigInt) })",
      problems: [],
    });
  });

  it("need no telling apart for members that convert alike", () => {
    const a = object({ at: date, a: string });
    const b = object({ at: date, b: number });
    expect(render(union(a, b))).toEqual({
      revive: "reviveObject({ at: reviveDate })",
      encode: "encodeObject({ at: encodeDate })",
      problems: [],
    });
  });

  it("tell objects apart by the discriminator, leaving members that need nothing out", () => {
    const result = render(union(tagged("a", { at: date }), tagged("b", { n: bigint }), tagged("c", { text: string }), nul));
    expect(result.revive).toBe('reviveTagged("kind", [["a", reviveObject({ at: reviveDate })], ["b", reviveObject({ n: reviveBigInt })]])');
    expect(result.encode).toBe('encodeTagged("kind", [["a", encodeObject({ at: encodeDate })], ["b", encodeObject({ n: encodeBigInt })]])');
  });

  it("find the discriminator through named types", () => {
    const result = render(union({ kind: "ref", name: "A" }, { kind: "ref", name: "B" }), { A: tagged("a", { at: date }), B: tagged("b", { text: string }) });
    expect(result.revive).toBe('reviveTagged("kind", [["a", revive$A]])');
    expect(result.problems).toEqual([]);
  });

  it("refuse members that share a JSON type but convert differently", () => {
    expect(render(union(bigint, string)).problems).toEqual([
      "'bigint | string' is ambiguous: 'bigint' and 'string' both travel as JSON strings, so a receiver could not tell which one arrived",
    ]);
    expect(render(union(bytes, date)).revive).toBeUndefined();
  });

  it("refuse objects that convert differently with no discriminator", () => {
    const { problems } = render(union(object({ at: date }), object({ n: bigint })));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/are both objects, and no required property with a literal type in each tells them apart$/);
  });

  it("refuse members a sender could not tell apart even where a receiver could", () => {
    const byString: TypeNode = { kind: "map", key: string, value: bigint, readonly: false };
    const byNumber: TypeNode = { kind: "map", key: number, value: bigint, readonly: false };
    const result = render(union(byString, byNumber));
    expect(result.revive).toBe("reviveUnion({ object: reviveMapObject(reviveBigInt), array: reviveMapEntries(undefined, reviveBigInt) })");
    expect(result.encode).toBeUndefined();
    expect(result.problems).toEqual([
      "'Map<string, bigint> | Map<number, bigint>' is ambiguous: 'Map<string, bigint>' and 'Map<number, bigint>' are both Maps, so a sender could not tell how to encode one",
    ]);
  });
});

describe("Map and Set converters and schemas", () => {
  const schema = (node: TypeNode, types: Record<string, TypeNode> = {}) => {
    const model: Model = { modelVersion: 1, services: [], types: Object.fromEntries(Object.entries(types).map(([n, t]) => [n, named(n, t)])) };
    return new TypeRenderer(model).schema(node);
  };

  it("a Map with string keys is an object; narrower keys add propertyNames", () => {
    expect(schema({ kind: "map", key: string, value: date, readonly: false })).toEqual({ type: "object", additionalProperties: { type: "string", format: "date-time" } });
    const roles = union({ kind: "literal", value: "r" }, { kind: "literal", value: "w" });
    expect(schema({ kind: "map", key: roles, value: number, readonly: true })).toEqual({ type: "object", propertyNames: { enum: ["r", "w"] }, additionalProperties: { type: "number" } });
    expect(render({ kind: "map", key: string, value: number, readonly: false })).toEqual({ revive: "reviveMapObject()", encode: "encodeMapObject()", problems: [] });
  });

  it("a Map with other keys is an array of pairs, keys converted too", () => {
    const node: TypeNode = { kind: "map", key: bigint, value: number, readonly: false };
    expect(schema(node)).toEqual({
      type: "array",
      items: { type: "array", prefixItems: [{ type: "string", pattern: "^(0|-?[1-9][0-9]*)$" }, { type: "number" }], minItems: 2, items: false },
    });
    expect(render(node)).toEqual({ revive: "reviveMapEntries(reviveBigInt)", encode: "encodeMapEntries(encodeBigInt)", problems: [] });
  });

  it("a Set says uniqueItems only when its values are primitives", () => {
    expect(schema({ kind: "set", items: union(bigint, number), readonly: false })).toMatchObject({ uniqueItems: true });
    expect(schema({ kind: "set", items: { kind: "ref", name: "Id" }, readonly: false }, { Id: string })).toMatchObject({ uniqueItems: true });
    expect(schema({ kind: "set", items: date, readonly: false })).not.toHaveProperty("uniqueItems");
    expect(schema({ kind: "set", items: object({ n: number }), readonly: false })).not.toHaveProperty("uniqueItems");
  });
});
