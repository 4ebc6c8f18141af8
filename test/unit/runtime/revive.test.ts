import { describe, expect, it } from "vitest";
import type { Reviver } from "../../../src/runtime/descriptor.js";
import {
  reviveArray,
  reviveBigInt,
  reviveBytes,
  reviveDate,
  reviveLazy,
  reviveMapEntries,
  reviveMapObject,
  reviveObject,
  reviveRecord,
  reviveSet,
  reviveTagged,
  reviveTuple,
  reviveUnion,
  stripObject,
  wireTypeOf,
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

  it("stripObject deletes the own keys it does not know, then revives the listed ones", () => {
    const wire = JSON.parse(`{"at":"${iso}","keep":1,"extra":2,"__proto__":{"x":1}}`) as Record<string, unknown>;
    const strip = stripObject(["at", "keep", "absent"], { at: reviveDate });
    expect(strip(wire)).toBe(wire);
    expect(Object.keys(wire)).toEqual(["at", "keep"]);
    expect(wire["at"]).toBeInstanceOf(Date);
    expect(Object.getPrototypeOf(wire)).toBe(Object.prototype);
    expect(strip(null)).toBeNull();
    expect(strip(["extra"])).toEqual(["extra"]);
    expect(stripObject([])({ a: 1 })).toEqual({});
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

describe("revivers of bigint, bytes, Map and Set", () => {
  it("reviveBigInt reads a decimal string, beyond 2^53 too, and leaves anything else", () => {
    expect(reviveBigInt("-12")).toBe(-12n);
    expect(reviveBigInt("18446744073709551617")).toBe(2n ** 64n + 1n);
    expect(reviveBigInt(12)).toBe(12);
    expect(reviveBigInt(null)).toBeNull();
    expect(reviveBigInt("twelve")).toBe("twelve");
  });

  it("reviveBytes reads base64 into a Uint8Array, and leaves what is not base64", () => {
    const bytes = reviveBytes("aGkh");
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...(bytes as Uint8Array)]).toEqual([104, 105, 33]);
    expect(reviveBytes("not base64!")).toBe("not base64!");
    expect(reviveBytes(undefined)).toBeUndefined();
  });

  it("reviveMapObject builds a Map from an object's own properties, values revived", () => {
    const map = reviveMapObject(reviveDate)({ b: iso, a: null }) as Map<string, unknown>;
    expect(map).toBeInstanceOf(Map);
    expect([...map.keys()]).toEqual(["b", "a"]);
    expect(map.get("b")).toBeInstanceOf(Date);
    expect(map.get("a")).toBeNull();
    const proto = reviveMapObject()(JSON.parse('{"__proto__": 1}')) as Map<string, unknown>;
    expect(proto.get("__proto__")).toBe(1);
    expect(reviveMapObject()([1])).toEqual([1]);
  });

  it("reviveMapEntries builds a Map from pairs, keys and values revived, a later key winning", () => {
    const map = reviveMapEntries(reviveBigInt, reviveDate)([["2", iso], ["1", iso], ["2", null]]) as Map<unknown, unknown>;
    expect([...map.keys()]).toEqual([2n, 1n]);
    expect(map.get(2n)).toBeNull();
    expect(map.get(1n)).toBeInstanceOf(Date);
    expect(reviveMapEntries()([[1, "a"]])).toEqual(new Map([[1, "a"]]));
    expect(reviveMapEntries()({ a: 1 })).toEqual({ a: 1 });
  });

  it("reviveSet builds a Set of revived items", () => {
    expect(reviveSet()(["a", "b", "a"])).toEqual(new Set(["a", "b"]));
    const dates = reviveSet(reviveDate)([iso, iso]) as Set<unknown>;
    expect(dates.size).toBe(2);
    expect([...dates].every((d) => d instanceof Date)).toBe(true);
    expect(reviveSet()("x")).toBe("x");
  });

  it("nests: an array of Maps of Sets", () => {
    const revive = reviveArray(reviveMapObject(reviveSet(reviveBigInt)));
    expect(revive(JSON.parse('[{"k": ["1", "2"]}]'))).toEqual([new Map([["k", new Set([1n, 2n])]])]);
  });
});

describe("union revivers", () => {
  it("wireTypeOf names the JSON types", () => {
    expect([null, true, 1, "s", [], {}, undefined, 1n].map(wireTypeOf)).toEqual([
      "null",
      "boolean",
      "number",
      "string",
      "array",
      "object",
      undefined,
      undefined,
    ]);
  });

  it("reviveUnion hands each value to its JSON type's reviver and leaves the others", () => {
    const revive = reviveUnion({ string: reviveDate, array: reviveArray(reviveBigInt) });
    expect(revive(iso)).toBeInstanceOf(Date);
    expect(revive(["1"])).toEqual([1n]);
    expect(revive(5)).toBe(5);
    expect(revive(null)).toBeNull();
    expect(revive(undefined)).toBeUndefined();
  });

  it("reviveTagged picks the reviver by the discriminator and leaves unknown tags", () => {
    const revive = reviveTagged("kind", [
      ["created", reviveObject({ at: reviveDate })],
      [2, reviveObject({ size: reviveBigInt })],
    ]);
    expect((revive({ kind: "created", at: iso }) as { at: unknown }).at).toBeInstanceOf(Date);
    expect(revive({ kind: 2, size: "5" })).toEqual({ kind: 2, size: 5n });
    expect(revive({ kind: "2", size: "5" })).toEqual({ kind: "2", size: "5" });
    expect(revive({ size: "5" })).toEqual({ size: "5" });
    expect(revive([iso])).toEqual([iso]);
  });
});
