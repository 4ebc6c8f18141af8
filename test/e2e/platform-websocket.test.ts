/**
 * The client side of the runtime as a browser runs it: with the platform's WHATWG `WebSocket` (Node's
 * own, behind --experimental-websocket on Node 20), not `ws`, against a real server on 127.0.0.1.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CalculatorSkeleton, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import type { Entry } from "../../fixtures/calculator/calculator.js";
import { JampError, listen, type Server } from "jamp-gen/runtime";

class Calc extends CalculatorSkeleton {
  async add(a: number, b: number) {
    return a + b;
  }
  async divide(a: number, b: number) {
    if (b === 0) throw new JampError("division-by-zero", "no");
    return a / b;
  }
  async history(): Promise<Entry[]> {
    return [{ op: "add", a: 1, b: 2, result: 3, at: new Date("2026-11-21T12:00:00.000Z") }];
  }
  reset(): void {}
}

let server: Server;
beforeAll(async () => {
  server = await listen({ port: 0, services: [serveCalculator(new Calc())] });
});
afterAll(() => server.close());

const root = path.resolve(import.meta.dirname, "../..");
const script = `
  if (typeof WebSocket !== "function") throw new Error("no platform WebSocket");
  // Count constructions, to show the runtime picked the platform class and not ws.
  let made = 0;
  const Platform = WebSocket;
  globalThis.WebSocket = class extends Platform {
    constructor(...args) {
      super(...args);
      made++;
    }
  };
  const { connect } = await import(${JSON.stringify(path.join(root, "src/runtime/index.ts"))});
  const { CalculatorClient } = await import(${JSON.stringify(path.join(root, "fixtures/calculator/expected/calculator.client.ts"))});
  const peer = await connect(process.env.URL);
  const calc = new CalculatorClient(peer);
  const sum = await calc.add(20, 22);
  const error = await calc.divide(1, 0).catch((e) => e.type);
  const [entry] = await calc.history();
  calc.reset();
  peer.close();
  console.log(JSON.stringify({ sum, error, at: entry.at instanceof Date && entry.at.toISOString(), platformSockets: made }));
`;

it("calls the server through the platform WebSocket, as a browser would", async () => {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--experimental-websocket", "--no-warnings", "--import", import.meta.resolve("tsx"), "--input-type=module", "--eval", script],
      { cwd: root, env: { ...process.env, URL: server.url }, timeout: 20_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
  expect(JSON.parse(output)).toEqual({ sum: 42, error: "division-by-zero", at: "2026-11-21T12:00:00.000Z", platformSockets: 1 });
}, 30_000);
