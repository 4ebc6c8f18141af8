/**
 * The tests every broker transport passes against the real RabbitMQ of the run: the generated calculator
 * and ticker (the committed golden output) served from their queues and called through them, once per
 * wire format, then what happens when connections fail, sends while no server runs, and streams.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Entry } from "../../../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../../../fixtures/calculator/expected/index.js";
import { serveTicker, TickerClient, tickerResultValidators } from "../../../fixtures/kind-stream/expected/index.js";
import type { Tick } from "../../../fixtures/kind-stream/ticker.js";
import { JampError, Peer, type ServiceBinding } from "../../../src/runtime/index.js";
import type { BrokerClientOptions, BrokerServer, BrokerTransport, ReconnectOptions } from "../../../src/runtime/transports/amqp.js";
import { rejection } from "../../support/rejection.js";
import { at as start, RecordingTicker } from "../../support/services.js";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";

export interface ServeOptions {
  readonly url: string;
  readonly services: readonly ServiceBinding[];
  readonly queuePrefix: string;
  readonly reconnect?: ReconnectOptions | false;
  readonly creditTimeout?: number;
  readonly onError?: (error: JampError) => void;
}

/** One broker protocol: how to reach RabbitMQ with it, connect a client and start a server. */
export interface BrokerKind {
  readonly name: string;
  /** The broker's port for this protocol. */
  port(): number;
  /** The URL of the broker at `port` (the broker's own, or a proxy's). */
  url(port: number): string;
  connect(url: string, options: BrokerClientOptions): Promise<BrokerTransport>;
  serve(options: ServeOptions): Promise<BrokerServer>;
}

/** A calculator that counts its sends and can hold its queries until the test releases them. */
export class TestCalculator extends CalculatorSkeleton {
  entries: Entry[] = [];
  resets = 0;
  adds = 0;
  hold = false;
  held: (() => void)[] = [];

  async add(a: number, b: number): Promise<number> {
    this.adds++;
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    this.entries.unshift({ op: "add", a, b, result: a + b, at: new Date(Date.UTC(2026, 10, 21, 12, 0, this.entries.length)) });
    return a + b;
  }
  async divide(a: number, b: number): Promise<number> {
    if (b === 0) throw new JampError("division-by-zero", `cannot divide ${a} by zero`);
    return a / b;
  }
  async history(limit?: number): Promise<Entry[]> {
    return this.entries.slice(0, limit ?? this.entries.length);
  }
  reset(): void {
    this.resets++;
    this.entries = [];
  }
  release(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

/** Waits until `condition` holds, polling for at most `ms`. */
export async function until(condition: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

let prefixes = 0;
/** A queue prefix of its own for each group of tests, so that they never share a queue. */
function freshPrefix(kind: BrokerKind, what: string): string {
  return `test.${kind.name.toLowerCase()}.${what}.${process.pid}.${++prefixes}`;
}

export function brokerSuite(kind: BrokerKind): void {
  describe.each(["jamp", "jamp-b", "jsonrpc2"])(`the generated Calculator over ${kind.name}, in %s`, (codec) => {
    const impl = new TestCalculator();
    const queuePrefix = freshPrefix(kind, codec);
    let server: BrokerServer;
    let peer: Peer;
    let calc: CalculatorClient;

    beforeAll(async () => {
      const url = kind.url(kind.port());
      server = await kind.serve({ url, services: [serveCalculator(impl)], queuePrefix });
      peer = new Peer(await kind.connect(url, { queuePrefix }), { codec });
      calc = new CalculatorClient(peer);
    });
    afterAll(async () => {
      impl.release();
      peer.close();
      await server.close();
    });

    it("answers typed queries, with Dates revived", async () => {
      expect(await calc.add(1, 2)).toBe(3);
      const [entry] = await calc.history(1);
      expect(entry).toMatchObject({ op: "add", a: 1, b: 2, result: 3 });
      expect(entry?.at).toBeInstanceOf(Date);
    });

    it("delivers one-way sends, which flush() says the broker confirmed", async () => {
      const before = impl.resets;
      calc.reset();
      calc.reset();
      await peer.flush();
      await until(() => impl.resets === before + 2);
      expect(await calc.history()).toEqual([]);
    });

    it("rejects with the application's error, type and message kept", async () => {
      const error = await rejection(calc.divide(1, 0));
      expect(error).toMatchObject({ type: "division-by-zero", message: "cannot divide 1 by zero" });
    });

    it("refuses invalid arguments with their issues, before the handler runs", async () => {
      const adds = impl.adds;
      const untyped = calc as unknown as { add(a: unknown, b: unknown): Promise<number> };
      const error = await rejection(untyped.add("1", 2));
      expect(error.type).toBe("invalid-arguments");
      expect(error.data).toMatchObject({ issues: [{ path: "/0", param: "a", keyword: "type" }] });
      expect(impl.adds).toBe(adds);
    });

    it("times a query out when its answer does not come in time, and counts the late answer", async () => {
      impl.hold = true;
      const error = await rejection(calc.add(2, 2, { timeout: 300 }));
      expect(error.type).toBe("timeout");
      impl.release();
      await until(() => peer.stats.lateReplies === 1);
    });

    // JSON-RPC names the interface, not the address: its calls reach the calculator whatever the client's address.
    if (codec !== "jsonrpc2") {
      it("times out a query to an address nobody serves: the broker keeps it, nothing answers", async () => {
        const nobody = new CalculatorClient(peer, "/nobody-serves-this");
        expect((await rejection(nobody.add(1, 1, { timeout: 300 }))).type).toBe("timeout");
      });
    }
  });

  describe(`connections that fail, over ${kind.name}`, () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      proxy = await startTcpProxy(kind.port());
    });
    afterAll(() => proxy.close());

    it("rejects every pending query with connection-closed when the client's connection drops", async () => {
      const impl = new TestCalculator();
      impl.hold = true;
      const queuePrefix = freshPrefix(kind, "drop");
      const server = await kind.serve({ url: kind.url(kind.port()), services: [serveCalculator(impl)], queuePrefix });
      const peer = new Peer(await kind.connect(kind.url(proxy.port), { queuePrefix }));
      const calc = new CalculatorClient(peer);
      const pending = Array.from({ length: 20 }, (_, i) => rejection(calc.add(i, 1, { timeout: 0 })));
      await until(() => impl.held.length > 0);
      proxy.cut();
      const errors = await Promise.all(pending);
      expect(errors.map((error) => error.type)).toEqual(Array(20).fill("connection-closed"));
      expect((await peer.closed).type).toBe("connection-closed");
      impl.release();
      await server.close();
    });

    it("rejects flush() with connection-closed when the connection drops before the broker confirmed", async () => {
      const queuePrefix = freshPrefix(kind, "unconfirmed");
      const peer = new Peer(await kind.connect(kind.url(proxy.port), { queuePrefix }));
      const calc = new CalculatorClient(peer);
      calc.reset();
      await peer.flush();
      proxy.freeze();
      calc.reset();
      const flushed = peer.flush();
      proxy.cut();
      expect((await rejection(flushed)).type).toBe("connection-closed");
    });

    it("serves again once the server's connection comes back: queues consumed again, unacknowledged work redelivered", async () => {
      const impl = new TestCalculator();
      const queuePrefix = freshPrefix(kind, "reconnect");
      const problems: JampError[] = [];
      const server = await kind.serve({
        url: kind.url(proxy.port),
        services: [serveCalculator(impl)],
        queuePrefix,
        reconnect: { initialDelay: 50, maxDelay: 400 },
        onError: (error) => problems.push(error),
      });
      const peer = new Peer(await kind.connect(kind.url(kind.port()), { queuePrefix }));
      const calc = new CalculatorClient(peer);
      expect(await calc.add(1, 1)).toBe(2);
      impl.hold = true;
      const held = calc.add(2, 2);
      await until(() => impl.held.length === 1);
      const accepted = proxy.accepted;
      proxy.refuse(true);
      proxy.cut();
      await until(() => server.state === "reconnecting");
      // Queued while no server consumes; the held query goes back to the queue too.
      const queued = calc.add(3, 3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      impl.release();
      proxy.refuse(false);
      expect(await Promise.all([held, queued])).toEqual([4, 6]);
      expect(server.state).toBe("open");
      expect(proxy.accepted).toBeGreaterThan(accepted);
      // add(2, 2) ran twice: on the lost connection, then redelivered (handlers should be idempotent).
      expect(impl.adds).toBe(4);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((problem) => problem.type === "connection-closed")).toBe(true);
      peer.close();
      await server.close();
      expect(server.state).toBe("closed");
    });
  });

  describe(`streams whose server goes, over ${kind.name}`, () => {
    it("fails a stream with connection-closed when its server dies and another takes it over", async () => {
      const proxy = await startTcpProxy(kind.port());
      const queuePrefix = freshPrefix(kind, "stream-moved");
      const first = new RecordingTicker();
      const second = new RecordingTicker();
      const dying = await kind.serve({ url: kind.url(proxy.port), services: [serveTicker(first)], queuePrefix, reconnect: false });
      const peer = new Peer(await kind.connect(kind.url(kind.port()), { queuePrefix }));
      const items = new TickerClient(peer).count(1_000_000, { credit: 4 })[Symbol.asyncIterator]();
      expect((await items.next()).value).toBe(1);
      // The first server's connection drops for good; the stream message it had not acknowledged goes to the second.
      proxy.refuse(true);
      proxy.cut();
      await first.finished.promise;
      const taking = await kind.serve({ url: kind.url(kind.port()), services: [serveTicker(second)], queuePrefix });
      const got: number[] = [];
      const error = await rejection(
        (async () => {
          for (let step = await items.next(); step.done !== true; step = await items.next()) got.push(step.value);
        })(),
      );
      expect(error).toMatchObject({ type: "connection-closed", message: "the server serving the stream went away" });
      // What the first server had sent before it went, then nothing of the stream started over.
      expect(got).toEqual(got.map((_, i) => i + 2));
      await second.finished.promise;
      expect(dying.state).toBe("closed");
      peer.close();
      await taking.close();
      await proxy.close();
    });

    it("ends a stream whose reader grants no credit within creditTimeout, with a timeout error", async () => {
      const queuePrefix = freshPrefix(kind, "stream-credit");
      const impl = new RecordingTicker();
      const server = await kind.serve({ url: kind.url(kind.port()), services: [serveTicker(impl)], queuePrefix, creditTimeout: 300 });
      const peer = new Peer(await kind.connect(kind.url(kind.port()), { queuePrefix }));
      const items = new TickerClient(peer).count(1_000_000, { credit: 4 })[Symbol.asyncIterator]();
      expect((await items.next()).value).toBe(1);
      // The reader stops reading: the server spends its credit, waits, then gives up.
      await impl.finished.promise;
      expect(impl.produced).toBeLessThanOrEqual(5);
      const got: number[] = [];
      const error = await rejection(
        (async () => {
          for (let step = await items.next(); step.done !== true; step = await items.next()) got.push(step.value);
        })(),
      );
      expect(error.type).toBe("timeout");
      expect(got).toEqual([2, 3, 4]);
      peer.close();
      await server.close();
    });
  });

  describe(`sends while no server runs, over ${kind.name}`, () => {
    it("keeps confirmed sends in the queue and delivers them once a server starts", async () => {
      const queuePrefix = freshPrefix(kind, "offline");
      const url = kind.url(kind.port());
      const peer = new Peer(await kind.connect(url, { queuePrefix }));
      const calc = new CalculatorClient(peer);
      for (let i = 0; i < 50; i++) calc.reset();
      await peer.flush();
      peer.close();
      const impl = new TestCalculator();
      const server = await kind.serve({ url, services: [serveCalculator(impl)], queuePrefix });
      await until(() => impl.resets === 50);
      await server.close();
    });
  });

  describe.each(["jamp", "jamp-b"])(`streams over ${kind.name}, in %s`, (codec) => {
    const impl = new RecordingTicker();
    const queuePrefix = freshPrefix(kind, `streams-${codec}`);
    let server: BrokerServer;
    let peer: Peer;
    let ticker: TickerClient;

    beforeAll(async () => {
      const url = kind.url(kind.port());
      server = await kind.serve({ url, services: [serveTicker(impl)], queuePrefix });
      peer = new Peer(await kind.connect(url, { queuePrefix }), { codec });
      ticker = new TickerClient(peer, undefined, { validateResults: tickerResultValidators });
    });
    afterAll(async () => {
      peer.close();
      await server.close();
    });

    it("delivers the items in order, revived, then ends", async () => {
      const got: Tick[] = [];
      for await (const tick of ticker.ticks("ACME", start, 40)) got.push(tick);
      expect(got.map((tick) => tick.price)).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
      expect(got.every((tick) => tick.at instanceof Date)).toBe(true);
      expect(peer.stats.streams).toBe(0);
    });

    it("cancels the server's generator when the loop breaks, its credit bounding how far it ran", async () => {
      const got: number[] = [];
      for await (const n of ticker.count(1_000_000, { credit: 4 })) {
        got.push(n);
        if (n === 10) break;
      }
      expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await impl.finished.promise;
      // The server holds at most its credit in flight and one more item pulled, waiting for credit.
      expect(impl.produced).toBeLessThanOrEqual(10 + 4 + 1);
    });

    it("ends the loop with the server's error after the items before it", async () => {
      const got: number[] = [];
      let caught: unknown;
      try {
        for await (const tick of ticker.ticks("FAIL", start, 5)) got.push(tick.price);
      } catch (error) {
        caught = error;
      }
      expect(got).toEqual([100, 101]);
      expect(caught).toMatchObject({ type: "market-closed", message: "no trading in FAIL" });
    });

    it("stops the server's generator when the client closes mid-stream", async () => {
      const other = new Peer(await kind.connect(kind.url(kind.port()), { queuePrefix }), { codec });
      let caught: unknown;
      try {
        for await (const n of new TickerClient(other).count(1_000_000)) if (n === 5) other.close();
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ type: "connection-closed" });
      await impl.finished.promise;
    });
  });
}
