/**
 * JSON-RPC over HTTP with implementations nobody here wrote, on 127.0.0.1: jayson's HTTP client and
 * json-rpc-2.0's client (posting with `fetch`) calling the generated calculator's jamp-gen server, and the
 * generated calculator client, connected with `connect("http://…", { codec: "jsonrpc2" })`, calling a jayson
 * HTTP server and a json-rpc-2.0 server behind `node:http`; and a SOAPjr request made with plain `fetch`.
 */
import { createServer, type Server as HttpServer } from "node:http";
import jayson from "jayson";
import { JSONRPCClient, JSONRPCErrorException, JSONRPCServer } from "json-rpc-2.0";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CalculatorClient, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import { connect, listen, type Server } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";
import { at, RecordingCalculator } from "../support/services.js";

const closers: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function listening(server: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
}

describe("foreign HTTP clients calling a jamp-gen server", () => {
  let impl: RecordingCalculator;
  let server: Server;

  beforeEach(async () => {
    impl = new RecordingCalculator();
    server = await listen({ services: [serveCalculator(impl)] });
    closers.push(() => server.close());
  });

  it("answers jayson's HTTP client: calls, errors and notifications", async () => {
    const { port } = new URL(server.httpUrl);
    const client = jayson.client.http({ host: "127.0.0.1", port: Number(port) });
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
    await new Promise((resolve, reject) =>
      client.request("Calculator.reset", [], null, (error: unknown) => (error ? reject(error as Error) : resolve(0))),
    );
    expect(impl.resets).toBe(1);
  });

  it("answers json-rpc-2.0's client posting with fetch, batches included", async () => {
    const client: JSONRPCClient = new JSONRPCClient(async (request) => {
      const response = await fetch(server.httpUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request),
      });
      if (response.status === 200) client.receive(await response.json());
      else if (response.status !== 204) throw new Error(`HTTP ${response.status}`);
    });
    expect(await client.request("Calculator.add", { b: 40, a: 2 })).toBe(42);
    const error = (await Promise.resolve(client.request("Calculator.divide", [1, 0])).catch((e: unknown) => e)) as JSONRPCErrorException;
    expect([error.code, error.message, error.data]).toEqual([
      -32000,
      "cannot divide 1 by zero",
      { type: "division-by-zero" },
    ]);
    client.notify("Calculator.reset", []);
    const answers = await client.requestAdvanced([
      { jsonrpc: "2.0", method: "Calculator.add", params: [1, 1], id: 1 },
      { jsonrpc: "2.0", method: "Calculator.reset" },
      { jsonrpc: "2.0", method: "Calculator.add", params: ["x", 1], id: "two" },
    ]);
    expect(answers.map((answer) => [answer.id, answer.result ?? answer.error?.code])).toEqual([
      [1, 2],
      ["two", -32602],
    ]);
    expect(impl.resets).toBe(2);
  });

  it("answers a SOAPjr request made with plain fetch and a form body", async () => {
    const json = JSON.stringify({ HEAD: { service_type: "Calculator", action_type: "divide" }, BODY: { a: 1, b: 0 } });
    const response = await fetch(server.httpUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ json }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      HEAD: {
        result: 0,
        errors: {
          HEAD: { action_type: { code: 500, message: "cannot divide 1 by zero", type: "division-by-zero" } },
        },
      },
      BODY: {},
    });
  });
});

describe("the generated client over HTTP calling foreign servers", () => {
  let resets: number;

  beforeEach(() => {
    resets = 0;
  });

  async function calculatorOn(url: string): Promise<CalculatorClient> {
    const peer = await connect(url, { codec: "jsonrpc2", timeout: 5000 });
    closers.push(() => peer.close());
    return new CalculatorClient(peer);
  }

  it("speaks JSON-RPC 2.0 to a jayson HTTP server", async () => {
    const server = new jayson.Server({
      "Calculator.add": (args: number[], done: (error: unknown, result?: unknown) => void) =>
        done(null, (args[0] ?? 0) + (args[1] ?? 0)),
      "Calculator.divide": (args: number[], done: (error: unknown, result?: unknown) => void) =>
        args[1] === 0
          ? done({ code: -32000, message: "cannot divide by zero", data: { type: "division-by-zero" } })
          : done(null, (args[0] ?? 0) / (args[1] ?? 1)),
      "Calculator.history": (_: unknown, done: (error: unknown, result?: unknown) => void) =>
        done(null, [{ op: "add", a: 1, b: 2, result: 3, at: at.toISOString() }]),
      "Calculator.reset": (_: unknown, done: (error: unknown, result?: unknown) => void) => {
        resets++;
        done(null);
      },
    });
    const calc = await calculatorOn(await listening(server.http()));
    expect(await calc.add(1, 2)).toBe(3);
    const [entry] = await calc.history();
    expect(entry?.at).toEqual(at);
    calc.reset();
    expect(await calc.add(0, 0)).toBe(0);
    expect(resets).toBe(1);
    const error = await rejection(calc.divide(1, 0));
    expect([error.type, error.message]).toEqual(["division-by-zero", "cannot divide by zero"]);
  });

  it("speaks JSON-RPC 2.0 to a json-rpc-2.0 server behind node:http", async () => {
    const rpc = new JSONRPCServer({ errorListener: () => undefined });
    rpc.addMethod("Calculator.add", ([a, b]: [number, number]) => a + b);
    rpc.addMethod("Calculator.divide", () => {
      throw new JSONRPCErrorException("cannot divide by zero", -32000, { type: "division-by-zero" });
    });
    rpc.addMethod("Calculator.reset", () => void resets++);
    const http = createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      request.on("end", () => {
        void rpc.receiveJSON(body).then((answer) => {
          if (answer === null) response.writeHead(204).end();
          else response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
        });
      });
    });
    const calc = await calculatorOn(await listening(http));
    expect(await calc.add(40, 2)).toBe(42);
    calc.reset();
    expect(await calc.add(0, 0)).toBe(0);
    expect(resets).toBe(1);
    expect((await rejection(calc.divide(1, 0))).type).toBe("division-by-zero");
    expect((await rejection(calc.history())).type).toBe("method-not-found");
  });
});
