import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffOf, defaultBackoff, reconnectDelay, type Backoff } from "../../../src/runtime/backoff.js";

const noJitter = (options: Partial<Backoff>): Backoff => ({ ...(backoffOf(options) as Backoff), jitter: 0 });

describe("the reconnect schedule", () => {
  it("grows each delay by the factor, up to the cap", () => {
    const backoff = noJitter({ initialDelay: 100, factor: 2, maxDelay: 1000 });
    const delays = Array.from({ length: 8 }, (_, i) => reconnectDelay(backoff, i + 1));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
  });

  it("keeps the delay constant with factor 1, and reaches the cap after many attempts without overflowing", () => {
    expect(reconnectDelay(noJitter({ initialDelay: 300, factor: 1 }), 50)).toBe(300);
    expect(reconnectDelay(noJitter({ initialDelay: 300, factor: 3, maxDelay: 9000 }), 5000)).toBe(9000);
    expect(reconnectDelay(noJitter({ initialDelay: 0, factor: 2 }), 5000)).toBe(0);
  });

  it("takes up to `jitter` of each delay away at random, never adding to it", () => {
    const backoff = backoffOf({ initialDelay: 1000, factor: 2, maxDelay: 8000, jitter: 0.25 }) as Backoff;
    expect(reconnectDelay(backoff, 1, () => 0)).toBe(1000);
    expect(reconnectDelay(backoff, 1, () => 0.5)).toBe(875);
    expect(reconnectDelay(backoff, 4, () => 0.999999)).toBe(6000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const base = Math.min(8000, 1000 * 2 ** (attempt - 1));
        const delay = reconnectDelay(backoff, attempt, () => r);
        return delay >= Math.round(base * 0.75) && delay <= base;
      }),
    );
  });

  it("spreads the delays of clients dropped together with the default jitter", () => {
    const backoff = backoffOf(true) as Backoff;
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelay(backoff, 3)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });

  it("has documented defaults, and none for false", () => {
    expect(backoffOf(undefined)).toEqual(defaultBackoff);
    expect(backoffOf(true)).toEqual({
      initialDelay: 500,
      maxDelay: 10_000,
      factor: 2,
      jitter: 0.5,
      maxAttempts: Infinity,
      resetAfter: 5_000,
    });
    expect(backoffOf(false)).toBeUndefined();
    expect(backoffOf({ initialDelay: 20_000 })?.maxDelay).toBe(20_000);
  });

  it.each([
    [{ initialDelay: -1 }, "reconnect.initialDelay must be from 0 to 2147483647, got -1"],
    [{ initialDelay: 500, maxDelay: 100 }, "reconnect.maxDelay must be from initialDelay to 2147483647, got 100"],
    [{ factor: 0.5 }, "reconnect.factor must be a finite number from 1, got 0.5"],
    [{ jitter: 2 }, "reconnect.jitter must be from 0 to 1, got 2"],
    [{ jitter: Number.NaN }, "reconnect.jitter must be from 0 to 1, got NaN"],
    [{ maxAttempts: 0 }, "reconnect.maxAttempts must be a whole number from 1, or Infinity, got 0"],
    [{ maxAttempts: 2.5 }, "reconnect.maxAttempts must be a whole number from 1, or Infinity, got 2.5"],
    [{ resetAfter: Infinity }, "reconnect.resetAfter must be a finite number from 0, got Infinity"],
    [{ factor: "2" as unknown as number }, "reconnect.factor must be a finite number from 1, got 2"],
  ])("refuses %o with a RangeError naming the option", (options, message) => {
    expect(() => backoffOf(options)).toThrow(new RangeError(message));
  });
});
