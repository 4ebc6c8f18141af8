import { createServer, type Socket } from "node:net";
import { WebSocket } from "ws";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../../src/runtime/client.js";
import { connect } from "../../../src/runtime/connect.js";
import { connectWebSocketPeer } from "../../../src/runtime/connect-websocket.js";
import { jampCodec } from "../../../src/runtime/codecs/jamp.js";
import { jsonRpc2Codec } from "../../../src/runtime/codecs/jsonrpc2.js";
import { connectWebSocket } from "../../../src/runtime/transports/websocket.js";
import { JampError } from "../../../src/runtime/errors.js";
import { listen, type ListenOptions, type Server } from "../../../src/runtime/listen.js";
import type { Peer } from "../../../src/runtime/peer.js";
import { bindService } from "../../../src/runtime/service.js";
import { Calculator, calculatorDescriptor, until } from "./support/calculator.js";
import { rejection } from "../../support/rejection.js";

const servers: Server[] = [];
const clients: Peer[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: Partial<ListenOptions> = {}) {
  const impl = new Calculator();
  const server = await listen({ services: [bindService(calculatorDescriptor, impl)], ...options });
  servers.push(server);
  return { server, impl };
}

async function open(url: string): Promise<Peer> {
  const peer = await connect(url, { address: "/client/ws" });
  clients.push(peer);
  return peer;
}

/** A raw `ws` client, with the frames it receives collected in order. */
async function rawClient(url: string) {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const frames: string[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on("message", (data) => frames.push(String(data)));
  socket.on("error", () => undefined);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  const next = async (): Promise<unknown> => {
    await until(() => frames.length > 0);
    return JSON.parse(frames.shift() as string);
  };
  return { socket, next, closed };
}

describe("WebSocket transport", () => {
  it("listens on 127.0.0.1 and an ephemeral port by default", async () => {
    const { server } = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/`);
  });

  it("answers queries over a real socket", async () => {
    const { server } = await start();
    const peer = await open(server.url);
    const calculator = createClient(peer, calculatorDescriptor);
    await expect(calculator.query<number>("add", [2, 40])).resolves.toBe(42);
    const when = await calculator.query<Date>("shift", [new Date("2024-01-01T00:00:00.000Z"), 1]);
    expect(when.toISOString()).toBe("2024-01-02T00:00:00.000Z");
    expect(server.peers.size).toBe(1);
  });

  it("answers over connectWebSocketPeer, in the format of the codec given as a value", async () => {
    const { server } = await start();
    for (const codec of [jampCodec, jsonRpc2Codec]) {
      const peer = await connectWebSocketPeer(server.url, { codec, address: "/client/ws" });
      clients.push(peer);
      await expect(createClient(peer, calculatorDescriptor).query<number>("add", [2, 40])).resolves.toBe(42);
    }
    const [jamp, jsonRpc] = [...server.peers];
    expect(jamp?.stats.framesIn).toBe(1);
    expect(jsonRpc?.stats.framesIn).toBe(1);
    const port = await freePort();
    const error = await rejection(connectWebSocketPeer(`ws://127.0.0.1:${port}/`));
    expect([error.type, error.message]).toEqual(["connection-closed", expect.stringContaining(`cannot connect to ws://127.0.0.1:${port}/`)]);
  });

  it("accepts jamp+ws URLs", async () => {
    const { server } = await start();
    const peer = await open(`jamp+ws://127.0.0.1:${server.port}/calculator`);
    await expect(peer.query(`jamp+ws://127.0.0.1:${server.port}/calculator`, "add", [1, 2])).resolves.toBe(3);
  });

  it("delivers sends", async () => {
    const { server, impl } = await start();
    const peer = await open(server.url);
    peer.send("/calculator", "log", ["over the wire"]);
    await until(() => impl.lines.length === 1);
    expect(impl.lines).toEqual(["over the wire"]);
  });

  it("carries application errors with type, message and data", async () => {
    const { server } = await start();
    const calculator = createClient(await open(server.url), calculatorDescriptor);
    const error = await rejection(calculator.query("divide", [3, 0]));
    expect(error).toMatchObject({ type: "division-by-zero", message: "cannot divide by zero", data: { dividend: 3 } });
    expect((await rejection(calculator.query("add", ["x", 1]))).type).toBe("invalid-arguments");
  });

  it("rejects every pending query promptly when the server closes", async () => {
    const { server, impl } = await start();
    const calculator = createClient(await open(server.url), calculatorDescriptor);
    const answers = Array.from({ length: 10 }, (_, i) => rejection(calculator.query("hold", [i])));
    await until(() => impl.held.length === 10);
    const started = Date.now();
    await server.close();
    const errors = await Promise.all(answers);
    expect(Date.now() - started).toBeLessThan(1000);
    for (const error of errors) expect(error.type).toBe("connection-closed");
    expect(errors[0]?.message).toContain("1001");
    expect(server.peers.size).toBe(0);
  });

  it("forgets a client that disconnects", async () => {
    const { server } = await start();
    const peer = await open(server.url);
    await until(() => server.peers.size === 1);
    peer.close();
    await until(() => server.peers.size === 0);
  });

  it("answers garbage from a raw client as specified and keeps serving", async () => {
    const { server } = await start({ accept: ["jamp"] });
    const raw = await rawClient(server.url);
    raw.socket.send("this is not JSON");
    raw.socket.send('["query", 5, "/calculator", "/raw", "add", "oops"]');
    expect(await raw.next()).toMatchObject(["error-query", 5, "/raw", "/calculator", { type: "invalid-message" }]);
    raw.socket.send('["send", "/calculator", "/raw", "log", [1]]');
    expect(await raw.next()).toMatchObject(["error", "/raw", "/calculator", { type: "invalid-arguments" }]);
    raw.socket.send('["query", 6, "/calculator", "/raw", "add", [1, 2]]');
    expect(await raw.next()).toEqual(["reply", 6, "/raw", "/calculator", 3]);
    const [peer] = server.peers;
    expect(peer?.stats).toMatchObject({ malformed: 2, framesIn: 4, framesOut: 3 });
  });

  it("answers text that is not JSON with JSON-RPC's Parse error when it accepts every format", async () => {
    const { server } = await start();
    const raw = await rawClient(server.url);
    raw.socket.send("this is not JSON");
    expect(await raw.next()).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 }, id: null });
    raw.socket.send('["query", 6, "/calculator", "/raw", "add", [1, 2]]');
    expect(await raw.next()).toEqual(["reply", 6, "/raw", "/calculator", 3]);
  });

  it("refuses unknown codec names before it listens or connects", async () => {
    await expect(start({ accept: ["jamp", "xml-rpc"] })).rejects.toThrow(
      /unknown codec "xml-rpc"; the codecs are jamp, jamp-b/,
    );
    const { server } = await start();
    await expect(connect(server.url, { codec: "soap" })).rejects.toThrow(TypeError);
    expect(server.peers.size).toBe(0);
  });

  it("refuses reconnect options out of range before it connects", async () => {
    const { server } = await start();
    await expect(connect(server.url, { reconnect: { factor: 0.5 } })).rejects.toThrow(
      new RangeError("reconnect.factor must be a finite number from 1, got 0.5"),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.peers.size).toBe(0);
  });

  it("closes a connection that sends a binary frame with 1003", async () => {
    const { server } = await start();
    const raw = await rawClient(server.url);
    raw.socket.send(Buffer.from([1, 2, 3]));
    expect((await raw.closed).code).toBe(1003);
  });

  it("closes a connection whose frame is over maxPayload with 1009, and serves the others", async () => {
    const reports: JampError[] = [];
    const { server } = await start({ maxPayload: 1024 });
    const bystander = await open(server.url);
    const raw = await rawClient(server.url);
    await until(() => server.peers.size === 2);
    const [, rawPeer] = server.peers;
    void rawPeer?.closed.then((reason) => reports.push(reason));
    raw.socket.send(`["send", "/calculator", "/raw", "log", ["${"x".repeat(2000)}"]]`);
    expect((await raw.closed).code).toBe(1009);
    await until(() => reports.length === 1);
    expect(reports[0]?.type).toBe("limit-exceeded");
    await expect(bystander.query("/calculator", "add", [1, 1])).resolves.toBe(2);
  });

  it("rejects the caller's query when its frame is too big for the server", async () => {
    const { server } = await start({ maxPayload: 1024 });
    const peer = await open(server.url);
    const error = await rejection(peer.query("/calculator", "log", ["x".repeat(4096)]));
    expect(error.type).toBe("connection-closed");
    expect(error.message).toContain("1009");
  });

  it("rejects connect to a closed port with connection-closed naming the URL", async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}/`;
    const error = await rejection(connect(url));
    expect(error.type).toBe("connection-closed");
    expect(error.message).toContain(`cannot connect to ${url}`);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("rejects connect to a URL it cannot use", async () => {
    const error = await rejection(connect("not a url"));
    expect(error.type).toBe("connection-closed");
    expect(error.message).toMatch(/^cannot connect to not a url: /);
  });

  it("gives up connecting after connectTimeout", async () => {
    // A TCP server that accepts and never answers the WebSocket handshake.
    const accepted: Socket[] = [];
    const silent = createServer((socket) => void accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as { port: number };
      const error = await rejection(connect(`ws://127.0.0.1:${port}/`, { connectTimeout: 50 }));
      expect(error.message).toBe(`cannot connect to ws://127.0.0.1:${port}/: no answer within 50 ms`);
      expect(accepted).toHaveLength(1);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("gives up opening when its signal is aborted, closing the socket", async () => {
    const accepted: Socket[] = [];
    const silent = createServer((socket) => void accepted.push(socket.resume()));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as { port: number };
      const url = `ws://127.0.0.1:${port}/`;
      const controller = new AbortController();
      const opening = rejection(connectWebSocket(url, { signal: controller.signal }));
      await until(() => accepted.length === 1);
      const gone = new Promise((resolve) => accepted[0]?.once("close", resolve));
      controller.abort();
      expect((await opening).message).toBe(`cannot connect to ${url}: given up while opening`);
      await gone;
      const already = await rejection(connectWebSocket(url, { signal: controller.signal }));
      expect(already.message).toBe(`cannot connect to ${url}: given up before opening`);
      expect(accepted).toHaveLength(1);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("uses the WebSocket class it is given", async () => {
    const { server } = await start();
    let made = 0;
    class CountingWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        made++;
      }
    }
    const peer = await connect(server.url, { WebSocket: CountingWebSocket });
    clients.push(peer);
    await expect(peer.query("/calculator", "add", [2, 2])).resolves.toBe(4);
    expect(made).toBe(1);
  });

  it("refuses plain HTTP requests with 426", async () => {
    const { server } = await start();
    const response = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(response.status).toBe(426);
    await response.text();
  });
});

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("WebSocketTransport reading paced on a server", () => {
  it("hands a frame that came alone in its read over at once, within that read", async () => {
    const { WebSocketServer } = await import("ws");
    const { WebSocketTransport } = await import("../../../src/runtime/transports/websocket.js");
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss.once("listening", resolve));
    const events: string[] = [];
    wss.on("connection", (socket, request) => {
      const transport = new WebSocketTransport(socket, { holdReading: true, stream: request.socket });
      // After ws's own listener, and after the one paced reading put before it.
      request.socket.on("data", () => events.push("read over"));
      transport.deliverTo?.((frame) => events.push(`take ${frame}`));
    });
    const { port } = wss.address() as { port: number };
    const client = new WebSocket(`ws://127.0.0.1:${port}/`);
    try {
      await new Promise((resolve) => client.once("open", resolve));
      client.send("a");
      await until(() => events.length === 2);
      client.send("b");
      await until(() => events.length === 4);
      // Without knowing where reads begin, "b" would wait for a microtask after "a", past its read.
      expect(events).toEqual(["take a", "read over", "take b", "read over"]);
    } finally {
      client.terminate();
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  });
});
