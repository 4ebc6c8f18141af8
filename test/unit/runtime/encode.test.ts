import { describe, expect, it } from "vitest";
import {
  encodeArray,
  encodeBigInt,
  encodeBytes,
  encodeDate,
  encodeLazy,
  encodeMapEntries,
  encodeMapObject,
  encodeObject,
  encodeRecord,
  encodeSet,
  encodeTagged,
  encodeTuple,
  encodeUnion,
  valueTypeOf,
} from "../../../src/runtime/encode.js";
import type { Encoder } from "../../../src/runtime/descriptor.js";

const iso = "2024-02-29T08:30:00.000Z";
const at = new Date(iso);

/** A deep snapshot of a value, to show that encoding left it as it was. */
function snapshot(value: unknown): unknown {
  return structuredClone(value);
}

describe("leaf encoders", () => {
  it("encodeDate writes the ISO string and leaves anything else", () => {
    expect(encodeDate(at)).toBe(iso);
    expect(encodeDate(null)).toBeNull();
    expect(encodeDate(undefined)).toBeUndefined();
    expect(encodeDate(iso)).toBe(iso);
  });

  it("encodeDate throws for an invalid Date rather than send null", () => {
    expect(() => encodeDate(new Date("no"))).toThrow(RangeError);
  });

  it("encodeBigInt writes the decimal string, beyond 2^53 too", () => {
    expect(encodeBigInt(-12n)).toBe("-12");
    expect(encodeBigInt(0n)).toBe("0");
    expect(encodeBigInt(2n ** 64n + 1n)).toBe("18446744073709551617");
    expect(encodeBigInt(12)).toBe(12);
    expect(encodeBigInt(null)).toBeNull();
  });

  it("encodeBytes writes base64, for a Buffer too, and leaves anything else", () => {
    expect(encodeBytes(new Uint8Array([104, 105, 33]))).toBe("aGkh");
    expect(encodeBytes(Buffer.from("hi"))).toBe("aGk=");
    expect(encodeBytes(new Uint8Array())).toBe("");
    expect(encodeBytes([1, 2])).toEqual([1, 2]);
    expect(encodeBytes(undefined)).toBeUndefined();
  });
});

describe("container encoders copy on write", () => {
  it("encodeArray returns the same array when no item changes", () => {
    const plain = ["a", null];
    expect(encodeArray(encodeDate)(plain)).toBe(plain);
    expect(encodeArray(encodeDate)([])).toEqual([]);
  });

  it("encodeArray copies the array once an item changes, and leaves the input alone", () => {
    const input = ["x", at, null, at];
    const before = snapshot(input);
    const out = encodeArray(encodeDate)(input);
    expect(out).toEqual(["x", iso, null, iso]);
    expect(out).not.toBe(input);
    expect(input).toEqual(before);
    expect(input[1]).toBe(at);
  });

  it("encodeObject copies only objects on the way to a change and shares the rest", () => {
    const shared = { deep: [1, 2, 3] };
    const input = { at, other: shared, nested: { at, keep: shared }, untouched: { at: "text" } };
    const encode = encodeObject({
      at: encodeDate,
      nested: encodeObject({ at: encodeDate }),
      untouched: encodeObject({ at: encodeDate }),
      missing: encodeDate,
    });
    const out = encode(input) as typeof input & Record<string, unknown>;
    expect(out).toEqual({ at: iso, other: shared, nested: { at: iso, keep: shared }, untouched: { at: "text" } });
    expect(out.other).toBe(shared);
    expect(out.nested.keep).toBe(shared);
    expect(out.untouched).toBe(input.untouched);
    expect(Object.hasOwn(out, "missing")).toBe(false);
    expect(input.at).toBe(at);
    expect(input.nested.at).toBe(at);
  });

  it("encodeObject returns the very object when nothing needs converting", () => {
    const input = { at: null, n: 1 };
    expect(encodeObject({ at: encodeDate })(input)).toBe(input);
  });

  it("encodeObject keeps a __proto__ key as data", () => {
    const input = JSON.parse('{"__proto__": 1, "n": 2}') as Record<string, unknown>;
    input["n"] = 5n;
    const out = encodeObject({ ["__proto__"]: encodeBigInt, n: encodeBigInt })(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toBe(1);
    expect(out["n"]).toBe("5");
  });

  it("encodeTuple converts only the positions that have an encoder", () => {
    const input = [at, at] as const;
    expect(encodeTuple([undefined, encodeDate])(input)).toEqual([at, iso]);
    expect(input[1]).toBe(at);
  });

  it("encodeRecord converts every own value", () => {
    const input = { a: 1n, b: 2n };
    expect(encodeRecord(encodeBigInt)(input)).toEqual({ a: "1", b: "2" });
    expect(input).toEqual({ a: 1n, b: 2n });
  });

  it("passes null and undefined through at every level", () => {
    const encode = encodeObject({ list: encodeArray(encodeObject({ n: encodeBigInt })) });
    expect(encode(null)).toBeNull();
    expect(encode(undefined)).toBeUndefined();
    const input = { list: [null, { n: null }, { n: 1n }] };
    expect(encode(input)).toEqual({ list: [null, { n: null }, { n: "1" }] });
  });
});

describe("Map and Set encoders", () => {
  it("encodeMapObject turns a Map with string keys into an object in the Map's order", () => {
    const input = new Map([
      ["b", at],
      ["a", at],
    ]);
    const out = encodeMapObject(encodeDate)(input);
    expect(out).toEqual({ b: iso, a: iso });
    expect(Object.keys(out as object)).toEqual(["b", "a"]);
    expect(input.get("b")).toBe(at);
    expect(encodeMapObject()(new Map([["k", 1]]))).toEqual({ k: 1 });
  });

  it("encodeMapObject keeps a __proto__ key as data", () => {
    const out = encodeMapObject()(new Map([["__proto__", 1]])) as object;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":1}');
  });

  it("encodeMapEntries turns any Map into [key, value] pairs, keys encoded too", () => {
    const input = new Map<bigint, Date>([
      [2n, at],
      [1n, at],
    ]);
    expect(encodeMapEntries(encodeBigInt, encodeDate)(input)).toEqual([
      ["2", iso],
      ["1", iso],
    ]);
    expect(encodeMapEntries()(new Map([[1, "a"]]))).toEqual([[1, "a"]]);
    expect(encodeMapEntries(undefined, encodeBigInt)(new Map([[1, 3n]]))).toEqual([[1, "3"]]);
  });

  it("encodeSet turns a Set into an array of encoded items", () => {
    expect(encodeSet()(new Set(["a", "b"]))).toEqual(["a", "b"]);
    expect(encodeSet(encodeBigInt)(new Set([1n, 2n]))).toEqual(["1", "2"]);
    expect(encodeSet()(["already", "an array"])).toEqual(["already", "an array"]);
  });

  it("nests: a Set of Maps inside an array", () => {
    const encode = encodeArray(encodeSet(encodeMapObject(encodeBytes)));
    const input = [new Set([new Map([["k", new Uint8Array([255])]])])];
    expect(encode(input)).toEqual([[{ k: "/w==" }]]);
    expect(JSON.stringify(encode(input))).toBe('[[{"k":"/w=="}]]');
  });
});

describe("union encoders", () => {
  it("valueTypeOf names what encoders tell apart", () => {
    const cases: [unknown, string][] = [
      [null, "null"],
      [undefined, "undefined"],
      [true, "boolean"],
      [1, "number"],
      ["s", "string"],
      [1n, "bigint"],
      [[], "array"],
      [at, "date"],
      [new Uint8Array(), "bytes"],
      [Buffer.from(""), "bytes"],
      [new Map(), "map"],
      [new Set(), "set"],
      [{}, "object"],
      [() => 1, "other"],
    ];
    for (const [value, type] of cases) expect(valueTypeOf(value)).toBe(type);
  });

  it("encodeUnion hands each value to its type's encoder and leaves the others", () => {
    const encode = encodeUnion({ date: encodeDate, array: encodeArray(encodeBigInt) });
    expect(encode(at)).toBe(iso);
    expect(encode([1n, 2n])).toEqual(["1", "2"]);
    expect(encode("text")).toBe("text");
    expect(encode(null)).toBeNull();
  });

  it("encodeTagged picks the encoder by the discriminator, and leaves unknown tags", () => {
    const encode = encodeTagged("kind", [
      ["created", encodeObject({ at: encodeDate })],
      ["resized", encodeObject({ size: encodeBigInt })],
    ]);
    expect(encode({ kind: "created", at })).toEqual({ kind: "created", at: iso });
    expect(encode({ kind: "resized", size: 9n })).toEqual({ kind: "resized", size: "9" });
    const noted = { kind: "noted", text: "hi" };
    expect(encode(noted)).toBe(noted);
    expect(encode("not an object")).toBe("not an object");
  });

  it("encodeLazy builds once, for recursive types", () => {
    let built = 0;
    const node: Encoder = encodeObject({
      at: encodeDate,
      children: encodeArray(
        encodeLazy(() => {
          built++;
          return node;
        }),
      ),
    });
    const input = { at, children: [{ at, children: [{ at, children: [] }] }] };
    expect(node(input)).toEqual({ at: iso, children: [{ at: iso, children: [{ at: iso, children: [] }] }] });
    expect(built).toBe(1);
    expect(input.children[0]?.at).toBe(at);
  });
});
