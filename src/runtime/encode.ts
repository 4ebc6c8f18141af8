/**
 * Encoder combinators for generated code, the inverses of the revivers in `revive.ts`: they turn what a
 * TypeScript signature promises into its wire form (a `bigint` into a decimal string, a `Map` into an
 * object, at any depth), which `JSON.stringify` then writes as it is. They never change their input: a
 * container is copied only once one of its items changes (copy on write), everything else is shared, and
 * a value with nothing to convert comes back as the very same value. `null`, `undefined` and values of a
 * shape an encoder does not convert pass through.
 */

import { encodeBase64 } from "./base64.js";
import type { Encoder } from "./descriptor.js";
import { setOwn } from "./revive.js";
import { isJsonObject as isObject } from "./validation.js";

/** The runtime type of a value, as a union's encoder tells its members apart by. */
export type ValueType =
  | "null"
  | "undefined"
  | "boolean"
  | "number"
  | "string"
  | "bigint"
  | "array"
  | "date"
  | "bytes"
  | "map"
  | "set"
  | "object"
  | "other";

/** A `Date` into its ISO-8601 string; throws a `RangeError` for an invalid `Date`, which has none. */
export const encodeDate: Encoder = (value) => (value instanceof Date ? value.toISOString() : value);

/** A `bigint` into its decimal string (`-12`). */
export const encodeBigInt: Encoder = (value) => (typeof value === "bigint" ? value.toString() : value);

/** A `Uint8Array` (or a subclass, such as Node's `Buffer`) into a base64 string. */
export const encodeBytes: Encoder = (value) => (value instanceof Uint8Array ? encodeBase64(value) : value);

/** Every item of an array. */
export function encodeArray(item: Encoder): Encoder {
  return (value) => {
    if (!Array.isArray(value)) return value;
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const before: unknown = value[i];
      const after = item(before);
      if (after !== before) (copy ??= value.slice())[i] = after;
    }
    return copy ?? value;
  };
}

/** The items of a tuple at the positions that have an encoder. */
export function encodeTuple(items: readonly (Encoder | undefined)[]): Encoder {
  return (value) => {
    if (!Array.isArray(value)) return value;
    let copy: unknown[] | undefined;
    const length = Math.min(items.length, value.length);
    for (let i = 0; i < length; i++) {
      const item = items[i];
      if (item === undefined) continue;
      const before: unknown = value[i];
      const after = item(before);
      if (after !== before) (copy ??= value.slice())[i] = after;
    }
    return copy ?? value;
  };
}

/** The listed own properties of an object; the copy, when one is needed, keeps every other own property. */
export function encodeObject(properties: Readonly<Record<string, Encoder>>): Encoder {
  const entries = Object.entries(properties);
  return (value) => {
    if (!isObject(value)) return value;
    let copy: Record<string, unknown> | undefined;
    for (const [key, encode] of entries) {
      if (!Object.hasOwn(value, key)) continue;
      const before = value[key];
      const after = encode(before);
      if (after !== before) setOwn((copy ??= { ...value }), key, after);
    }
    return copy ?? value;
  };
}

/** Every own property value of an object used as a map (`Record<string, T>`, index signatures). */
export function encodeRecord(item: Encoder): Encoder {
  return (value) => {
    if (!isObject(value)) return value;
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const before = value[key];
      const after = item(before);
      if (after !== before) setOwn((copy ??= { ...value }), key, after);
    }
    return copy ?? value;
  };
}

/** A `Map` with string keys into an object, in the map's order, each value encoded by `item` when given. */
export function encodeMapObject(item?: Encoder): Encoder {
  return (value) => {
    if (!(value instanceof Map)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of value as Map<unknown, unknown>) setOwn(out, String(key), item === undefined ? v : item(v));
    return out;
  };
}

/** A `Map` into an array of `[key, value]` pairs, in the map's order, encoded when given encoders. */
export function encodeMapEntries(key?: Encoder, item?: Encoder): Encoder {
  return (value) => {
    if (!(value instanceof Map)) return value;
    const out: unknown[] = [];
    for (const [k, v] of value as Map<unknown, unknown>) {
      out.push([key === undefined ? k : key(k), item === undefined ? v : item(v)]);
    }
    return out;
  };
}

/** A `Set` into an array of its items, in the set's order, each encoded by `item` when given. */
export function encodeSet(item?: Encoder): Encoder {
  return (value) => {
    if (!(value instanceof Set)) return value;
    const out: unknown[] = [];
    for (const v of value as Set<unknown>) out.push(item === undefined ? v : item(v));
    return out;
  };
}

/**
 * A union's encoder: hands each value to the encoder of its runtime type (`valueTypeOf`), and leaves
 * values of the other types as they are. The generator only builds one where each type belongs to one member.
 */
export function encodeUnion(byType: Readonly<Partial<Record<ValueType, Encoder>>>): Encoder {
  return (value) => {
    const encode = byType[valueTypeOf(value)];
    return encode === undefined ? value : encode(value);
  };
}

/**
 * Objects of a discriminated union: hands an object to the encoder listed for the value of its `key`
 * property (`"kind"` → `"circle"`), and leaves objects with any other value as they are.
 */
export function encodeTagged(key: string, cases: readonly (readonly [unknown, Encoder])[]): Encoder {
  const byTag = new Map(cases);
  return (value) => {
    if (!isObject(value) || !Object.hasOwn(value, key)) return value;
    const encode = byTag.get(value[key]);
    return encode === undefined ? value : encode(value);
  };
}

/** Defers building an encoder to its first use, for recursive types. */
export function encodeLazy(make: () => Encoder): Encoder {
  let encoder: Encoder | undefined;
  return (value) => (encoder ??= make())(value);
}

/** What kind of value this is at run time: `typeof`, refined for `null`, arrays and the classes JSON cannot carry. */
export function valueTypeOf(value: unknown): ValueType {
  if (value === null) return "null";
  const type = typeof value;
  if (type === "object") {
    if (Array.isArray(value)) return "array";
    if (value instanceof Date) return "date";
    if (value instanceof Uint8Array) return "bytes";
    if (value instanceof Map) return "map";
    if (value instanceof Set) return "set";
    return "object";
  }
  return type === "function" || type === "symbol" ? "other" : type;
}
