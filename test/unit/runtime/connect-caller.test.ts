/**
 * The call-only caller of `connectCaller`, against real servers on 127.0.0.1: jamp-gen's own `listen` for
 * what a generated client does through it, and raw `ws` and TCP servers for what a misbehaving server does
 * to it. Node 20 has no platform WebSocket, so every caller here is given `ws`'s.
 */
import { createServer, type Server as NetServer, type Socket } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { afterEach, describe, expect, it } from "vitest";
import { CalculatorClient, calculatorResultValidators, serveCalculator } from "../../../fixtures/calculator/expected/index.js";
import { serveTicker, TickerClient, tickerResultValidators } from "../../../fixtures/kind-stream/expected/index.js";
import { withStreams } from "../../../src/runtime/caller-streams.js";
import { createClient } from "../../../src/runtime/client.js";
import { connectCaller, type CallerOptions, type WebSocketCaller } from "../../../src/runtime/connect-caller.js";
import { jsonRpc2Codec } from "../../../src/runtime/codecs/jsonrpc2.js";
import { JampError } from "../../../src/runtime/errors.js";
import { listen, type Server } from "../../../src/runtime/listen.js";
import type { Message } from "../../../src/runtime/message.js";
import type { Peer } from "../../../src/runtime/peer.js";
import { bindService } from "../../../src/runtime/service.js";
import { rejection } from "../../support/rejection.js";
import { at, RecordingCalculator, RecordingTicker } from "../../support/services.js";
import { Calculator, calculatorDescriptor, until } from "./support/calculator.js";

const servers: Server[] = [];
const callers: WebSocketCaller[] = [];
const others: { close(): void }[] = [];

afterEach(async () => {
  for (const caller of callers.splice(0)) caller.close();
  for (const other of others.splice(0)) other.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(...services: Parameters<typeof listen>[0]["services"]): Promise<Server> {
  const server = await listen({ services });
  servers.push(server);
  return server;
}

async function call(url: string, options: CallerOptions = {}): Promise<WebSocketCaller> {
  const caller = await connectCaller(url, { WebSocket, ...options });
  callers.push(caller);
  return caller;
}

/** A raw `ws` server that answers each frame with what `answer` returns (nothing for `undefined`). */
async function rawServer(answer: (frame: unknown[], socket: WebSocket) => string | undefined): Promise<string> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  others.push(server);
  server.on("connection", (socket) =>
    socket.on("message", (data) => {
      const reply = answer(JSON.parse(String(data)) as unknown[], socket);
      if (reply !== undefined) socket.send(reply);
    }),
  );
  await new Promise((resolve) => server.once("listening", resolve));
  return `ws://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

/** Records what reaches a caller's `onError`. */
function errors(): { readonly seen: [JampError, Message | undefined][]; onError: CallerOptions["onError"] } {
  const seen: [JampError, Message | undefined][] = [];
  return { seen, onError: (error, message) => seen.push([error, message]) };
}

describe("connectCaller", () => {
  // A generated client takes a `Caller`: a `Peer`, as everywhere else, or the caller `connectCaller` gives.
  it("makes a generated client's queries and sends, revives results, and passes on application errors", async () => {
    const calculator = new RecordingCalculator();
    const server = await serve(serveCalculator(calculator));
    const calc = new CalculatorClient(await call(server.url), undefined, { validateResults: calculatorResultValidators });
    expect(await calc.add(20, 22)).toBe(42);
    const [entry] = await calc.history(1);
    expect(entry?.at).toEqual(at);
    const error = await rejection(calc.divide(1, 0));
    expect([error.type, error.message]).toEqual(["division-by-zero", "cannot divide 1 by zero"]);
    calc.reset();
    await until(() => calculator.resets === 1);
    expect(calculator.calls).toEqual(["add 20 22", "reset"]);
  });

  it("encodes arguments and checks results as createClient does over a Peer", async () => {
    const server = await serve(bindService(calculatorDescriptor, new Calculator()));
    const client = createClient(await call(server.url), calculatorDescriptor, undefined, { validateResults: true });
    const when = await client.query<Date>("shift", [new Date("2024-01-01T00:00:00.000Z"), 1]);
    expect(when.toISOString()).toBe("2024-01-02T00:00:00.000Z");
    const invalid = await rejection(client.query("echo", [5]));
    expect([invalid.type, invalid.message]).toEqual([
      "invalid-message",
      "Invalid result from Calculator.echo: result must be string",
    ]);
  });

  it("streams with credit, and leaving the loop cancels the server's generator", async () => {
    const ticker = new RecordingTicker();
    const server = await serve(serveTicker(ticker));
    const client = new TickerClient(await call(server.url), undefined, { validateResults: tickerResultValidators });
    const ticks: number[] = [];
    for await (const tick of client.ticks("ACME", at, 3)) {
      expect(tick.at).toBeInstanceOf(Date);
      ticks.push(tick.price);
    }
    expect(ticks).toEqual([100, 101, 102]);
    const counted: number[] = [];
    for await (const n of client.count(1_000_000, { credit: 4 })) {
      counted.push(n);
      if (n === 3) break;
    }
    expect(counted).toEqual([1, 2, 3]);
    await ticker.finished.promise;
    expect(ticker.produced).toBeLessThan(20);
    const failed = await rejection(
      (async () => {
        for await (const tick of client.ticks("FAIL", at)) void tick;
      })(),
    );
    expect([failed.type, failed.message]).toEqual(["market-closed", "no trading in FAIL"]);
  });

  it("reads streams only once given them by withStreams, as generated clients of services with streams do", async () => {
    const ticker = new RecordingTicker();
    const server = await serve(serveTicker(ticker));
    const caller = await call(server.url);
    let refused: JampError | undefined;
    try {
      caller.stream("/ticker", "count", [3]);
    } catch (error) {
      refused = error as JampError;
    }
    expect([refused?.type, refused?.message]).toEqual([
      "invalid-message",
      "stream count to /ticker: this caller has no withStreams(caller)",
    ]);
    // Given them once (twice changes nothing), by hand or by a generated client.
    expect(withStreams(withStreams(caller))).toBe(caller);
    const counted: number[] = [];
    for await (const n of caller.stream("/ticker", "count", [3])) counted.push(n as number);
    expect(counted).toEqual([1, 2, 3]);
    // A `Peer` has streams of its own: withStreams hands any other caller back untouched.
    const other = { query: () => Promise.resolve(), send: () => undefined, stream: () => [] as never };
    expect(withStreams(other)).toBe(other);
  });

  it("times a query out, and reports its late answer as one to no pending query", async () => {
    const calculator = new Calculator();
    const server = await serve(bindService(calculatorDescriptor, calculator));
    const { seen, onError } = errors();
    const caller = await call(server.url, { onError, timeout: 5000 });
    const timedOut = await rejection(caller.query("/calculator", "hold", [7], { timeout: 30 }));
    expect([timedOut.type, timedOut.message]).toEqual(["timeout", "query hold to /calculator timed out after 30 ms"]);
    calculator.release();
    await until(() => seen.length === 1);
    expect(seen[0]?.[0].message).toBe("dropped an answer to query 1, which is not pending");
    expect(seen[0]?.[1]).toMatchObject({ kind: "reply", id: 1, result: 7 });
    await expect(caller.query("/calculator", "add", [1, 2])).resolves.toBe(3);
  });

  it("cancels a query when its signal aborts, and at once when it is already aborted", async () => {
    const server = await serve(bindService(calculatorDescriptor, new Calculator()));
    const caller = await call(server.url);
    const controller = new AbortController();
    const held = caller.query("/calculator", "hold", [1], { signal: controller.signal });
    controller.abort(new Error("the user left"));
    const cancelled = await rejection(held);
    expect([cancelled.type, cancelled.message]).toEqual(["cancelled", "query hold to /calculator was cancelled"]);
    expect((cancelled.cause as Error).message).toBe("the user left");
    const early = await rejection(caller.query("/calculator", "add", [1, 2], { signal: AbortSignal.abort() }));
    expect(early.type).toBe("cancelled");
  });

  it("fails pending calls with connection-closed when the server goes, and every call after; it never reconnects", async () => {
    const server = await serve(bindService(calculatorDescriptor, new Calculator()), serveTicker(new RecordingTicker()));
    const caller = await call(server.url);
    const held = caller.query("/calculator", "hold", [1]);
    const stream = new TickerClient(caller).count(1_000_000, { credit: 1 })[Symbol.asyncIterator]();
    expect(await stream.next()).toEqual({ done: false, value: 1 });
    await server.close();
    const lost = await rejection(held);
    expect(lost.type).toBe("connection-closed");
    expect(lost.message).toMatch(/^query hold to \/calculator got no answer: the WebSocket was closed \(code 10\d\d/);
    expect((await rejection(stream.next())).type).toBe("connection-closed");
    const reason = await caller.closed;
    expect(reason.type).toBe("connection-closed");
    const after = await rejection(caller.query("/calculator", "add", [1, 2]));
    expect(after.message).toBe(`the caller is closed: ${reason.message}`);
    expect(() => caller.send("/calculator", "log", ["x"])).toThrow(JampError);
  });

  it("closes: pending calls fail at once, the server lets go, and close is idempotent", async () => {
    const server = await serve(bindService(calculatorDescriptor, new Calculator()));
    const caller = await call(server.url);
    const held = caller.query("/calculator", "hold", [1]);
    await until(() => server.peers.size === 1);
    caller.close(4000, "bye");
    caller.close();
    const closed = await rejection(held);
    expect(closed.message).toBe(
      'query hold to /calculator got no answer: the caller was closed locally (code 4000, "bye")',
    );
    await until(() => server.peers.size === 0);
  });

  it("answers the server's calls with service-not-found, as a side that serves nothing", async () => {
    const server = await serve(serveCalculator(new RecordingCalculator()));
    const { seen, onError } = errors();
    await call(server.url, { onError, address: "/page" });
    await until(() => server.peers.size === 1);
    const back = new CalculatorClient([...server.peers][0] as Peer, "/page/calculator");
    const refused = await rejection(back.add(1, 2));
    expect([refused.type, refused.message]).toEqual([
      "service-not-found",
      "/page/calculator is not served here: this side only calls",
    ]);
    expect(seen.map(([error]) => error.type)).toEqual(["service-not-found"]);
  });

  it("fails a call whose frame is over maxPayload alone, without sending it", async () => {
    const calculator = new Calculator();
    const server = await serve(bindService(calculatorDescriptor, calculator));
    const caller = await call(server.url, { maxPayload: 100 });
    const tooBig = await rejection(caller.query("/calculator", "echo", ["x".repeat(200)]));
    expect(tooBig.type).toBe("limit-exceeded");
    expect(tooBig.message).toMatch(/^query echo to \/calculator is 2\d\d bytes, over the limit of 100$/);
    expect(() => caller.send("/calculator", "log", ["é".repeat(60)])).toThrow(/send log to \/calculator is \d+ bytes/);
    await expect(caller.query("/calculator", "add", [1, 2])).resolves.toBe(3);
    expect(calculator.calls).toBe(1);
  });

  it("refuses queries past maxPending, and limits out of range before connecting", async () => {
    const server = await serve(bindService(calculatorDescriptor, new Calculator()));
    const caller = await call(server.url, { maxPending: 2 });
    void caller.query("/calculator", "hold", [1]).catch(() => undefined);
    void caller.query("/calculator", "hold", [2]).catch(() => undefined);
    const refused = await rejection(caller.query("/calculator", "hold", [3]));
    expect([refused.type, refused.message]).toEqual([
      "limit-exceeded",
      "query hold to /calculator refused: 2 queries are pending",
    ]);
    await expect(call(server.url, { maxPending: 0 })).rejects.toThrow(RangeError);
  });

  it("fails a malformed answer's query at once, and reports frames no call hears of", async () => {
    const url = await rawServer((frame) => {
      if (frame[0] === "query" && frame[4] === "add") return JSON.stringify(["reply", frame[1], 17, "/calc", 3]);
      if (frame[0] === "query") return "not json at all";
      return undefined;
    });
    const { seen, onError } = errors();
    const caller = await call(url, { onError, timeout: 2000 });
    const garbled = await rejection(caller.query("/calc", "add", [1, 2]));
    expect([garbled.type, garbled.message]).toEqual([
      "invalid-message",
      "invalid JAMP message: slot 2 (to) must be a string, got number 17",
    ]);
    const pending = caller.query("/calc", "other", [], { timeout: 100 });
    expect((await rejection(pending)).type).toBe("timeout");
    expect(seen.map(([error]) => error.message)).toEqual([
      garbled.message,
      expect.stringMatching(/^invalid JAMP message: the frame is not JSON/),
    ]);
  });

  it("speaks another format given as a value, and says when that format cannot carry a call", async () => {
    const server = await serve(bindService(calculatorDescriptor, new Calculator()));
    const caller = await call(server.url, { codec: jsonRpc2Codec });
    const client = createClient(caller, calculatorDescriptor);
    await expect(client.query("add", [2, 3])).resolves.toBe(5);
    expect(() => withStreams(caller).stream("/calculator", "add", [], {})).toThrow("JSON-RPC 2.0 has no stream message");
    const headers = await rejection(client.query("add", [1, 1], { headers: { sid: "x" } }));
    expect(headers.message).toMatch(/^JSON-RPC 2.0 has no place for headers/);
  });

  it("rejects when it cannot connect, naming the URL", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const refused = await rejection(call(`ws://127.0.0.1:${closedPort}/`));
    expect(refused.type).toBe("connection-closed");
    expect(refused.message).toMatch(new RegExp(`^cannot connect to ws://127.0.0.1:${closedPort}/: .*ECONNREFUSED`));
    expect(refused.data).toEqual({ url: `ws://127.0.0.1:${closedPort}/` });
  });

  it("gives up on a server that never answers the upgrade after connectTimeout", async () => {
    const sockets: Socket[] = [];
    let closed = 0;
    const silent: NetServer = createServer((socket) => {
      sockets.push(socket);
      socket.on("close", () => closed++).resume();
    });
    others.push({ close: () => (sockets.forEach((socket) => socket.destroy()), silent.close()) });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `ws://127.0.0.1:${(silent.address() as { port: number }).port}/`;
    const timedOut = await rejection(call(url, { connectTimeout: 50 }));
    expect(timedOut.message).toBe(`cannot connect to ${url}: no answer within 50 ms`);
    await until(() => sockets.length === 1 && closed === 1);
  });

  it("asks for a WebSocket where the platform has none", async () => {
    expect((globalThis as { WebSocket?: unknown }).WebSocket).toBeUndefined();
    await expect(connectCaller("ws://127.0.0.1:1/")).rejects.toThrow(TypeError);
    await expect(connectCaller("ws://127.0.0.1:1/")).rejects.toThrow("this platform has no WebSocket; pass ws's as the WebSocket option");
  });
});
