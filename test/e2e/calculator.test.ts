/**
 * The generated calculator (the committed golden output) over a real WebSocket on 127.0.0.1: typed
 * calls, one-way sends, errors, validation, timeouts, cancellation and connection loss.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Calculator, Entry } from "../../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import { connect, JampError, listen, type Peer, type Server } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";

/** A calculator whose `add` can be held until the test releases it, and which counts handler runs. */
class TestCalculator extends CalculatorSkeleton {
  entries: Entry[] = [];
  runs = 0;
  hold = false;
  held: (() => void)[] = [];

  async add(a: number, b: number): Promise<number> {
    this.runs++;
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    this.entries.unshift({ op: "add", a, b, result: a + b, at: new Date(Date.UTC(2026, 10, 21, 12, 0, this.entries.length)) });
    return a + b;
  }
  async divide(a: number, b: number): Promise<number> {
    this.runs++;
    if (b === 0) throw new JampError("division-by-zero", `cannot divide ${a} by zero`);
    return a / b;
  }
  async history(limit?: number): Promise<Entry[]> {
    return this.entries.slice(0, limit ?? this.entries.length);
  }
  reset(): void {
    this.entries = [];
  }
}

let impl: TestCalculator;
let server: Server;
let peer: Peer;
let calc: CalculatorClient;

beforeEach(async () => {
  impl = new TestCalculator();
  server = await listen({ port: 0, services: [serveCalculator(impl)] });
  peer = await connect(`ws://127.0.0.1:${server.port}`);
  calc = new CalculatorClient(peer);
});

afterEach(async () => {
  peer.close();
  await server.close();
});


describe("generated Calculator over WebSocket", () => {
  it("answers a typed query", async () => {
    const sum: number = await calc.add(1, 2);
    expect(sum).toBe(3);
  });

  it("puts a JAMP query and reply on the wire", async () => {
    const raw = new WebSocket(server.url);
    await new Promise((resolve, reject) => raw.once("open", resolve).once("error", reject));
    const reply = new Promise<string>((resolve) => raw.once("message", (data) => resolve(String(data))));
    raw.send(JSON.stringify(["query", 7, "/calculator", "/raw-client", "add", [1, 2]]));
    expect(JSON.parse(await reply)).toEqual(["reply", 7, "/raw-client", "/calculator", 3]);
    raw.close();
  });

  it("delivers a one-way send, with no reply", async () => {
    await calc.add(1, 1);
    calc.reset();
    // The send and the query travel in order on one connection, so the query sees the reset.
    expect(await calc.history()).toEqual([]);
    expect(peer.stats.framesIn).toBe(2);
  });

  it("revives Dates in results into real Date objects", async () => {
    await calc.add(2, 3);
    const [entry] = await calc.history();
    expect(entry?.at).toBeInstanceOf(Date);
    expect(entry?.at.toISOString()).toBe("2026-11-21T12:00:00.000Z");
    expect(entry).toMatchObject({ op: "add", a: 2, b: 3, result: 5 });
  });

  it("passes an optional parameter, and leaves it out when not given", async () => {
    for (let i = 0; i < 3; i++) await calc.add(i, i);
    expect(await calc.history(2)).toHaveLength(2);
    expect(await calc.history()).toHaveLength(3);
  });

  it("rejects with the handler's error type and message", async () => {
    const error = await rejection(calc.divide(1, 0));
    expect(error.type).toBe("division-by-zero");
    expect(error.message).toBe("cannot divide 1 by zero");
  });

  it("answers invalid-arguments naming the bad argument, and never runs the handler", async () => {
    const untyped = calc.add as unknown as (a: unknown, b: unknown) => Promise<number>;
    const error = await rejection(untyped.call(calc, "1", 2));
    expect(error.type).toBe("invalid-arguments");
    expect(error.message).toContain("a (/0) must be number");
    expect(error.data).toMatchObject({ issues: [{ path: "/0", param: "a", keyword: "type" }] });
    expect(impl.runs).toBe(0);
  });

  it("rejects extra and missing arguments", async () => {
    const untyped = calc.add as unknown as (...args: unknown[]) => Promise<number>;
    expect((await rejection(untyped.call(calc, 1))).type).toBe("invalid-arguments");
    const extra = await rejection(peer.query("/calculator", "add", [1, 2, 3]));
    expect(extra.type).toBe("invalid-arguments");
    expect(impl.runs).toBe(0);
  });

  it("times out a query that takes too long", async () => {
    impl.hold = true;
    const error = await rejection(calc.add(1, 2, { timeout: 50 }));
    expect(error.type).toBe("timeout");
    impl.held.forEach((release) => release());
  });

  it("cancels a query through its AbortSignal", async () => {
    impl.hold = true;
    const controller = new AbortController();
    const pending = calc.add(1, 2, { signal: controller.signal });
    await waitFor(() => impl.held.length === 1);
    controller.abort();
    expect((await rejection(pending)).type).toBe("cancelled");
    impl.held.forEach((release) => release());
  });

  it("rejects every pending query with connection-closed when the server closes", async () => {
    impl.hold = true;
    const pending = Array.from({ length: 5 }, (_, i) => calc.add(i, i));
    await waitFor(() => impl.held.length === 5);
    const closing = server.close();
    const errors = await Promise.all(pending.map(rejection));
    expect(errors.map((e) => e.type)).toEqual(Array(5).fill("connection-closed"));
    await closing;
  });

  it("answers 100 pipelined queries out of order, each to its own caller", async () => {
    impl.hold = true;
    const calls = Array.from({ length: 100 }, (_, i) => calc.add(i, 1000));
    await waitFor(() => impl.held.length === 100);
    // Release in reverse order: replies arrive in the opposite order of the queries.
    for (const release of [...impl.held].reverse()) release();
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1000));
  });

  it("serves a plain object implementation as well as a skeleton subclass", async () => {
    const plain: Calculator = { add: async (a, b) => a * 10 + b, divide: async (a, b) => a / b, history: async () => [], reset: () => {} };
    const other = await listen({ port: 0, services: [serveCalculator(plain, { address: "/calc2" })] });
    const otherPeer = await connect(other.url);
    try {
      expect(await new CalculatorClient(otherPeer, "/calc2").add(4, 2)).toBe(42);
      expect((await rejection(new CalculatorClient(otherPeer).add(4, 2))).type).toBe("service-not-found");
    } finally {
      otherPeer.close();
      await other.close();
    }
  });
});

/** Polls a condition every few milliseconds, for at most two seconds. */
async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met within 2 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
