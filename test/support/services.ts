/**
 * Implementations of the calculator and ticker fixtures that the end-to-end tests serve, recording what they
 * were asked, so that a test can check what reached the server.
 */
import type { Entry } from "../../fixtures/calculator/calculator.js";
import { CalculatorSkeleton } from "../../fixtures/calculator/expected/index.js";
import type { Tick } from "../../fixtures/kind-stream/ticker.js";
import { TickerSkeleton } from "../../fixtures/kind-stream/expected/index.js";
import { JampError } from "../../src/runtime/errors.js";

/** The time of every history entry and of the ticker's `latest`. */
export const at = new Date(Date.UTC(2026, 10, 21, 12, 0, 0));

/** Adds, divides (`division-by-zero` for 0), has one history entry; `calls` and `resets` say what ran. */
export class RecordingCalculator extends CalculatorSkeleton {
  calls: string[] = [];
  resets = 0;
  async add(a: number, b: number): Promise<number> {
    this.calls.push(`add ${a} ${b}`);
    return a + b;
  }
  async divide(a: number, b: number): Promise<number> {
    if (b === 0) throw new JampError("division-by-zero", `cannot divide ${a} by zero`);
    return a / b;
  }
  async history(limit?: number): Promise<Entry[]> {
    return [{ op: "add", a: 1, b: 2, result: 3, at } as Entry].slice(0, limit ?? 1);
  }
  reset(): void {
    this.calls.push("reset");
    this.resets++;
  }
}

/** A deferred: tests await what the server's generators did. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Ticks from `since` (`FAIL` fails at the third), counts up; `produced` and `finished` tell on `count`. */
export class RecordingTicker extends TickerSkeleton {
  /** How many items the last `count` produced; `finished` resolves when its `finally` ran. */
  produced = 0;
  finished = deferred();

  async *ticks(symbol: string, since: Date, limit?: number): AsyncGenerator<Tick> {
    if (!(since instanceof Date)) throw new Error("since was not revived");
    for (let i = 0; i < (limit ?? 3); i++) {
      if (symbol === "FAIL" && i === 2) throw new JampError("market-closed", `no trading in ${symbol}`);
      yield { symbol, price: 100 + i, at: new Date(since.getTime() + i * 1000) };
    }
  }

  async *count(to: number): AsyncGenerator<number> {
    this.produced = 0;
    this.finished = deferred();
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
    return symbol === "NONE" ? null : { symbol, price: 1, at };
  }
}
