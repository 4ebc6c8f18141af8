import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fits, limitOf, maxCredit, oversize, utf8Length } from "../../../src/runtime/limits.js";
import { IncomingStream, OutgoingStream, type StreamLink } from "../../../src/runtime/streams.js";

describe("utf8Length", () => {
  it("agrees with the bytes TextEncoder writes, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
      }),
      { numRuns: 2000 },
    );
    for (const text of ["\ud800", "\udc00", "a\ud800b", "\ud83d\ude00", "\ud83d", "é€😀"]) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});

describe("oversize", () => {
  it("agrees with fits, which counts bytes only when the characters could be too many", () => {
    expect([fits("é".repeat(10), 20), fits("é".repeat(11), 20), fits("a".repeat(20), 20), fits("a", 0)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });
  it("is limit-exceeded past the limit in bytes, not in characters", () => {
    expect(oversize("é".repeat(10), 20, () => "x")).toBeUndefined();
    const error = oversize("é".repeat(11), 20, () => "query add to /calculator");
    expect([error?.type, error?.message, error?.data]).toEqual([
      "limit-exceeded",
      "query add to /calculator is 22 bytes, over the limit of 20",
      { bytes: 22, maxPayload: 20 },
    ]);
  });
});

describe("limitOf", () => {
  it("takes whole numbers from 1, Infinity where allowed, and refuses the rest with a RangeError", () => {
    expect(limitOf("maxRunning", undefined, 1000)).toBe(1000);
    expect(limitOf("maxRunning", 1, 1000)).toBe(1);
    expect(limitOf("maxRunning", Infinity, 1000, true)).toBe(Infinity);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
      expect(() => limitOf("maxPending", bad, 10)).toThrow(RangeError);
    }
    expect(() => limitOf("maxRunning", 0, 1000, true)).toThrow(
      "maxRunning must be a whole number from 1 or Infinity, got 0",
    );
  });
});

const quiet: StreamLink = { grant: () => undefined, cancel: () => undefined, release: () => undefined };

describe("OutgoingStream", () => {
  it("counts credit up to 2^53-1, however much is granted", async () => {
    const served = new OutgoingStream(Number.MAX_SAFE_INTEGER);
    served.grant(Number.MAX_SAFE_INTEGER);
    served.grant(Number.MAX_SAFE_INTEGER);
    expect(served.credit).toBe(maxCredit);
    expect(maxCredit).toBe(Number.MAX_SAFE_INTEGER);
    served.spend();
    expect(served.credit).toBe(maxCredit - 1);
    await expect(served.ready()).resolves.toBe(true);
  });

  it("lets the event loop turn after a burst of items sent without waiting", async () => {
    const served = new OutgoingStream(1000);
    for (let i = 0; i < 63; i++) {
      expect(served.burstOver()).toBe(false);
      await served.ready();
      served.spend();
    }
    expect(served.burstOver()).toBe(false);
    served.spend();
    expect(served.burstOver()).toBe(true);
    let turned = false;
    void served.turn().then(() => (turned = true));
    for (let i = 0; i < 20; i++) await Promise.resolve();
    // Not within microtasks: only once the event loop has turned.
    expect(turned).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(turned).toBe(true);
    expect(served.burstOver()).toBe(false);
  });
});

describe("IncomingStream", () => {
  it("fails with limit-exceeded and cancels when more items come than the credit granted", async () => {
    const cancelled: string[] = [];
    const stream = new IncomingStream(1, "flood to /rogue", 2, { ...quiet, cancel: () => cancelled.push("cancel") });
    stream.push([1]);
    stream.push([2]);
    expect(cancelled).toEqual([]);
    stream.push([3]);
    expect(cancelled).toEqual(["cancel"]);
    await expect(stream.next()).rejects.toMatchObject({
      type: "limit-exceeded",
      message: "stream flood to /rogue: 1 items came past the credit granted",
    });
  });

  it("counts the credit it grants back as it is consumed", async () => {
    const granted: number[] = [];
    const stream = new IncomingStream(1, "count to /ticker", 2, { ...quiet, grant: (n) => granted.push(n) });
    for (let i = 0; i < 10; i++) {
      stream.push([i]);
      expect(await stream.next()).toEqual({ done: false, value: i });
    }
    expect(granted).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(stream.open).toBe(true);
  });
});
