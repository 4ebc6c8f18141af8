/**
 * The generated calculator served from a process of its own, for the fault tests, which kill it. Run as
 * `node --import tsx --import ./bench/runtime-alias.mjs test/support/calculator-process.ts <port>` (0: any
 * free port) on 127.0.0.1. It prints one JSON line per event: `{"port": n}` once listening, `{"held": n}`
 * each time an `add` with a negative `a` arrives (those are never answered). On stdin, the line `call`
 * makes it call `add(20, 22)` on the calculator each connected client serves and print
 * `{"clients": [results or error types]}`. It exits when stdin closes.
 */

import { createInterface } from "node:readline";
import type { Entry } from "../../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import { listen } from "jamp-gen/runtime";

const print = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

class HoldingCalculator extends CalculatorSkeleton {
  held = 0;
  async add(a: number, b: number): Promise<number> {
    if (a >= 0) return a + b;
    print({ held: ++this.held });
    return new Promise<number>(() => {});
  }
  async divide(a: number, b: number): Promise<number> {
    return a / b;
  }
  async history(): Promise<Entry[]> {
    return [];
  }
  reset(): void {}
}

const server = await listen({ port: Number(process.argv[2] ?? 0), services: [serveCalculator(new HoldingCalculator())] });
print({ port: server.port });

const commands = createInterface({ input: process.stdin });
commands.on("line", (line) => {
  if (line !== "call") return;
  const calls = [...server.peers].map((peer) =>
    new CalculatorClient(peer).add(20, 22).catch((error: { type?: string }) => error.type ?? "error"),
  );
  void Promise.all(calls).then((clients) => print({ clients }));
});
commands.on("close", () => void server.close().finally(() => process.exit(0)));
