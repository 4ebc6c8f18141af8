import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64 } from "../../../src/runtime/base64.js";

describe("base64", () => {
  it("matches Node's encoder at every length and byte value", () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length * 11) & 0xff);
      const text = Buffer.from(bytes).toString("base64");
      expect(encodeBase64(bytes)).toBe(text);
      expect(decodeBase64(text)).toEqual(bytes);
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(encodeBase64(all)).toBe(Buffer.from(all).toString("base64"));
  });

  it("round-trips a megabyte", () => {
    const bytes = Uint8Array.from({ length: (1 << 20) + 2 }, (_, i) => (i * 7919) & 0xff);
    const text = encodeBase64(bytes);
    expect(text === Buffer.from(bytes).toString("base64")).toBe(true);
    expect(Buffer.from(decodeBase64(text)!).equals(bytes)).toBe(true);
  });

  it("refuses what is not canonical base64", () => {
    for (const bad of ["a", "aGk", "aGk==", "a=Gk", "aG k", "aGk!", "aGl=", "aR==", "====", "aGkh\n", "é===", "aGk-", "aGk_"]) {
      expect(decodeBase64(bad), bad).toBeUndefined();
    }
    expect(decodeBase64("")).toEqual(new Uint8Array());
    expect(decodeBase64("aGk=")).toEqual(new Uint8Array([104, 105]));
    expect(decodeBase64("aQ==")).toEqual(new Uint8Array([105]));
  });
});
