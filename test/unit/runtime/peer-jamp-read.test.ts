/**
 * The peer's direct reading of JAMP queries and replies (`jampCall`) against `jampCodec.read`: the same
 * message for every well-formed one, and nothing (so the codec reads it, or refuses it) for anything else.
 */
import { describe, expect, it } from "vitest";
import { jampCodec } from "../../../src/runtime/codecs/jamp.js";
import { jampCall } from "../../../src/runtime/peer.js";

const deep = (levels: number): unknown => (levels === 0 ? 1 : [deep(levels - 1)]);

describe("jampCall", () => {
  it("reads each query and reply as the JAMP codec does, members in the same order", () => {
    const frames: unknown[] = [
      ["reply", 1, "/client/ab", "/calculator", 3],
      ["reply", 0, "/c", "/s", null],
      ["reply", "id-7", "/c", "/s", { deep: [1, "é", { f: false }] }],
      ["reply", Number.MAX_SAFE_INTEGER, "", "", [1, 2]],
      ["query", 12, "/calculator", "/client/ab", "add", [1, 2]],
      ["query", "q", "jamp+ws://host/ü", "/me", 'od"d', []],
      ["query", 3, "/mirror", "/c", "echo", [deep(120)]],
    ];
    for (const frame of frames) {
      const read = jampCall(frame);
      expect(read).toEqual(jampCodec.read(frame));
      expect(Object.keys(read!)).toEqual(Object.keys(jampCodec.read(frame) as object));
      // With the frame's text, which lets it count brackets rather than walk the value.
      expect(jampCall(frame, JSON.stringify(frame))).toEqual(read);
    }
    // Brackets in strings count too: past the limit the value is walked, and is read all the same.
    const bracketed = ["reply", 1, "/c", "/s", { text: "[{".repeat(200) }];
    expect(jampCall(bracketed, JSON.stringify(bracketed))).toEqual(jampCodec.read(bracketed));
  });

  it("leaves every other value to the codec: other kinds, wrong slots, too deep", () => {
    const others: unknown[] = [
      null,
      "reply",
      {},
      [],
      ["send", "/s", "/c", "add", [1, 2]],
      ["error-query", 1, "/c", "/s", { type: "x", message: "y" }],
      ["stream", 1, "/s", "/c", "m", [], 16],
      ["reply", 1, "/c", "/s"],
      ["reply", 1, "/c", "/s", 3, 4],
      ["reply", -1, "/c", "/s", 3],
      ["reply", 1.5, "/c", "/s", 3],
      ["reply", null, "/c", "/s", 3],
      ["reply", 1, 2, "/s", 3],
      ["reply", 1, "/c", null, 3],
      ["reply", 1, "/c", "/s", deep(128)],
      ["query", 1, "/s", "/c", "add", [1, 2], {}],
      ["query", 1, "/s", "/c", 7, [1, 2]],
      ["query", 1, "/s", "/c", "add", { a: 1 }],
      ["query", { sid: "s" }, "/s", "/c", "add", [1]],
      ["query", 1, "/s", "/c", "echo", [deep(127)]],
    ];
    for (const value of others) {
      expect(jampCall(value)).toBeUndefined();
      expect(jampCall(value, JSON.stringify(value) ?? "")).toBeUndefined();
    }
    // The deepest the codec takes is read directly too; one level more is the codec's to refuse.
    expect(jampCall(["reply", 1, "/c", "/s", deep(126)])).toEqual(jampCodec.read(["reply", 1, "/c", "/s", deep(126)]));
    expect(() => jampCodec.read(["reply", 1, "/c", "/s", deep(128)])).toThrow(/nests deeper/);
  });
});
