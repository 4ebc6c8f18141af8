/**
 * fast-check arbitraries built from the model: one case per `TypeNode` kind, so every value a type
 * admits can be generated, in both of its forms: the JSON value on the wire and the value a TypeScript
 * signature promises (a `Date`, a `bigint`, a `Uint8Array`, a `Map`, a `Set` where the model says so).
 * Each sample also lists the mutations that can be made to its wire form (drop a required member, add
 * an unknown one, change a value's JSON type, replace a literal, break a keyword), each at a path.
 *
 * The wire forms are written here from the kinds' documentation (`src/kinds/*.ts`), not taken from the
 * runtime's encoders, so the tests that use them check those encoders too. A kind this file does not
 * know makes `sampleOf` throw: a new kind cannot go untested by accident.
 */
import fc from "fast-check";
import type { TypeNode } from "../../src/kinds/index.js";
import type { Keywords, NamedType } from "../../src/model/model.js";
import { MAX_ITEMS, isoDates, itemBounds, keywordCheck, numberOf, numericKey, stringOf, templateOf } from "./scalars.js";

export type Path = readonly (string | number)[];

export type MutationKind = "drop-required" | "add-unknown" | "change-type" | "replace-literal" | "break-keyword";

/** One change to a sample's wire form: the value at `path` becomes `apply(old)`. */
export interface Mutation {
  readonly kind: MutationKind;
  readonly path: Path;
  /** The kind of the model node at `path`. */
  readonly node: string;
  /** What changes: the member dropped, the keyword broken, the JSON type now given. */
  readonly detail: string;
  /** The new value at `path`; never changes `old`. */
  readonly apply: (old: unknown) => unknown;
}

export interface Sample {
  /** The JSON value on the wire. */
  readonly wire: unknown;
  /** The value in its TypeScript form. */
  readonly value: unknown;
  readonly mutations: readonly Mutation[];
}

export interface ArbitraryOptions {
  /** The model's named types, for `ref` nodes. */
  readonly types: Readonly<Record<string, NamedType>>;
  /** How many named types deep a value may nest before containers are generated empty; default 3. */
  readonly maxDepth?: number;
}

/** Every `TypeNode` kind `sampleOf` knows. */
export const supportedKinds: ReadonlySet<string> = new Set([
  "any",
  "array",
  "bigint",
  "boolean",
  "brand",
  "bytes",
  "date",
  "enum",
  "enum-member",
  "integer",
  "literal",
  "map",
  "null",
  "number",
  "object",
  "ref",
  "set",
  "string",
  "template-literal",
  "tuple",
  "union",
]);

/** Samples of `node`, valid under `keywords` (a member's or parameter's JSDoc keywords) too. */
export function sampleOf(node: TypeNode, options: ArbitraryOptions, keywords?: Keywords): fc.Arbitrary<Sample> {
  return new Builder(options).build(node, { depth: 0, keywords: keywords ? [keywords] : [] });
}

/** The wire value with `mutation` made, on a copy. */
export function mutate(wire: unknown, mutation: Mutation): unknown {
  const copy: unknown = wire === undefined ? undefined : JSON.parse(JSON.stringify(wire));
  if (mutation.path.length === 0) return mutation.apply(copy);
  let parent = copy as Record<string | number, unknown>;
  for (const step of mutation.path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = mutation.path[mutation.path.length - 1]!;
  put(parent, last, mutation.apply(parent[last]));
  return copy;
}

/** The JSON type of a wire value. */
export function jsonTypeOf(wire: unknown): string {
  if (wire === null) return "null";
  if (Array.isArray(wire)) return "array";
  return typeof wire;
}

interface Context {
  /** How many named types the value is nested in. */
  depth: number;
  /** Keyword sets that all apply to the node (a member's, and the named types' it goes through). */
  keywords: readonly Keywords[];
}

/** Thrown when a type has no value small enough for the depth limit (every member recursing forever). */
class Unbounded extends Error {}

/** How far past `maxDepth` required members may still recurse before a type counts as unbounded. */
const SLACK = 16;

class Builder {
  readonly #types: Readonly<Record<string, NamedType>>;
  readonly #maxDepth: number;
  readonly #refs = new Map<string, fc.Arbitrary<Sample>>();

  constructor(options: ArbitraryOptions) {
    this.#types = options.types;
    this.#maxDepth = options.maxDepth ?? 3;
  }

  build(node: TypeNode, cx: Context): fc.Arbitrary<Sample> {
    // These hand the keywords on to the node they stand for, which adds the mutations.
    if (node.kind === "ref" || node.kind === "brand" || node.kind === "union") return this.#build(node, cx);
    const base = this.#build(node, cx);
    const check = keywordCheck(cx.keywords);
    const checked = check === undefined ? base : base.filter((s) => check(s.wire));
    // Every value can have its JSON type changed, and a kind's own keywords broken.
    return checked.map((s) => ({ ...s, mutations: [changeType(node.kind), ...brokenKeywords(node, s.wire, cx.keywords), ...s.mutations] }));
  }

  #build(node: TypeNode, cx: Context): fc.Arbitrary<Sample> {
    const exhausted = cx.depth >= this.#maxDepth;
    switch (node.kind) {
      case "any":
        // Any JSON value; `JSON.parse` makes -0 a 0 and `__proto__` an own key, as the wire would.
        return fc.jsonValue({ maxDepth: exhausted ? 0 : 2 }).map((v) => plain(JSON.parse(JSON.stringify(v))));
      case "null":
        return fc.constant(plain(null));
      case "boolean":
        return fc.boolean().map(plain);
      case "string":
        return stringOf(cx.keywords).map(plain);
      case "number":
        return numberOf(cx.keywords, false).map(plain);
      case "integer":
        return numberOf(cx.keywords, true).map(plain);
      case "literal":
        return fc.constant(literal(node.value));
      case "enum": {
        const values = node.members.map((m) => m.value);
        return fc.constantFrom(...values).map((v) => literal(v, values));
      }
      case "enum-member":
        return fc.constant(literal(node.value));
      case "template-literal":
        return templateOf(node.texts, node.holes).map((text) => ({ wire: text, value: text, mutations: [breakTemplate(node.kind)] }));
      case "brand":
        return this.build(node.base, cx);
      case "ref":
        return this.#ref(node.name, cx);
      case "date":
        return isoDates.map((d) => ({ wire: d.toISOString(), value: new Date(d.getTime()), mutations: [breakString("date", "date-time", "not a date")] }));
      case "bigint":
        return fc
          .bigInt({ min: -(2n ** 80n), max: 2n ** 80n })
          .map((n) => ({ wire: n.toString(), value: n, mutations: [breakString("bigint", "canonical", n < 0n ? "-0" : `0${n}`)] }));
      case "bytes":
        return fc
          .uint8Array({ maxLength: exhausted ? 0 : 12 })
          .map((b) => ({ wire: Buffer.from(b).toString("base64"), value: new Uint8Array(b), mutations: [breakString("bytes", "base64", "a=b")] }));
      case "array":
        return this.#array(node.items, cx, exhausted);
      case "set":
        return this.#set(node.items, cx, exhausted);
      case "map":
        return this.#map(node.key, node.value, cx, exhausted);
      case "tuple":
        return this.#tuple(node.elements, node.rest, cx, exhausted);
      case "object":
        return this.#object(node.properties, node.index, cx, exhausted);
      case "union":
        return this.#union(node.members, cx, exhausted);
      default: {
        const unknown: never = node;
        throw new Error(`sampleOf does not know the kind '${(unknown as { kind: string }).kind}': add a case for it in test/support/arbitrary.ts`);
      }
    }
  }

  /** A named type's body at one depth more, built once per name, depth and keywords. */
  #ref(name: string, cx: Context): fc.Arbitrary<Sample> {
    const named = this.#types[name];
    if (!named) throw new Error(`the model has no type '${name}'`);
    if (cx.depth > this.#maxDepth + SLACK) throw new Unbounded(name);
    const key = `${name}@${cx.depth}:${JSON.stringify(cx.keywords)}`;
    let built = this.#refs.get(key);
    if (!built) {
      const keywords = named.keywords ? [named.keywords, ...cx.keywords] : cx.keywords;
      built = this.build(named.type, { depth: cx.depth + 1, keywords });
      this.#refs.set(key, built);
    }
    return built;
  }

  #array(items: TypeNode, cx: Context, exhausted: boolean): fc.Arbitrary<Sample> {
    const bounds = itemBounds(cx.keywords, exhausted);
    if (bounds.max === 0) return fc.constant({ wire: [], value: [], mutations: [] });
    const item = this.build(items, { depth: cx.depth, keywords: [] });
    const list = bounds.unique
      ? fc.uniqueArray(item, { minLength: bounds.min, maxLength: bounds.max, selector: (s) => stableJson(s.wire) })
      : fc.array(item, { minLength: bounds.min, maxLength: bounds.max });
    return list.map((samples) => ({
      wire: samples.map((s) => s.wire),
      value: samples.map((s) => s.value),
      mutations: samples.flatMap((s, i) => under(i, s.mutations)),
    }));
  }

  /** A Set travels as an array of its items; items that are primitives are unique. */
  #set(items: TypeNode, cx: Context, exhausted: boolean): fc.Arbitrary<Sample> {
    if (exhausted) return fc.constant({ wire: [], value: new Set(), mutations: [] });
    const item = this.build(items, { depth: cx.depth, keywords: [] });
    const primitive = [...this.#valueTypes(items)].every((t) => ["string", "number", "boolean", "bigint", "null"].includes(t));
    const list = primitive ? fc.uniqueArray(item, { maxLength: MAX_ITEMS, selector: (s) => stableJson(s.wire) }) : fc.array(item, { maxLength: MAX_ITEMS });
    return list.map((samples) => {
      const mutations = samples.flatMap((s, i) => under(i, s.mutations));
      // Twice the same item: what `uniqueItems` refuses, where the items are primitives.
      if (samples.length > 0) {
        mutations.push({ kind: "break-keyword", path: [], node: "set", detail: "uniqueItems", apply: (old) => [...(old as unknown[]), (old as unknown[])[0]] });
      }
      return { wire: samples.map((s) => s.wire), value: new Set(samples.map((s) => s.value)), mutations };
    });
  }

  /** A Map with string keys travels as an object, any other as an array of `[key, value]` pairs. */
  #map(keyNode: TypeNode, valueNode: TypeNode, cx: Context, exhausted: boolean): fc.Arbitrary<Sample> {
    const stringKeyed = isOnly(this.#valueTypes(keyNode), "string");
    if (exhausted) return fc.constant({ wire: stringKeyed ? {} : [], value: new Map(), mutations: [] });
    const key = this.build(keyNode, { depth: cx.depth, keywords: [] });
    const value = this.build(valueNode, { depth: cx.depth, keywords: [] });
    const entries = fc.uniqueArray(fc.tuple(key, value), { maxLength: MAX_ITEMS, selector: ([k]) => stableJson(k.wire) });
    return entries.map((pairs) => {
      const map = new Map(pairs.map(([k, v]) => [k.value, v.value]));
      if (!stringKeyed) {
        return {
          wire: pairs.map(([k, v]) => [k.wire, v.wire]),
          value: map,
          mutations: pairs.flatMap(([k, v], i) => [...under(i, under(0, k.mutations)), ...under(i, under(1, v.mutations))]),
        };
      }
      const wire: Record<string, unknown> = {};
      for (const [k, v] of pairs) put(wire, k.wire as string, v.wire);
      return { wire, value: map, mutations: pairs.flatMap(([k, v]) => under(k.wire as string, v.mutations)) };
    });
  }

  /** Required elements, then a prefix of the optional ones, then (only after all of those) rest items. */
  #tuple(
    elements: readonly { type: TypeNode; optional: boolean }[],
    rest: TypeNode | undefined,
    cx: Context,
    exhausted: boolean,
  ): fc.Arbitrary<Sample> {
    const required = elements.filter((e) => !e.optional).length;
    // Past the depth limit optional elements are left out, so they are not built (they may recurse).
    const parts = elements.map((e) => (e.optional && exhausted ? fc.constant(plain(undefined)) : this.build(e.type, { depth: cx.depth, keywords: [] })));
    const restItems =
      rest === undefined || exhausted ? fc.constant([]) : fc.array(this.build(rest, { depth: cx.depth, keywords: [] }), { maxLength: MAX_ITEMS });
    const present = exhausted ? fc.constant(required) : fc.integer({ min: required, max: elements.length });
    return fc.tuple(fc.tuple(...parts), present, restItems).map(([all, count, extra]) => {
      const samples = [...all.slice(0, count), ...(count === elements.length ? extra : [])];
      const mutations: Mutation[] = samples.flatMap((s, i) => under(i, s.mutations));
      if (required > 0) {
        mutations.push({ kind: "drop-required", path: [], node: "tuple", detail: `[${required - 1}]`, apply: (old) => (old as unknown[]).slice(0, required - 1) });
      }
      mutations.push({ kind: "add-unknown", path: [], node: "tuple", detail: `[${samples.length}]`, apply: (old) => [...(old as unknown[]), "unknown"] });
      return { wire: samples.map((s) => s.wire), value: samples.map((s) => s.value), mutations };
    });
  }

  #object(
    properties: readonly { name: string; optional: boolean; type: TypeNode; keywords?: Keywords }[],
    index: { key: "string" | "number"; value: TypeNode } | undefined,
    cx: Context,
    exhausted: boolean,
  ): fc.Arbitrary<Sample> {
    const members = properties.map((p) => {
      if (p.optional && exhausted) return fc.constant(undefined);
      const value = this.build(p.type, { depth: cx.depth, keywords: p.keywords ? [p.keywords] : [] });
      return p.optional ? fc.option(value, { nil: undefined }) : value;
    });
    const names = new Set(properties.map((p) => p.name));
    const keys = index?.key === "number" ? numericKey() : fc.string({ unit: "binary", maxLength: 6 });
    const extra =
      index === undefined || exhausted
        ? fc.constant([])
        : fc.uniqueArray(fc.tuple(keys.filter((k) => !names.has(k)), this.build(index.value, { depth: cx.depth, keywords: [] })), {
            maxLength: MAX_ITEMS,
            selector: ([k]) => k,
          });
    const unknownKey = ["unknownMember", "unknownMember2", "unknownMember3"].find((k) => !names.has(k))!;
    return fc.tuple(fc.tuple(...members), extra).map(([present, entries]) => {
      const wire: Record<string, unknown> = {};
      const value: Record<string, unknown> = {};
      const mutations: Mutation[] = [];
      properties.forEach((p, i) => {
        const s = present[i];
        if (s === undefined) return;
        put(wire, p.name, s.wire);
        put(value, p.name, s.value);
        mutations.push(...under(p.name, s.mutations));
        if (!p.optional) mutations.push({ kind: "drop-required", path: [], node: "object", detail: p.name, apply: (old) => without(old, p.name) });
      });
      for (const [k, s] of entries) {
        put(wire, k, s.wire);
        put(value, k, s.value);
        mutations.push(...under(k, s.mutations));
      }
      // With an index signature, the new member's value is one the index allows, so only its key can be wrong.
      const keyKind = index === undefined ? "closed" : `${index.key}-keyed`;
      const added = entries.length > 0 ? entries[0]![1].wire : true;
      mutations.push({ kind: "add-unknown", path: [], node: "object", detail: `${unknownKey} (${keyKind})`, apply: (old) => ({ ...(old as object), [unknownKey]: added }) });
      return { wire, value, mutations };
    });
  }

  /**
   * One member's sample. Past the depth limit, only the members that name no type, if there are any,
   * else those that can end at all.
   */
  #union(members: readonly TypeNode[], cx: Context, exhausted: boolean): fc.Arbitrary<Sample> {
    const shallow = members.filter((m) => !namesType(m));
    const built: fc.Arbitrary<Sample>[] = [];
    for (const member of exhausted && shallow.length > 0 ? shallow : members) {
      try {
        built.push(this.build(member, cx));
      } catch (error) {
        if (!(error instanceof Unbounded) || !exhausted) throw error;
      }
    }
    if (built.length === 0) throw new Unbounded(members.map((m) => m.kind).join(" | "));
    return fc.oneof(...built);
  }

  /** What the TypeScript values of a node are: JSON types, or `date`, `bigint`, `bytes`, `map`, `set`. */
  #valueTypes(node: TypeNode, seen = new Set<string>()): Set<string> {
    switch (node.kind) {
      case "ref": {
        if (seen.has(node.name)) return new Set();
        seen.add(node.name);
        return this.#valueTypes(this.#types[node.name]!.type, seen);
      }
      case "union":
        return new Set(node.members.flatMap((m) => [...this.#valueTypes(m, seen)]));
      case "brand":
        return this.#valueTypes(node.base, seen);
      case "literal":
      case "enum-member":
        return new Set([typeof node.value]);
      case "enum":
        return new Set(node.members.map((m) => typeof m.value));
      case "template-literal":
        return new Set(["string"]);
      case "integer":
        return new Set(["number"]);
      case "bytes":
        return new Set(["bytes"]);
      case "tuple":
        return new Set(["array"]);
      case "any":
        return new Set(["string", "number", "boolean", "null", "array", "object"]);
      default:
        return new Set([node.kind]);
    }
  }
}

/** Whether a node mentions a named type (not looking into named types). */
function namesType(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(namesType);
  if (node === null || typeof node !== "object") return false;
  return (node as { kind?: unknown }).kind === "ref" || Object.values(node).some(namesType);
}

/** A sample whose value is its own wire form, with nothing to mutate but its type. */
function plain(value: unknown): Sample {
  return { wire: value, value, mutations: [] };
}

/** A literal, which can be replaced by a value of the same JSON type that is not among `others`. */
function literal(value: string | number | boolean, others: readonly (string | number | boolean)[] = [value]): Sample {
  let replacement: string | number | boolean;
  if (typeof value === "boolean") replacement = !value;
  else if (typeof value === "number") replacement = Math.max(...others.filter((o): o is number => typeof o === "number")) + 1;
  else replacement = `${value}?`;
  const mutation: Mutation = { kind: "replace-literal", path: [], node: "literal", detail: JSON.stringify(replacement), apply: () => replacement };
  return { wire: value, value, mutations: [mutation] };
}

const otherType: Readonly<Record<string, unknown>> = { string: 1, number: "1", boolean: "true", null: 0, array: {}, object: [] };

function changeType(node: string): Mutation {
  return {
    kind: "change-type",
    path: [],
    node,
    detail: "to another JSON type",
    apply: (old) => otherType[jsonTypeOf(old)] ?? null,
  };
}

function breakString(node: string, detail: string, replacement: string): Mutation {
  return { kind: "break-keyword", path: [], node, detail, apply: () => replacement };
}

/** Puts a character in front: a template that starts with text no longer matches. */
function breakTemplate(node: string): Mutation {
  return { kind: "replace-literal", path: [], node, detail: "template", apply: (old) => `\u0001${String(old)}` };
}

/** The mutations that break the keywords (and the integer-ness) that apply to a value. */
function brokenKeywords(node: TypeNode, wire: unknown, keywords: readonly Keywords[]): Mutation[] {
  const out: Mutation[] = [];
  const at = (detail: string, replacement: unknown) =>
    out.push({ kind: "break-keyword", path: [], node: node.kind, detail, apply: () => replacement });
  if (node.kind === "integer" && typeof wire === "number") at("integer", wire + 0.5);
  for (const k of keywords) {
    if (typeof wire === "number") {
      if (k.minimum !== undefined) at("minimum", k.minimum - 1);
      if (k.exclusiveMinimum !== undefined) at("exclusiveMinimum", k.exclusiveMinimum);
      if (k.maximum !== undefined) at("maximum", k.maximum + 1);
      if (k.exclusiveMaximum !== undefined) at("exclusiveMaximum", k.exclusiveMaximum);
      if (k.multipleOf !== undefined) at("multipleOf", k.multipleOf * 1.5);
    }
    if (typeof wire === "string") {
      const chars = [...wire];
      if (k.minLength !== undefined && k.minLength > 0) at("minLength", chars.slice(0, k.minLength - 1).join(""));
      if (k.maxLength !== undefined) at("maxLength", wire + "x".repeat(k.maxLength + 1));
      if (k.format !== undefined) at("format", "not a format");
      if (k.pattern !== undefined) at("pattern", "\u0000");
    }
    if (Array.isArray(wire)) {
      if (k.minItems !== undefined && k.minItems > 0) at("minItems", wire.slice(0, k.minItems - 1));
      if (k.maxItems !== undefined && wire.length > 0) at("maxItems", Array.from({ length: k.maxItems + 1 }, () => wire[0]));
      if (k.uniqueItems && wire.length > 0) at("uniqueItems", [...wire, wire[0]]);
    }
  }
  return out;
}

/** Mutations of a part, moved under `step` of its container. */
function under(step: string | number, mutations: readonly Mutation[]): Mutation[] {
  return mutations.map((m) => ({ ...m, path: [step, ...m.path] }));
}

function without(old: unknown, key: string): unknown {
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(old as Record<string, unknown>)) if (k !== key) put(copy, k, v);
  return copy;
}

/** Sets an own property, also for a `__proto__` key (which plain assignment would take as the prototype). */
function put(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function isOnly(types: ReadonlySet<string>, type: string): boolean {
  return types.size > 0 && [...types].every((t) => t === type);
}

/** JSON text with object keys sorted, so equal JSON values have equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
