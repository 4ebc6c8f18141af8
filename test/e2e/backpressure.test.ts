/**
 * A slow or stalled consumer, over real sockets on 127.0.0.1: a raw `ws` client stops reading (its socket
 * paused) while the server streams to it or answers its calls. The server's unsent bytes for that
 * connection (`peer.stats.buffered`, the socket's `bufferedAmount`), sampled every few milliseconds, stay
 * within `maxBuffered` and one frame; its generator stops being pulled; after `stallTimeout` the connection
 * is closed with `limit-exceeded` (close code 1008), and a bystander connection is served throughout. A
 * reader that pauses for less than `stallTimeout` loses nothing. Bounded: a few seconds each.
 */
import { describe, expect, it } from "vitest";
import type { JampError } from "../../src/runtime/errors.js";
import type { ListenOptions, Server } from "../../src/runtime/listen.js";
import type { Peer } from "../../src/runtime/peer.js";
import { Hoard, openedInTest, serveHoard, type RawClient } from "../support/hoard.js";
import { until } from "../unit/runtime/support/calculator.js";

const opened = openedInTest();
const raw = opened.raw;

const maxBuffered = 256 * 1024;
const itemSize = 8 * 1024;

async function start(options: Partial<ListenOptions> = {}) {
  const hoard = new Hoard();
  const reports: JampError[] = [];
  const server = await opened.listen({
    services: [serveHoard(hoard)],
    maxBuffered,
    onError: (error) => reports.push(error),
    ...options,
  });
  const bystander = await opened.connect(server.url);
  return { server, hoard, bystander, reports };
}

/** The server's peer of `socket`: the one opened after the bystander's. */
async function serverPeerOf(server: Server, socket: RawClient): Promise<Peer> {
  await until(() => server.peers.size === 2);
  expect(socket.socket.readyState).toBe(1);
  return [...server.peers].at(-1) as Peer;
}

/** Samples `peer.stats.buffered` every 2 ms until `stop` resolves; resolves with the largest value seen. */
async function peakBuffered(peer: Peer, stop: Promise<unknown>): Promise<number> {
  let peak = 0;
  let stopped = false;
  void stop.then(() => (stopped = true));
  while (!stopped) {
    peak = Math.max(peak, peer.stats.buffered);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return peak;
}

/** Queries on the bystander's connection every 20 ms until `stop` resolves; resolves with how many. */
async function bystanderServed(bystander: Peer, stop: Promise<unknown>): Promise<number> {
  let answered = 0;
  let stopped = false;
  void stop.then(() => (stopped = true));
  while (!stopped) {
    expect(await bystander.query("/hoard", "blob", [10])).toHaveLength(10);
    answered++;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return answered;
}

describe("a stalled consumer", () => {
  it("gets a stream no faster than it reads: the server's buffer stays bounded, then it is closed with 1008", async () => {
    const stallTimeout = 1500;
    const { server, hoard, bystander } = await start({ stallTimeout });
    const socket = await raw.open(server.url);
    const peer = await serverPeerOf(server, socket);
    socket.socket.send(JSON.stringify(["stream", 1, "/hoard", "/raw", "blobs", [itemSize], 1_000_000]));
    await until(() => socket.frames.length > 10);
    socket.socket.pause();
    const closed = peer.closed;
    const [peak, served] = await Promise.all([peakBuffered(peer, closed), bystanderServed(bystander, closed)]);
    const reason = await closed;
    expect(reason.type).toBe("limit-exceeded");
    expect(reason.message).toMatch(
      /^the WebSocket was closed: the other side read too slowly: \d+ bytes were still unsent after \d+ ms$/,
    );
    expect(reason.data).toMatchObject({ code: 1008, reason: "stalled: not reading" });
    expect(peak).toBeGreaterThan(maxBuffered);
    expect(peak).toBeLessThanOrEqual(maxBuffered + itemSize + 64);
    expect(served).toBeGreaterThan(10);
    // The generator was pulled no further once the buffer was full; the stream ended with the connection.
    const produced = hoard.produced;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hoard.produced).toBe(produced);
    expect(peer.stats.streams).toBe(0);
    socket.socket.resume();
    expect([1006, 1008]).toContain((await socket.closed).code);
    await expect(bystander.query("/hoard", "blob", [2])).resolves.toBe("xx");
  });

  it("closes the connection stallTimeout after the buffer filled, not before", async () => {
    const stallTimeout = 1000;
    const { server } = await start({ stallTimeout });
    const socket = await raw.open(server.url);
    const peer = await serverPeerOf(server, socket);
    socket.socket.pause();
    socket.socket.send(JSON.stringify(["stream", 1, "/hoard", "/raw", "blobs", [itemSize], 1_000_000]));
    await until(() => peer.stats.buffered > maxBuffered);
    const full = Date.now();
    await peer.closed;
    const waited = Date.now() - full;
    expect(waited).toBeGreaterThanOrEqual(stallTimeout - 50);
    expect(waited).toBeLessThan(stallTimeout + 2000);
  });

  it("is held back when it sends calls without reading their answers: the server stops reading it", async () => {
    const { server, bystander } = await start({ stallTimeout: 1500 });
    const socket = await raw.open(server.url);
    const peer = await serverPeerOf(server, socket);
    socket.socket.pause();
    // 4000 answers of 8 KiB: 32 MiB, were they all taken in.
    for (let id = 1; id <= 4000; id++) {
      socket.socket.send(JSON.stringify(["query", id, "/hoard", "/raw", "blob", [itemSize]]));
    }
    const closed = peer.closed;
    const [peak] = await Promise.all([peakBuffered(peer, closed), bystanderServed(bystander, closed)]);
    expect((await closed).type).toBe("limit-exceeded");
    expect(peak).toBeGreaterThan(maxBuffered);
    // Answers to calls read before the buffer filled still go out: a few frames past the mark, not 32 MiB.
    expect(peak).toBeLessThanOrEqual(2 * maxBuffered);
    // Most calls were never read: the client's own socket holds them.
    expect(peer.stats.framesIn).toBeLessThan(4000);
  });
});

describe("bulk traffic both ways", () => {
  it("never deadlocks: with both ends over their mark, every call is answered and nobody is closed", async () => {
    // A deadlock stalls both ends for good, and after stallTimeout the calls fail with connection-closed,
    // well inside the test's 20 s. 10 s rather than less, as on a loaded machine moving 12.5 MiB each way
    // can pause a reader for seconds without any deadlock.
    const { server, bystander } = await start({ stallTimeout: 10_000 });
    const peer = await opened.connect(server.url, { maxBuffered, stallTimeout: 10_000 });
    const chunk = "y".repeat(64 * 1024);
    let peak = 0;
    const calls = Array.from({ length: 200 }, () => {
      const answer = peer.query("/hoard", "echo", [chunk]);
      peak = Math.max(peak, peer.stats.buffered);
      return answer;
    });
    const answers = await Promise.all(calls);
    expect(answers.every((answer) => answer === chunk)).toBe(true);
    // 12.5 MiB went each way, more than both ends' marks and their kernels' buffers together.
    expect(peak).toBeGreaterThan(maxBuffered);
    expect([peer.state, bystander.state]).toEqual(["open", "open"]);
    expect(server.peers.size).toBe(2);
  });
});

describe("a slow consumer", () => {
  it("that pauses for less than stallTimeout gets every item, in order, and stays connected", async () => {
    const { server, hoard } = await start({ stallTimeout: 5000 });
    const socket = await raw.open(server.url);
    const peer = await serverPeerOf(server, socket);
    const count = 2000;
    socket.socket.send(JSON.stringify(["stream", 1, "/hoard", "/raw", "blobs", [itemSize, count], 1_000_000]));
    await until(() => socket.frames.length > 10);
    socket.socket.pause();
    await until(() => peer.stats.buffered > maxBuffered);
    const produced = hoard.produced;
    expect(produced).toBeLessThan(count);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hoard.produced).toBe(produced);
    socket.socket.resume();
    await until(() => socket.frames.length === count + 1, 10_000);
    const items = socket.parsed().slice(0, count) as [string, number, string, string, [string]][];
    expect(items.map((frame) => Number.parseInt(frame[4][0], 10))).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(socket.parsed()[count]).toEqual(["stream-complete", 1, "/raw", "/hoard"]);
    expect(peer.state).toBe("open");
  });

  it("over an HTTP push/pull channel, a stream with much credit waits for pulls instead of overflowing the queue", async () => {
    const { server, hoard } = await start({ channels: { maxQueued: 100 } });
    const push = await fetch(server.httpUrl, {
      method: "POST",
      headers: { "content-type": "x-application/jamp-push", "x-jamp-channel": "new" },
      body: JSON.stringify([["stream", 1, "/hoard", "/raw", "blobs", [10, 300], 1_000_000]]),
    });
    const channel = push.headers.get("x-jamp-channel") as string;
    await until(() => hoard.produced >= 50);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hoard.produced).toBeLessThanOrEqual(51);
    const received: unknown[][] = [];
    while (received.at(-1)?.[0] !== "stream-complete") {
      const pull = await fetch(server.httpUrl, {
        method: "POST",
        headers: { "content-type": "x-application/jamp-pull", "x-jamp-channel": channel },
        body: "[]",
      });
      expect(pull.status).toBe(200);
      received.push(...((await pull.json()) as unknown[][]));
    }
    expect(received).toHaveLength(301);
    expect(hoard.produced).toBe(300);
  });
});
