/**
 * Reviver combinators for generated code: they turn valid wire values into what a TypeScript signature
 * promises (ISO strings into `Date`s, at any depth). Each changes freshly parsed input in place and returns
 * it; `null` and `undefined` pass through unchanged, and so does any value of an unexpected shape (the
 * validators, not the revivers, judge shapes).
 */

import type { Reviver } from "./descriptor.js";

/** An ISO-8601 string into a `Date` (an unparsable string gives an invalid `Date`). */
export const reviveDate: Reviver = (wire) => (typeof wire === "string" ? new Date(wire) : wire);

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

/** Every own property value of an object used as a map (`Record<string, T>`, index signatures). */
export function reviveRecord(value: Reviver): Reviver {
  return (wire) => {
    if (!isObject(wire)) return wire;
    for (const key of Object.keys(wire)) setOwn(wire, key, value(wire[key]));
    return wire;
  };
}

/** Defers building a reviver to its first use, for recursive types. */
export function reviveLazy(make: () => Reviver): Reviver {
  let reviver: Reviver | undefined;
  return (wire) => (reviver ??= make())(wire);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Assigns an own property; a `__proto__` key (own data after JSON.parse) is defined, not run as the setter. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
