/**
 * Coalesced writes on the WebSocket transport, over real sockets on 127.0.0.1: the frames either end sends
 * in one turn leave its TCP socket in one write (counted where Node hands them to the socket: its `_write`
 * and `_writev`, wrapped for the test and called through), in order; what is sent just before closing
 * still arrives, the close after it.
 */
import { Socket } from "node:net";
import { WebSocketServer } from "ws";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect } from "../../../src/runtime/connect.js";
import { listen, type Server } from "../../../src/runtime/listen.js";
import type { Peer } from "../../../src/runtime/peer.js";
import { bindService } from "../../../src/runtime/service.js";
import { connectWebSocket } from "../../../src/runtime/transports/websocket.js";
import { Calculator, calculatorDescriptor, until } from "./support/calculator.js";

type Writes = { readonly local: number; readonly remote: number; readonly bytes: number }[];

const servers: Server[] = [];
const clients: Peer[] = [];
const raw: WebSocketServer[] = [];
let writes: Writes = [];
const write = Socket.prototype._write;
const writev = Socket.prototype._writev!;

beforeEach(() => {
  writes = [];
  // Every TCP socket's writes, as Node makes them, recorded with the socket's ports.
  const record = (socket: Socket, bytes: number) =>
    writes.push({ local: socket.localPort ?? 0, remote: socket.remotePort ?? 0, bytes });
  Socket.prototype._write = function (this: Socket, chunk, encoding, done) {
    record(this, chunk.length);
    write.call(this, chunk, encoding, done);
  };
  Socket.prototype._writev = function (this: Socket, chunks, done) {
    record(this, chunks.reduce((sum, { chunk }) => sum + chunk.length, 0));
    writev.call(this, chunks, done);
  };
});

afterEach(async () => {
  Socket.prototype._write = write;
  Socket.prototype._writev = writev;
  for (const client of clients.splice(0)) client.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
  for (const wss of raw.splice(0)) {
    for (const socket of wss.clients) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
});

describe("WebSocket transport, coalesced writes", () => {
  it("sends the queries of one turn in one write, and the server its answers to one read in one write, but for the first after a lone one", async () => {
    const server = await listen({ services: [bindService(calculatorDescriptor, new Calculator())] });
    servers.push(server);
    const peer = await connect(server.url);
    clients.push(peer);
    await expect(peer.query("/calculator", "add", [1, 1])).resolves.toBe(2);
    writes = [];
    const sums = await Promise.all(Array.from({ length: 50 }, (_, i) => peer.query("/calculator", "add", [i, 1])));
    expect(sums).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const fromClient = writes.filter((w) => w.remote === server.port);
    const fromServer = writes.filter((w) => w.local === server.port);
    // After the lone call before them, the first query goes at once and the other 49 in one write.
    expect(fromClient).toHaveLength(2);
    expect(fromClient[0]!.bytes).toBeLessThan(fromClient[1]!.bytes / 10);
    // The 50 queries arrive in one read on loopback, rarely two or three: one write of answers for each, and
    // one more for the first answer, which follows a lone one.
    expect(fromServer.length).toBeGreaterThanOrEqual(1);
    expect(fromServer.length).toBeLessThanOrEqual(4);
    expect(fromServer.reduce((sum, w) => sum + w.bytes, 0)).toBeGreaterThan(50 * 20);
  });

  it("answers calls made one at a time, each in a write of its own", async () => {
    const server = await listen({ services: [bindService(calculatorDescriptor, new Calculator())] });
    servers.push(server);
    const peer = await connect(server.url);
    clients.push(peer);
    writes = [];
    for (let i = 0; i < 20; i++) await expect(peer.query("/calculator", "add", [i, 2])).resolves.toBe(i + 2);
    expect(writes.filter((w) => w.remote === server.port)).toHaveLength(20);
    expect(writes.filter((w) => w.local === server.port)).toHaveLength(20);
  });

  it("delivers the frames sent just before closing, in order, then the close", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    raw.push(wss);
    await new Promise((resolve) => wss.once("listening", resolve));
    const received: string[] = [];
    const closed = new Promise<number>((resolve) =>
      wss.once("connection", (socket) => {
        socket.on("message", (data) => received.push(String(data)));
        socket.on("close", (code) => resolve(code));
      }),
    );
    const transport = await connectWebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/`);
    writes = [];
    for (let i = 0; i < 10; i++) transport.send(`frame ${i}`);
    transport.close(4000, "done");
    await expect(closed).resolves.toBe(4000);
    expect(received).toEqual(Array.from({ length: 10 }, (_, i) => `frame ${i}`));
    // The ten frames and the close frame: one write.
    await until(() => writes.length > 0);
    expect(writes.filter((w) => w.remote === (wss.address() as { port: number }).port)).toHaveLength(1);
  });
});
