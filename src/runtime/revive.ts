/**
 * Reviver combinators for generated code: they turn valid wire values into what a TypeScript signature
 * promises (ISO strings into `Date`s, at any depth). Each changes freshly parsed input in place and returns
 * it (or the new value it built); `null` and `undefined` pass through unchanged, and so does any value of
 * an unexpected shape (the validators, not the revivers, judge shapes). `encode.ts` holds the inverses.
 */

import { decodeBase64 } from "./base64.js";
import type { Reviver } from "./descriptor.js";
import { isJsonObject as isObject } from "./validation.js";

/** The JSON type of a parsed value, as a union's reviver tells its members apart by. */
export type WireType = "null" | "boolean" | "number" | "string" | "array" | "object";

/** An ISO-8601 string into a `Date` (an unparsable string gives an invalid `Date`). */
export const reviveDate: Reviver = (wire) => (typeof wire === "string" ? new Date(wire) : wire);

/** A decimal string into a `bigint`; a string that is not an integer stays as it is. */
export const reviveBigInt: Reviver = (wire) => {
  if (typeof wire !== "string") return wire;
  try {
    return BigInt(wire);
  } catch {
    return wire;
  }
};

/** A base64 string into a `Uint8Array`; a string that is not canonical base64 stays as it is. */
export const reviveBytes: Reviver = (wire) => (typeof wire === "string" ? (decodeBase64(wire) ?? wire) : wire);

/** Every item of an array. */
export function reviveArray(item: Reviver): Reviver {
  return (wire) => {
    if (Array.isArray(wire)) for (let i = 0; i < wire.length; i++) wire[i] = item(wire[i]);
    return wire;
  };
}

/** The items of a tuple at the positions that have a reviver. */
export function reviveTuple(items: readonly (Reviver | undefined)[]): Reviver {
  return (wire) => {
    if (!Array.isArray(wire)) return wire;
    const length = Math.min(items.length, wire.length);
    for (let i = 0; i < length; i++) {
      const item = items[i];
      if (item !== undefined) wire[i] = item(wire[i]);
    }
    return wire;
  };
}

/** The listed properties of an object, where it has them as own properties; nothing else is touched. */
export function reviveObject(properties: Readonly<Record<string, Reviver>>): Reviver {
  const entries = Object.entries(properties);
  return (wire) => {
    if (!isObject(wire)) return wire;
    for (const [key, revive] of entries) {
      if (Object.hasOwn(wire, key)) setOwn(wire, key, revive(wire[key]));
    }
    return wire;
  };
}

/**
 * An object of a type whose unknown properties are stripped (`--unknown-properties strip`): deletes the
 * own properties `known` does not list, then revives the listed `properties` it has, as `reviveObject` does.
 */
export function stripObject(known: readonly string[], properties: Readonly<Record<string, Reviver>> = {}): Reviver {
  const keep = new Set(known);
  const revive = reviveObject(properties);
  return (wire) => {
    if (!isObject(wire)) return wire;
    // `delete` removes an own `__proto__` key (data after JSON.parse) without touching the prototype.
    for (const key of Object.keys(wire)) if (!keep.has(key)) delete wire[key];
    return revive(wire);
  };
}

/** Every own property value of an object used as a map (`Record<string, T>`, index signatures). */
export function reviveRecord(value: Reviver): Reviver {
  return (wire) => {
    if (!isObject(wire)) return wire;
    for (const key of Object.keys(wire)) setOwn(wire, key, value(wire[key]));
    return wire;
  };
}

/** An object into a `Map` of its own properties, in their order, each value revived by `value` when given. */
export function reviveMapObject(value?: Reviver): Reviver {
  return (wire) => {
    if (!isObject(wire)) return wire;
    const map = new Map<string, unknown>();
    for (const key of Object.keys(wire)) map.set(key, value === undefined ? wire[key] : value(wire[key]));
    return map;
  };
}

/** An array of `[key, value]` pairs into a `Map`, keys and values revived when given; a later key wins. */
export function reviveMapEntries(key?: Reviver, value?: Reviver): Reviver {
  return (wire) => {
    if (!Array.isArray(wire)) return wire;
    const map = new Map<unknown, unknown>();
    for (const entry of wire) {
      if (!Array.isArray(entry)) continue;
      const [k, v] = entry as unknown[];
      map.set(key === undefined ? k : key(k), value === undefined ? v : value(v));
    }
    return map;
  };
}

/** An array into a `Set` of its items, each revived by `item` when given. */
export function reviveSet(item?: Reviver): Reviver {
  return (wire) => {
    if (!Array.isArray(wire)) return wire;
    return new Set(item === undefined ? wire : wire.map((v) => item(v)));
  };
}

/**
 * A union's reviver: hands each value to the reviver of its JSON type, and leaves values of the other
 * types as they are. The generator only builds one where each type belongs to one member.
 */
export function reviveUnion(byType: Readonly<Partial<Record<WireType, Reviver>>>): Reviver {
  return (wire) => {
    const type = wireTypeOf(wire);
    const revive = type === undefined ? undefined : byType[type];
    return revive === undefined ? wire : revive(wire);
  };
}

/**
 * Objects of a discriminated union: hands an object to the reviver listed for the value of its `key`
 * property (`"kind"` → `"circle"`), and leaves objects with any other value as they are.
 */
export function reviveTagged(key: string, cases: readonly (readonly [unknown, Reviver])[]): Reviver {
  const byTag = new Map(cases);
  return (wire) => {
    if (!isObject(wire) || !Object.hasOwn(wire, key)) return wire;
    const revive = byTag.get(wire[key]);
    return revive === undefined ? wire : revive(wire);
  };
}

/** The JSON type of a value, or `undefined` for one JSON has no type for (`undefined`, a `bigint`, ...). */
export function wireTypeOf(wire: unknown): WireType | undefined {
  if (wire === null) return "null";
  if (Array.isArray(wire)) return "array";
  const type = typeof wire;
  return type === "boolean" || type === "number" || type === "string" || type === "object" ? type : undefined;
}

/** Defers building a reviver to its first use, for recursive types. */
export function reviveLazy(make: () => Reviver): Reviver {
  let reviver: Reviver | undefined;
  return (wire) => (reviver ??= make())(wire);
}

/** Assigns an own property; a `__proto__` key (own data after JSON.parse) is defined, not run as the setter. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
