/**
 * One calculator server process of the scale-out test: serves the generated Calculator from its queue over
 * AMQP or STOMP and writes a line for each piece of work it finished, before answering it (`done <a>` for
 * `add(a, b)`, `reset` for a send), so that the test can count work against answers even for a server it
 * kills. Pipes are written synchronously on Linux, so a line written is not lost with the process.
 *
 * Run: node --import tsx --import ./bench/runtime-alias.mjs <this file> amqp|stomp <url> <queuePrefix> <prefetch>
 */

import { CalculatorSkeleton, serveCalculator } from "../../../fixtures/calculator/expected/index.js";
import type { Entry } from "../../../fixtures/calculator/calculator.js";
import { serveAmqp } from "../../../src/runtime/transports/amqp.js";
import { serveStomp } from "../../../src/runtime/transports/stomp.js";

const [protocol, url, queuePrefix, prefetch] = process.argv.slice(2) as [string, string, string, string];

class Worker extends CalculatorSkeleton {
  async add(a: number, b: number): Promise<number> {
    // A little work, of varying length, so that several calls overlap on each server.
    await new Promise((resolve) => setTimeout(resolve, 1 + (a % 4)));
    process.stdout.write(`done ${a}\n`);
    return a + b;
  }
  async divide(a: number, b: number): Promise<number> {
    return a / b;
  }
  async history(): Promise<Entry[]> {
    return [];
  }
  reset(): void {
    process.stdout.write("reset\n");
  }
}

const options = { url, services: [serveCalculator(new Worker())], queuePrefix, prefetch: Number(prefetch) };
const server = protocol === "stomp" ? await serveStomp(options) : await serveAmqp(options);
process.stdout.write("ready\n");
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
