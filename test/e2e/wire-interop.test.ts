/**
 * JSON-RPC with implementations nobody here wrote, over real WebSockets on 127.0.0.1: the npm packages
 * `json-rpc-2.0` and `jayson` calling the generated calculator's jamp-gen server, and the generated
 * calculator client, speaking JSON-RPC 2.0 or 1.0, calling servers built with each of them. The WebSocket
 * wiring of `json-rpc-2.0` is ours (it has none); jayson brings its own. jayson's WebSocket client reads
 * 2.0 responses only, so 1.0 is shown with a jayson server.
 */
import jayson from "jayson";
import { JSONRPCClient, JSONRPCErrorException, JSONRPCServer, type JSONRPCResponse } from "json-rpc-2.0";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import type { Entry } from "../../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import { connect, JampError, listen, type Peer, type Server } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";

const at = new Date(Date.UTC(2026, 10, 21, 12, 0, 0));

class TestCalculator extends CalculatorSkeleton {
  resets = 0;
  async add(a: number, b: number): Promise<number> {
    return a + b;
  }
  async divide(a: number, b: number): Promise<number> {
    if (b === 0) throw new JampError("division-by-zero", `cannot divide ${a} by zero`);
    return a / b;
  }
  async history(limit?: number): Promise<Entry[]> {
    const entries: Entry[] = [{ op: "add", a: 1, b: 2, result: 3, at }];
    return entries.slice(0, limit ?? 1);
  }
  reset(): void {
    this.resets++;
  }
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  closers.push(() => socket.close());
  return socket;
}

describe("foreign clients calling a jamp-gen server", () => {
  let impl: TestCalculator;
  let server: Server;

  beforeEach(async () => {
    impl = new TestCalculator();
    server = await listen({ port: 0, services: [serveCalculator(impl)] });
    closers.push(() => server.close());
  });

  describe("json-rpc-2.0's JSONRPCClient", () => {
    let client: JSONRPCClient;

    beforeEach(async () => {
      const socket = await openSocket(server.url);
      client = new JSONRPCClient((request) => socket.send(JSON.stringify(request)));
      socket.on("message", (data) => client.receive(JSON.parse(String(data)) as JSONRPCResponse | JSONRPCResponse[]));
    });

    it("calls by position and by name", async () => {
      expect(await client.request("Calculator.add", [1, 2])).toBe(3);
      expect(await client.request("Calculator.add", { b: 40, a: 2 })).toBe(42);
      expect(await client.request("Calculator.history", { limit: 1 })).toEqual([
        { op: "add", a: 1, b: 2, result: 3, at: "2026-11-21T12:00:00.000Z" },
      ]);
    });

    it("sends notifications, which are never answered", async () => {
      client.notify("Calculator.reset", []);
      client.notify("Calculator.reset", {});
      expect(await client.request("Calculator.add", [0, 0])).toBe(0);
      expect(impl.resets).toBe(2);
    });

    it("gets errors with their JSON-RPC codes and the runtime's type in data", async () => {
      const error = (await client.request("Calculator.divide", [1, 0]).then(
        () => undefined,
        (e: unknown) => e,
      )) as JSONRPCErrorException;
      expect(error).toBeInstanceOf(JSONRPCErrorException);
      expect([error.code, error.message, error.data]).toEqual([
        -32000,
        "cannot divide 1 by zero",
        { type: "division-by-zero" },
      ]);
      const codeOf = (method: string, params: unknown) =>
        client.request(method, params as never).then(
          () => undefined,
          (e: JSONRPCErrorException) => e.code,
        );
      expect(await codeOf("Calculator.add", ["1", 2])).toBe(-32602);
      expect(await codeOf("Calculator.add", { a: 1, c: 2 })).toBe(-32602);
      expect(await codeOf("Calculator.sqrt", [4])).toBe(-32601);
      expect(await codeOf("Nothing.add", [1, 2])).toBe(-32601);
    });

    it("sends a batch and gets the answers of its requests together", async () => {
      const answers = await client.requestAdvanced([
        { jsonrpc: "2.0", method: "Calculator.add", params: [1, 1], id: 1 },
        { jsonrpc: "2.0", method: "Calculator.reset" },
        { jsonrpc: "2.0", method: "Calculator.divide", params: [1, 0], id: "two" },
      ]);
      expect(answers).toEqual([
        { jsonrpc: "2.0", result: 2, id: 1 },
        {
          jsonrpc: "2.0",
          error: { code: -32000, message: "cannot divide 1 by zero", data: { type: "division-by-zero" } },
          id: "two",
        },
      ]);
      expect(impl.resets).toBe(1);
    });
  });

  describe("jayson's WebSocket client", () => {
    it("calls, notifies and gets errors", async () => {
      const socket = await openSocket(server.url);
      const client = jayson.client.websocket({ ws: socket as never });
      // unlisten() is in jayson's JavaScript, not in its types.
      closers.push(() => (client as unknown as { unlisten(): void }).unlisten());
      const call = (method: string, params: unknown) =>
        new Promise<{ result?: unknown; error?: { code: number; data?: unknown } }>((resolve, reject) =>
          client.request(method, params as never, (error: unknown, response?: unknown) =>
            error ? reject(error as Error) : resolve(response as { result?: unknown }),
          ),
        );
      expect((await call("Calculator.add", [20, 22])).result).toBe(42);
      expect((await call("Calculator.add", { a: 1, b: 1 })).result).toBe(2);
      expect((await call("Calculator.divide", [1, 0])).error).toMatchObject({
        code: -32000,
        data: { type: "division-by-zero" },
      });
      expect((await call("Calculator.sqrt", [4])).error?.code).toBe(-32601);
      await new Promise((resolve) => client.request("Calculator.reset", [], null, resolve));
      expect((await call("Calculator.add", [0, 0])).result).toBe(0);
      expect(impl.resets).toBe(1);
    });
  });
});

describe("the generated client calling foreign servers", () => {
  let resets: number;

  /** A `ws` server on 127.0.0.1 handing each text frame to `answer`, sending back what it returns. */
  async function wsServer(answer: (frame: string) => PromiseLike<unknown>): Promise<string> {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => wss.once("listening", resolve));
    wss.on("connection", (socket) =>
      socket.on("message", (data) => {
        void Promise.resolve(answer(String(data))).then((response) => {
          if (response !== null && response !== undefined) socket.send(JSON.stringify(response));
        });
      }),
    );
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate();
          wss.close(() => resolve());
        }),
    );
    return `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
  }

  async function calculatorOn(url: string, codec: string): Promise<CalculatorClient> {
    const peer: Peer = await connect(url, { codec });
    closers.push(() => peer.close());
    return new CalculatorClient(peer);
  }

  beforeEach(() => {
    resets = 0;
  });

  it("speaks JSON-RPC 2.0 to json-rpc-2.0's JSONRPCServer", async () => {
    const rpc = new JSONRPCServer({ errorListener: () => undefined });
    rpc.addMethod("Calculator.add", ([a, b]: [number, number]) => a + b);
    rpc.addMethod("Calculator.divide", ([a, b]: [number, number]) => {
      if (b === 0) throw new JSONRPCErrorException("cannot divide by zero", -32000, { type: "division-by-zero" });
      return a / b;
    });
    rpc.addMethod("Calculator.history", () => [{ op: "add", a: 1, b: 2, result: 3, at: at.toISOString() }]);
    rpc.addMethod("Calculator.reset", () => void resets++);
    rpc.addMethod("Calculator.crash", () => {
      throw new Error("disk on fire");
    });
    const calc = await calculatorOn(await wsServer((frame) => rpc.receiveJSON(frame)), "jsonrpc2");

    expect(await calc.add(1, 2)).toBe(3);
    const [entry] = await calc.history();
    expect(entry?.at).toEqual(at);
    calc.reset();
    expect(await calc.add(0, 0)).toBe(0);
    expect(resets).toBe(1);
    const error = await rejection(calc.divide(1, 0));
    expect([error.type, error.message]).toEqual(["division-by-zero", "cannot divide by zero"]);
  });

  it("reads a foreign server's own error codes as application errors, keeping the code", async () => {
    const rpc = new JSONRPCServer({ errorListener: () => undefined });
    rpc.addMethod("Calculator.divide", () => {
      throw new Error("disk on fire");
    });
    const calc = await calculatorOn(await wsServer((frame) => rpc.receiveJSON(frame)), "jsonrpc2");
    const error = await rejection(calc.divide(1, 1));
    // json-rpc-2.0 answers what a method throws with code 0.
    expect([error.type, error.message, error.data]).toEqual(["application-error", "disk on fire", { code: 0 }]);
    const missing = await rejection(calc.add(1, 1));
    expect(missing.type).toBe("method-not-found");
  });

  it("speaks JSON-RPC 2.0 to a jayson server", async () => {
    const server = new jayson.Server({
      "Calculator.add": (args: number[], callback: (error: unknown, result?: unknown) => void) =>
        callback(null, (args[0] ?? 0) + (args[1] ?? 0)),
      "Calculator.divide": (args: number[], callback: (error: unknown, result?: unknown) => void) =>
        args[1] === 0
          ? callback({ code: 42, message: "cannot divide by zero" })
          : callback(null, (args[0] ?? 0) / (args[1] ?? 1)),
      "Calculator.reset": (_: unknown, callback: (error: unknown) => void) => {
        resets++;
        callback(null);
      },
    });
    const url = await wsServer(
      (frame) =>
        new Promise((resolve) =>
          server.call(JSON.parse(frame), (error: unknown, success: unknown) => resolve(error ?? success)),
        ),
    );
    const calc = await calculatorOn(url, "jsonrpc2");
    expect(await calc.add(2, 3)).toBe(5);
    calc.reset();
    const error = await rejection(calc.divide(1, 0));
    expect([error.type, error.message, error.data]).toEqual([
      "application-error",
      "cannot divide by zero",
      { code: 42 },
    ]);
    expect(resets).toBe(1);
  });

  it("speaks JSON-RPC 1.0 to a jayson server of version 1", async () => {
    const server = new jayson.Server(
      {
        "Calculator.add": (args: number[], callback: (error: unknown, result?: unknown) => void) =>
          callback(null, (args[0] ?? 0) + (args[1] ?? 0)),
        "Calculator.divide": (_: unknown, callback: (error: unknown) => void) =>
          callback({ code: -32603, message: "no" }),
      },
      { version: 1 },
    );
    const url = await wsServer(
      (frame) =>
        new Promise((resolve) =>
          server.call(JSON.parse(frame), (error: unknown, success: unknown) => resolve(error ?? success)),
        ),
    );
    const calc = await calculatorOn(url, "jsonrpc1");
    expect(await calc.add(2, 3)).toBe(5);
    const error = await rejection(calc.divide(1, 0));
    expect([error.type, error.message]).toEqual(["internal-error", "no"]);
  });
});
