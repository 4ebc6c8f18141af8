/**
 * The ticker of `fixtures/kind-stream` for the stream tests (WebSocket end to end, brokers): items from a
 * fixed start, a failure on demand, and a counter whose generator tells when its `finally` ran.
 */
import { TickerSkeleton } from "../../fixtures/kind-stream/expected/index.js";
import type { Tick } from "../../fixtures/kind-stream/ticker.js";
import { JampError } from "../../src/runtime/errors.js";

export const start = new Date("2026-11-21T12:00:00.000Z");

/** A deferred: tests await what the server's generators did. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class TestTicker extends TickerSkeleton {
  /** How many items the last `count` produced; `finished` resolves when its `finally` ran. */
  produced = 0;
  finished = signal();

  async *ticks(symbol: string, since: Date, limit?: number): AsyncGenerator<Tick> {
    if (!(since instanceof Date)) throw new Error("since was not revived");
    for (let i = 0; i < (limit ?? 3); i++) {
      if (symbol === "FAIL" && i === 2) throw new JampError("market-closed", `no trading in ${symbol}`);
      yield { symbol, price: 100 + i, at: new Date(since.getTime() + i * 1000) };
    }
  }

  async *count(to: number): AsyncGenerator<number> {
    this.produced = 0;
    this.finished = signal();
    try {
      for (let i = 1; i <= to; i++) {
        this.produced = i;
        yield i;
      }
    } finally {
      this.finished.resolve();
    }
  }

  async latest(symbol: string): Promise<Tick | null> {
    return symbol === "NONE" ? null : { symbol, price: 1, at: start };
  }
}
