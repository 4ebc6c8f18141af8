/**
 * What the fuzzed server serves: the generated bindings of the calculator and stream fixtures
 * (`fixtures/calculator/expected`, `fixtures/kind-stream/expected`) over small implementations. Every
 * answer is bounded (a stream yields at most `maxItems` items, the history and the latest ticks keep
 * `maxHistory` entries), so that each hostile call costs the server a bounded amount of work and memory.
 * Shared with the property tests.
 */

import type { Calculator, Entry } from "../fixtures/calculator/calculator.js";
import { serveCalculator } from "../fixtures/calculator/expected/index.js";
import { serveTicker } from "../fixtures/kind-stream/expected/index.js";
import type { Tick, Ticker } from "../fixtures/kind-stream/ticker.js";
import { JampError, type ServiceBinding } from "../src/runtime/index.js";

const maxItems = 100;
const maxHistory = 20;

export function fuzzedServices(): ServiceBinding[] {
  const history: Entry[] = [];
  const record = (op: Entry["op"], a: number, b: number, result: number): number => {
    history.unshift({ op, a, b, result, at: new Date(0) });
    history.length = Math.min(history.length, maxHistory);
    return result;
  };
  const calculator: Calculator = {
    add: async (a, b) => record("add", a, b, a + b),
    async divide(a, b) {
      if (b === 0) throw new JampError("division-by-zero", `cannot divide ${a} by zero`);
      return record("divide", a, b, a / b);
    },
    history: async (limit) => history.slice(0, limit ?? maxHistory),
    reset: () => void (history.length = 0),
  };
  const latest = new Map<string, Tick>();
  const ticker: Ticker = {
    async *ticks(symbol, since, limit) {
      const start = Number.isNaN(since.getTime()) ? 0 : since.getTime();
      for (let i = 0; i < Math.min(limit ?? 3, maxItems); i++) {
        const tick = { symbol, price: i, at: new Date(Math.min(start + i, 8.64e15)) };
        latest.delete(symbol);
        latest.set(symbol, tick);
        if (latest.size > maxHistory) latest.delete(latest.keys().next().value as string);
        yield tick;
      }
    },
    async *count(to) {
      for (let i = 1; i <= Math.min(to, maxItems); i++) yield i;
    },
    latest: async (symbol) => latest.get(symbol) ?? null,
  };
  return [serveCalculator(calculator), serveTicker(ticker)];
}
