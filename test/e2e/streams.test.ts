/**
 * Streams end to end, through the generated client and skeleton of `fixtures/kind-stream`, over a real
 * WebSocket on 127.0.0.1, once for each format that carries streams (JAMP with our extension, JAMP/B):
 * items in order and revived, `break` cancelling the server's generator, a server error ending the loop,
 * credit bounding how far a fast producer runs ahead of a slow consumer, an abort signal, and a closed
 * connection ending the streams on both sides. The formats without streams refuse them clearly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tick } from "../../fixtures/kind-stream/ticker.js";
import { serveTicker, TickerClient, tickerResultValidators } from "../../fixtures/kind-stream/expected/index.js";
import { connect, JampError, listen, type Peer, type Server } from "jamp-gen/runtime";
import { RecordingTicker } from "../support/services.js";

const start = new Date("2026-11-21T12:00:00.000Z");

/** Waits until `condition` holds, polling; fails after a second. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}

const impl = new RecordingTicker();
let server: Server;

beforeAll(async () => {
  server = await listen({ port: 0, services: [serveTicker(impl)] });
});
afterAll(async () => {
  await server.close();
});

describe.each(["jamp", "jamp-b"])("streams over %s", (codec) => {
  let peer: Peer;
  let ticker: TickerClient;

  beforeAll(async () => {
    peer = await connect(server.url, { codec });
    ticker = new TickerClient(peer, undefined, { validateResults: tickerResultValidators });
  });
  afterAll(() => peer.close());

  it("delivers the items in order, each validated and revived, then ends", async () => {
    const got: Tick[] = [];
    for await (const tick of ticker.ticks("ACME", start, 5)) got.push(tick);
    expect(got.map((t) => t.price)).toEqual([100, 101, 102, 103, 104]);
    expect(got[4]?.at).toEqual(new Date("2026-11-21T12:00:04.000Z"));
    expect(got.every((t) => t.at instanceof Date)).toBe(true);
    expect(await ticker.latest("ACME")).toEqual({ symbol: "ACME", price: 1, at: start });
    expect(peer.stats.streams).toBe(0);
  });

  it("cancels the server's generator when the loop breaks, and its finally runs", async () => {
    const got: number[] = [];
    for await (const n of ticker.count(1_000_000)) {
      got.push(n);
      if (n === 3) break;
    }
    expect(got).toEqual([1, 2, 3]);
    await impl.finished.promise;
    expect(impl.produced).toBeLessThan(100);
    await until(() => [...server.peers].every((p) => p.stats.streams === 0));
    expect(peer.stats.streams).toBe(0);
  });

  it("ends the loop with the server's JampError, type and message kept, after the items before it", async () => {
    const got: number[] = [];
    let caught: unknown;
    try {
      for await (const tick of ticker.ticks("FAIL", start, 5)) got.push(tick.price);
    } catch (error) {
      caught = error;
    }
    expect(got).toEqual([100, 101]);
    expect(caught).toBeInstanceOf(JampError);
    expect(caught).toMatchObject({ type: "market-closed", message: "no trading in FAIL" });
  });

  it("keeps a fast producer within the credit of a slow consumer", async () => {
    const credit = 8;
    let consumed = 0;
    let ahead = 0;
    for await (const n of ticker.count(1_000_000, { credit })) {
      consumed++;
      expect(n).toBe(consumed);
      await new Promise((r) => setTimeout(r, 2));
      ahead = Math.max(ahead, impl.produced - consumed);
      if (consumed === 60) break;
    }
    await impl.finished.promise;
    // The server pulls its generator at most one item beyond the credit it holds (the item it then waits to
    // send), so it is never more than `credit + 1` ahead.
    expect(ahead).toBeLessThanOrEqual(credit + 1);
    expect(impl.produced).toBeLessThanOrEqual(consumed + credit + 1);
  });

  it("cancels the stream when the signal aborts", async () => {
    const controller = new AbortController();
    const got: number[] = [];
    let caught: unknown;
    try {
      for await (const n of ticker.count(1_000_000, { signal: controller.signal })) {
        got.push(n);
        if (n === 2) controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ type: "cancelled" });
    expect(got).toEqual([1, 2]);
    await impl.finished.promise;
  });

  it("sends nothing until the loop starts", async () => {
    const framesOut = peer.stats.framesOut;
    const stream = ticker.count(5);
    expect(peer.stats.framesOut).toBe(framesOut);
    const got: number[] = [];
    for await (const n of stream) got.push(n);
    expect(got).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("a connection that closes", () => {
  it("ends the client's loop with connection-closed and returns the server's generator", async () => {
    const peer = await connect(server.url);
    const ticker = new TickerClient(peer);
    let caught: unknown;
    try {
      for await (const n of ticker.count(1_000_000)) if (n === 5) peer.close();
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ type: "connection-closed" });
    await impl.finished.promise;
  });

  it("ends the loop when the server closes the connection", async () => {
    const peer = await connect(server.url, { codec: "jamp-b" });
    const ticker = new TickerClient(peer);
    let caught: unknown;
    try {
      for await (const n of ticker.count(1_000_000)) {
        if (n === 5) for (const p of server.peers) if (p.stats.streams > 0) p.close();
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ type: "connection-closed" });
    await impl.finished.promise;
    peer.close();
  });
});

describe.each(["jsonrpc2", "jsonrpc1", "soapjr"])("over %s, which cannot carry streams", (codec) => {
  it("fails the loop with a clear invalid-message, and queries still work", async () => {
    const peer = await connect(server.url, { codec });
    const ticker = new TickerClient(peer);
    let caught: unknown;
    try {
      for await (const n of ticker.count(3)) expect(n).toBeUndefined();
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ type: "invalid-message" });
    expect((caught as Error).message).toContain(`Ticker.count is a stream, and ${codec} cannot carry streams`);
    expect(await ticker.latest("NONE")).toBeNull();
    peer.close();
  });
});
