/**
 * Every limit a server keeps, over real sockets on 127.0.0.1: frame size both ways, JSON nesting, calls
 * running per connection, batch length, connections per server, streams per connection and stream credit.
 * Each test sends past one limit on one connection and checks the error it gets, that its connection is
 * still usable where the limit allows, and that another connection, the bystander, is unaffected.
 */
import { describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { connect } from "../../src/runtime/connect.js";
import type { ListenOptions, Server } from "../../src/runtime/listen.js";
import type { Peer } from "../../src/runtime/peer.js";
import { Hoard, openedInTest, serveHoard } from "../support/hoard.js";
import { rejection } from "../support/rejection.js";
import { until } from "../unit/runtime/support/calculator.js";

const opened = openedInTest();
const raw = opened.raw;

async function start(options: Partial<ListenOptions> = {}) {
  const hoard = new Hoard();
  const server = await opened.listen({ services: [serveHoard(hoard)], ...options });
  return { server, hoard };
}

/** The server's peer of the connection opened last. */
function lastPeer(server: Server): Peer {
  return [...server.peers].at(-1) as Peer;
}

/** A bystander on another connection: its query must be answered as if nothing had happened. */
async function bystanderWorks(peer: Peer): Promise<void> {
  await expect(peer.query("/hoard", "blob", [3])).resolves.toBe("xxx");
}

describe("frame size (maxPayload)", () => {
  it("fails a call whose frame is over the sender's limit before sending it, and the connection carries on", async () => {
    const { server } = await start();
    const peer = await opened.connect(server.url, { maxPayload: 1024 });
    await until(() => server.peers.size === 1);
    const error = await rejection(peer.query("/hoard", "blob", ["x".repeat(2000)]));
    const bytes = (error.data as { bytes: number }).bytes;
    expect([error.type, error.data]).toEqual(["limit-exceeded", { bytes, maxPayload: 1024 }]);
    expect(bytes).toBeGreaterThan(2000);
    expect(error.message).toBe(`query blob to /hoard is ${bytes} bytes, over the limit of 1024`);
    expect(() => peer.send("/hoard", "ping", ["é".repeat(600)])).toThrow(
      expect.objectContaining({ type: "limit-exceeded" }),
    );
    expect(lastPeer(server).stats.framesIn).toBe(0);
    await bystanderWorks(peer);
  });

  it("answers limit-exceeded for a result over the server's limit, and the connection carries on", async () => {
    const { server } = await start({ maxPayload: 1024 });
    const peer = await opened.connect(server.url);
    const bystander = await opened.connect(server.url);
    const error = await rejection(peer.query("/hoard", "blob", [2000]));
    expect(error.type).toBe("limit-exceeded");
    expect(error.message).toMatch(/^the result of blob is 20\d\d bytes, over the limit of 1024$/);
    await expect(peer.query("/hoard", "blob", [900])).resolves.toHaveLength(900);
    await bystanderWorks(bystander);
  });

  it("ends a stream whose item is over the limit with limit-exceeded", async () => {
    const { server } = await start({ maxPayload: 1024 });
    const peer = await opened.connect(server.url);
    const error = await rejection(
      (async () => {
        for await (const item of peer.stream("/hoard", "blobs", [2000])) expect(item).toBeUndefined();
      })(),
    );
    expect([error.type, error.message]).toEqual([
      "limit-exceeded",
      expect.stringMatching(/^an item of blobs is 20\d\d bytes, over the limit of 1024$/),
    ]);
    await bystanderWorks(peer);
  });

  it("keeps a JSON-RPC batch's answer frame within the limit, refusing the answers that would overflow it", async () => {
    const { server } = await start({ maxPayload: 1024 });
    const socket = await raw.open(server.url);
    const call = (id: number) => ({ jsonrpc: "2.0", method: "Hoard.blob", params: [400], id });
    socket.socket.send(JSON.stringify([call(1), call(2), call(3)]));
    await until(() => socket.frames.length === 1);
    const frame = socket.frames[0] as string;
    expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(1024);
    const answers = JSON.parse(frame) as { id: number; result?: string; error?: { data: { type: string } } }[];
    expect(answers.map((answer) => answer.id)).toEqual([1, 2, 3]);
    const results = answers.filter((answer) => answer.result?.length === 400).length;
    const refused = answers.filter((answer) => answer.error?.data.type === "limit-exceeded").length;
    expect([results > 0, refused > 0, results + refused]).toEqual([true, true, 3]);
  });

  it("closes the connection of a frame over the receiver's limit with 1009, and serves the others", async () => {
    const { server } = await start({ maxPayload: 1024 });
    const bystander = await opened.connect(server.url);
    const socket = await raw.open(server.url);
    socket.socket.send(JSON.stringify(["query", 1, "/hoard", "/raw", "blob", ["x".repeat(2000)]]));
    expect((await socket.closed).code).toBe(1009);
    await bystanderWorks(bystander);
  });
});

describe("JSON nesting depth", () => {
  it("answers a frame nested deeper than 128 levels invalid-message, and the connection carries on", async () => {
    const { server } = await start();
    const bystander = await opened.connect(server.url);
    const socket = await raw.open(server.url);
    const deep = `${"[".repeat(200)}${"]".repeat(200)}`;
    socket.socket.send(`["query", 1, "/hoard", "/raw", "blob", [${deep}]]`);
    socket.socket.send(`{"jsonrpc": "2.0", "method": "Hoard.blob", "params": [${deep}], "id": 2}`);
    socket.socket.send(`["query", 3, "/hoard", "/raw", "blob", [2]]`);
    await until(() => socket.frames.length === 3);
    const [jamp, jsonRpc, after] = socket.parsed() as [
      unknown[],
      { error: { code: number; message: string } },
      unknown,
    ];
    expect(jamp.slice(0, 4)).toEqual(["error-query", 1, "/raw", "/hoard"]);
    expect(jamp[4]).toMatchObject({ type: "invalid-message", message: expect.stringContaining("deeper than 128") });
    expect(jsonRpc.error).toMatchObject({ code: -32600, message: expect.stringContaining("deeper than 128") });
    expect(after).toEqual(["reply", 3, "/raw", "/hoard", "xx"]);
    await bystanderWorks(bystander);
  });

  it("survives a frame of half a million nested arrays", async () => {
    const { server } = await start();
    const socket = await raw.open(server.url);
    socket.socket.send(`${"[".repeat(500_000)}${"]".repeat(500_000)}`);
    socket.socket.send(`["query", 1, "/hoard", "/raw", "blob", [1]]`);
    await until(() => socket.frames.some((frame) => frame.startsWith('["reply"')));
    expect(lastPeer(server).stats.malformed).toBe(1);
  });
});

describe("calls running per connection (maxRunning)", () => {
  it("answers the calls past the limit limit-exceeded at once, runs the others, and other connections run theirs", async () => {
    const { server, hoard } = await start({ maxRunning: 4 });
    const socket = await raw.open(server.url);
    for (let id = 1; id <= 6; id++) socket.socket.send(JSON.stringify(["query", id, "/hoard", "/raw", "hold", [id]]));
    await until(() => socket.frames.length === 2);
    for (const [index, frame] of socket.parsed().entries()) {
      expect(frame).toEqual([
        "error-query",
        5 + index,
        "/raw",
        "/hoard",
        {
          type: "limit-exceeded",
          message: `query hold refused: 4 calls of this connection are running, the most this side runs at once`,
          data: { maxRunning: 4 },
        },
      ]);
    }
    expect(lastPeer(server).stats.running).toBe(4);
    // Another connection has a limit of its own.
    const bystander = await opened.connect(server.url);
    const held = [1, 2, 3, 4].map((n) => bystander.query("/hoard", "hold", [n]));
    await until(() => hoard.held.length === 8);
    hoard.release();
    await expect(Promise.all(held)).resolves.toEqual([1, 2, 3, 4]);
    await until(() => socket.frames.length === 6);
    expect(
      socket
        .parsed()
        .slice(2)
        .map((frame) => (frame as unknown[])[0]),
    ).toEqual(["reply", "reply", "reply", "reply"]);
  });

  it("refuses the queries past maxPending on the calling side, before sending them", async () => {
    const { server, hoard } = await start();
    const peer = await opened.connect(server.url, { maxPending: 2 });
    const held = [peer.query("/hoard", "hold", [1]), peer.query("/hoard", "hold", [2])];
    const error = await rejection(peer.query("/hoard", "hold", [3]));
    expect([error.type, error.message]).toEqual([
      "limit-exceeded",
      "query hold to /hoard refused: 2 queries are pending",
    ]);
    await until(() => hoard.held.length === 2);
    hoard.release();
    await expect(Promise.all(held)).resolves.toEqual([1, 2]);
  });
});

describe("batch length", () => {
  it("refuses a JSON-RPC batch of more than 1000 entries whole, and serves one of 1000", async () => {
    const { server } = await start();
    const bystander = await opened.connect(server.url);
    const socket = await raw.open(server.url);
    const batch = (size: number) =>
      JSON.stringify(
        Array.from({ length: size }, (_, i) => ({ jsonrpc: "2.0", method: "Hoard.blob", params: [1], id: i })),
      );
    socket.socket.send(batch(1001));
    socket.socket.send(batch(1000));
    await until(() => socket.frames.length === 2);
    const [refused, served] = socket.parsed() as [{ error: { code: number; message: string } }, unknown[]];
    expect(refused.error.code).toBe(-32600);
    expect(refused.error.message).toContain("a batch holds at most 1000 entries, this one 1001");
    expect(served).toHaveLength(1000);
    await bystanderWorks(bystander);
  });
});

describe("connections per server (maxConnections)", () => {
  it("refuses an upgrade and an HTTP request past the limit with 503, and lets one in when a place is free", async () => {
    const { server } = await start({ maxConnections: 2 });
    const first = await opened.connect(server.url);
    await opened.connect(server.url);
    await expect(raw.open(server.url)).rejects.toThrow("Unexpected server response: 503");
    const error = await rejection(connect(server.url, { reconnect: false }));
    expect([error.type, error.message]).toEqual([
      "connection-closed",
      `cannot connect to ${server.url}: Unexpected server response: 503 (code 1006)`,
    ]);
    const response = await fetch(server.httpUrl, {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "2.0", method: "Hoard.blob", params: [1], id: 1 }),
    });
    expect([response.status, response.headers.get("retry-after"), await response.text()]).toEqual([
      503,
      "1",
      "the server serves at most 2 connections at once; try again later",
    ]);
    await bystanderWorks(first);
    first.close();
    await until(() => server.peers.size === 1);
    await bystanderWorks(await opened.connect(server.url));
  });

  it("counts HTTP requests while they run", async () => {
    const { server, hoard } = await start({ maxConnections: 1 });
    const post = (body: object) => fetch(server.httpUrl, { method: "POST", body: JSON.stringify(body) });
    const held = post({ jsonrpc: "2.0", method: "Hoard.hold", params: [7], id: 1 });
    await until(() => hoard.held.length === 1);
    expect((await post({ jsonrpc: "2.0", method: "Hoard.blob", params: [1], id: 2 })).status).toBe(503);
    await expect(raw.open(server.url)).rejects.toThrow("Unexpected server response: 503");
    hoard.release();
    expect(await (await held).json()).toEqual({ jsonrpc: "2.0", result: 7, id: 1 });
    // The place is given back when the response is done on the server's side, a moment after the client has it.
    const deadline = Date.now() + 2000;
    let status = 503;
    while (status === 503 && Date.now() < deadline)
      status = (await post({ jsonrpc: "2.0", method: "Hoard.blob", params: [1], id: 3 })).status;
    expect(status).toBe(200);
  });
});

describe("streams per connection and stream credit", () => {
  it("counts the streams a connection has the server serve among its running calls", async () => {
    const { server } = await start({ maxRunning: 3 });
    const socket = await raw.open(server.url);
    for (let id = 1; id <= 4; id++)
      socket.socket.send(JSON.stringify(["stream", id, "/hoard", "/raw", "blobs", [1], 1]));
    await until(() => socket.frames.length === 4);
    const errors = socket.parsed().filter((frame) => (frame as unknown[])[0] === "stream-error");
    expect(errors).toEqual([
      ["stream-error", 4, "/raw", "/hoard", expect.objectContaining({ type: "limit-exceeded" })],
    ]);
    const bystander = await opened.connect(server.url);
    await bystanderWorks(bystander);
  });

  it("refuses the streams past maxPending on the opening side", async () => {
    const { server } = await start();
    const peer = await opened.connect(server.url, { maxPending: 2 });
    const open = [peer.stream("/hoard", "blobs", [1]), peer.stream("/hoard", "blobs", [1])];
    expect(() => peer.stream("/hoard", "blobs", [1])).toThrow(
      expect.objectContaining({
        type: "limit-exceeded",
        message: "stream blobs to /hoard refused: 2 streams are open",
      }),
    );
    for (const stream of open) await stream.return?.();
  });

  it("takes absurd credit without harm: counted up to 2^53-1, the stream serves on and cancels", async () => {
    const { server, hoard } = await start();
    const socket = await raw.open(server.url);
    const most = Number.MAX_SAFE_INTEGER;
    socket.socket.send(JSON.stringify(["stream", 1, "/hoard", "/raw", "blobs", [10], most]));
    socket.socket.send(JSON.stringify(["stream-credit", 1, "/hoard", "/raw", most]));
    socket.socket.send(JSON.stringify(["stream-credit", 1, "/hoard", "/raw", most]));
    await until(() => socket.frames.length >= 100);
    socket.socket.send(JSON.stringify(["stream-cancel", 1, "/hoard", "/raw"]));
    await until(() => lastPeer(server).stats.streams === 0);
    const produced = hoard.produced;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hoard.produced).toBe(produced);
    expect(socket.parsed().every((frame) => (frame as unknown[])[0] === "stream-result")).toBe(true);
  });

  it("fails a stream whose server sends more items than its credit, and cancels it", async () => {
    // A server that ignores credit: ten items for a credit of four.
    const rogue = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    const cancelled = new Promise<unknown>((resolve) => {
      rogue.on("connection", (socket) => {
        socket.on("message", (data) => {
          const [kind, id, to, from] = JSON.parse(String(data)) as [string, number, string, string];
          if (kind === "stream-cancel") return resolve(id);
          for (let i = 0; i < 10; i++) socket.send(JSON.stringify(["stream-result", id, from, to, [i]]));
        });
      });
    });
    await new Promise((resolve) => rogue.once("listening", resolve));
    try {
      const { port } = rogue.address() as { port: number };
      const peer = await opened.connect(`ws://127.0.0.1:${port}/`);
      // One item taken, so no credit is granted back: four may come, and ten do.
      const stream = peer.stream("/rogue", "flood", [], { credit: 4 });
      expect(await stream.next()).toEqual({ done: false, value: 0 });
      expect(await cancelled).toBe(1);
      const error = await rejection(stream.next());
      expect([error.type, error.message]).toEqual([
        "limit-exceeded",
        "stream flood to /rogue: 1 items came past the credit granted",
      ]);
    } finally {
      rogue.close();
    }
  });
});
