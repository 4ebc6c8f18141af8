/**
 * One server, one port, every wire format at once: the generated calculator served by `listen()` with its
 * defaults, called concurrently by generated clients speaking each codec (over WebSocket, and over WebSocket
 * and HTTP together), and by raw WebSocket clients whose frames are checked byte for byte, on connections of
 * their own and interleaved on one connection. Bounded: 5 formats × 40 calls, 10 clients × 20 calls, and
 * 5 × 20 raw requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Entry } from "../../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import { codecs, connect, JampError, listen, type Peer, type Server } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";

class TestCalculator extends CalculatorSkeleton {
  resets = 0;
  async add(a: number, b: number): Promise<number> {
    // Answer out of order, so that correlation is really exercised.
    await new Promise((resolve) => setTimeout(resolve, (a * 7) % 5));
    return a + b;
  }
  async divide(a: number, b: number): Promise<number> {
    if (b === 0) throw new JampError("division-by-zero", `cannot divide ${a} by zero`);
    return a / b;
  }
  async history(): Promise<Entry[]> {
    return [{ op: "add", a: 1, b: 2, result: 3, at: new Date(Date.UTC(2026, 10, 21)) }];
  }
  reset(): void {
    this.resets++;
  }
}

const formats = Object.keys(codecs);
const impl = new TestCalculator();
let server: Server;
const peers: Peer[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  server = await listen({ port: 0, services: [serveCalculator(impl)] });
});

afterAll(async () => {
  for (const peer of peers) peer.close();
  for (const socket of sockets) socket.terminate();
  await server.close();
});

/** Each format's request for `add(a, b)` with id `id`, and the answer it must get, exactly. */
const exchanges: Record<string, (id: number, a: number, b: number) => [request: unknown, answer: unknown]> = {
  jamp: (id, a, b) => [
    ["query", id, "/calculator", "/raw", "add", [a, b]],
    ["reply", id, "/raw", "/calculator", a + b],
  ],
  "jamp-b": (id, a, b) => [
    ["query", {}, "/raw", id, "/calculator", "add", a, b],
    ["reply", {}, "/raw", id, a + b],
  ],
  jsonrpc2: (id, a, b) => [
    { jsonrpc: "2.0", method: "Calculator.add", params: { a, b }, id: `r${id}` },
    { jsonrpc: "2.0", result: a + b, id: `r${id}` },
  ],
  jsonrpc1: (id, a, b) => [
    { method: "Calculator.add", params: [a, b], id },
    { result: a + b, error: null, id },
  ],
  soapjr: (id, a, b) => [
    { HEAD: { service_type: "Calculator", action_type: "add", request_id: id }, BODY: { a, b } },
    { HEAD: { result: 1, request_id: id }, BODY: { value: a + b } },
  ],
};

async function rawSocket(): Promise<{ socket: WebSocket; frames: unknown[] }> {
  const socket = new WebSocket(server.url);
  sockets.push(socket);
  const frames: unknown[] = [];
  socket.on("message", (data) => frames.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  return { socket, frames };
}

async function arrived(frames: unknown[], count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (frames.length < count) {
    if (Date.now() > deadline) throw new Error(`${frames.length} of ${count} frames arrived`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("one server, one port, every format", () => {
  it("covers every registered codec", () => {
    expect(Object.keys(exchanges).sort()).toEqual([...formats].sort());
  });

  it("serves generated clients of every codec at once, each in its own format", async () => {
    const clients = await Promise.all(
      formats.map(async (codec) => {
        const peer = await connect(server.url, { codec });
        peers.push(peer);
        return new CalculatorClient(peer);
      }),
    );
    const calls = clients.flatMap((calc, c) => Array.from({ length: 40 }, (_, i) => calc.add(i, c * 1000)));
    const sums = await Promise.all(calls);
    expect(sums).toEqual(clients.flatMap((_, c) => Array.from({ length: 40 }, (__, i) => i + c * 1000)));

    for (const calc of clients) {
      calc.reset();
      const [entry] = await calc.history();
      expect(entry?.at).toEqual(new Date(Date.UTC(2026, 10, 21)));
      const error = await rejection(calc.divide(1, 0));
      expect([error.type, error.message]).toEqual(["division-by-zero", "cannot divide 1 by zero"]);
    }
    expect(impl.resets).toBe(formats.length);
    expect(server.peers.size).toBe(formats.length);
  });

  it("serves generated clients of every codec over WebSocket and HTTP at once, on the one port", async () => {
    const clients = await Promise.all(
      formats.flatMap((codec) =>
        [server.url, server.httpUrl].map(async (url) => {
          const peer = await connect(url, { codec });
          peers.push(peer);
          return { name: `${codec} over ${url.split(":")[0]}`, calc: new CalculatorClient(peer) };
        }),
      ),
    );
    const runs = clients.map(async ({ name, calc }, c) => {
      const sums = await Promise.all(Array.from({ length: 20 }, (_, i) => calc.add(i, c * 100)));
      expect(sums, name).toEqual(Array.from({ length: 20 }, (_, i) => i + c * 100));
      const error = await rejection(calc.divide(c, 0));
      expect([error.type, error.message], name).toEqual(["division-by-zero", `cannot divide ${c} by zero`]);
    });
    await Promise.all(runs);
    expect(clients).toHaveLength(2 * formats.length);
  });

  it("answers raw clients of every format, concurrently, each frame in its own format", async () => {
    const runs = formats.map(async (format) => {
      const { socket, frames } = await rawSocket();
      const expected: unknown[] = [];
      for (let i = 1; i <= 20; i++) {
        const [request, answer] = (exchanges[format] as (typeof exchanges)["jamp"])(i, i, 2);
        socket.send(JSON.stringify(request));
        expected.push(answer);
      }
      await arrived(frames, 20);
      // Answers come as handlers finish: the same set, in any order.
      const key = (frame: unknown) => JSON.stringify(frame);
      expect(frames.map(key).sort()).toEqual(expected.map(key).sort());
    });
    await Promise.all(runs);
  });

  it("answers every format interleaved on one connection", async () => {
    const { socket, frames } = await rawSocket();
    const expected = formats.map((format, i) => {
      const [request, answer] = (exchanges[format] as (typeof exchanges)["jamp"])(100 + i, 4, i);
      socket.send(JSON.stringify(request));
      return answer;
    });
    socket.send("[]");
    expected.push({ jsonrpc: "2.0", error: expect.objectContaining({ code: -32600 }), id: null });
    await arrived(frames, expected.length);
    expect(frames).toEqual(expect.arrayContaining(expected));
  });
});
