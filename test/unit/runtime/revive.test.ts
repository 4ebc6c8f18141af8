import { describe, expect, it } from "vitest";
import type { Reviver } from "../../../src/runtime/descriptor.js";
import {
  reviveArray,
  reviveDate,
  reviveLazy,
  reviveObject,
  reviveRecord,
  reviveTuple,
} from "../../../src/runtime/revive.js";

const iso = "2024-02-29T08:30:00.000Z";

describe("revivers", () => {
  it("reviveDate turns an ISO string into a Date and leaves anything else", () => {
    const date = reviveDate(iso);
    expect(date).toBeInstanceOf(Date);
    expect((date as Date).toISOString()).toBe(iso);
    expect(reviveDate(null)).toBeNull();
    expect(reviveDate(undefined)).toBeUndefined();
    expect(reviveDate(5)).toBe(5);
  });

  it("reviveArray revives every item in place", () => {
    const wire: unknown[] = [iso, null, iso];
    expect(reviveArray(reviveDate)(wire)).toBe(wire);
    expect(wire.map((item) => item instanceof Date)).toEqual([true, false, true]);
    expect(reviveArray(reviveDate)(null)).toBeNull();
    expect(reviveArray(reviveDate)("not an array")).toBe("not an array");
  });

  it("reviveTuple revives only the positions that have a reviver", () => {
    const wire = [iso, iso];
    reviveTuple([undefined, reviveDate])(wire);
    expect(wire[0]).toBe(iso);
    expect(wire[1]).toBeInstanceOf(Date);
  });

  it("reviveObject touches only the listed own properties", () => {
    const wire = { at: iso, other: iso, nested: { at: iso } } as Record<string, unknown>;
    const revive = reviveObject({ at: reviveDate, nested: reviveObject({ at: reviveDate }), missing: reviveDate });
    expect(revive(wire)).toBe(wire);
    expect(wire["at"]).toBeInstanceOf(Date);
    expect(wire["other"]).toBe(iso);
    expect((wire["nested"] as Record<string, unknown>)["at"]).toBeInstanceOf(Date);
    expect(Object.hasOwn(wire, "missing")).toBe(false);
    expect(revive(null)).toBeNull();
    expect(revive([iso])).toEqual([iso]);
  });

  it("reviveObject ignores inherited properties", () => {
    const wire = Object.create({ at: iso }) as Record<string, unknown>;
    reviveObject({ at: reviveDate })(wire);
    expect(Object.hasOwn(wire, "at")).toBe(false);
  });

  it("revives a __proto__ property as data without changing the prototype", () => {
    const wire = JSON.parse(`{"__proto__": "${iso}"}`) as Record<string, unknown>;
    reviveObject({ ["__proto__"]: reviveDate })(wire);
    expect(Object.getPrototypeOf(wire)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(wire, "__proto__")?.value).toBeInstanceOf(Date);
    const record = JSON.parse(`{"__proto__": "${iso}", "b": "${iso}"}`) as Record<string, unknown>;
    reviveRecord(reviveDate)(record);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(record["b"]).toBeInstanceOf(Date);
  });

  it("reviveRecord revives every own value", () => {
    const wire = { a: iso, b: iso } as Record<string, unknown>;
    reviveRecord(reviveDate)(wire);
    expect(Object.values(wire).every((value) => value instanceof Date)).toBe(true);
  });

  it("reviveLazy supports recursive types and builds the reviver once", () => {
    let built = 0;
    const node: Reviver = reviveObject({
      at: reviveDate,
      children: reviveArray(
        reviveLazy(() => {
          built++;
          return node;
        }),
      ),
    });
    const wire = { at: iso, children: [{ at: iso, children: [{ at: iso, children: [] }] }] };
    node(wire);
    const leaf = (wire.children[0]?.children[0] ?? {}) as { at: unknown };
    expect(leaf.at).toBeInstanceOf(Date);
    expect(built).toBe(1);
  });
});
