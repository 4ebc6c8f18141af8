/**
 * HTTP on the port `listen` serves WebSocket on, over real sockets on 127.0.0.1: the generated calculator
 * client over `connect("http://…")` in every format, the server's answers to plain `fetch` (status codes,
 * Baratine's jamp-rpc mode, CORS, limits), and WebSocket and HTTP clients served at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CalculatorClient, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import { connect, listen, type Peer, type Server } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";
import { at, RecordingCalculator } from "../support/services.js";
import { until } from "../unit/runtime/support/calculator.js";

/** Slow to reset, so that calls posted while it runs would overtake it, were one-way messages not waited for. */
class SlowResetCalculator extends RecordingCalculator {
  override async reset(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 30));
    super.reset();
  }
}

const impl = new SlowResetCalculator();
let server: Server;
let jampOnly: Server;
const peers: Peer[] = [];

beforeAll(async () => {
  server = await listen({
    services: [serveCalculator(impl)],
    maxPayload: 4096,
    cors: { origins: ["https://app.example"] },
  });
  jampOnly = await listen({ services: [serveCalculator(impl)], codec: "jamp" });
});

afterAll(async () => {
  for (const peer of peers) peer.close();
  await Promise.all([server.close(), jampOnly.close()]);
});

async function calculator(url: string, codec: string): Promise<CalculatorClient> {
  const peer = await connect(url, { codec, timeout: 5000 });
  peers.push(peer);
  return new CalculatorClient(peer);
}

const post = (body: string, type = "application/json", headers: Record<string, string> = {}) =>
  fetch(server.httpUrl, { method: "POST", headers: { "content-type": type, ...headers }, body });

describe("the generated client over HTTP", () => {
  it.each(["jamp", "jamp-b", "jsonrpc2", "jsonrpc1", "soapjr"])("calls, sends and gets errors in %s", async (codec) => {
    const calc = await calculator(server.httpUrl, codec);
    expect(await calc.add(1, 2)).toBe(3);
    expect(await calc.history(1)).toEqual([{ op: "add", a: 1, b: 2, result: 3, at }]);
    const error = await rejection(calc.divide(1, 0));
    expect([error.type, error.message]).toEqual(["division-by-zero", "cannot divide 1 by zero"]);
    expect((await rejection(calc.add("1" as never, 2))).type).toBe("invalid-arguments");
    impl.calls = [];
    calc.reset();
    // Posted at once, yet served after the reset: a one-way message keeps its place.
    expect(await Promise.all([calc.add(2, 2), calc.add(3, 3)])).toEqual([4, 6]);
    // SOAPjr has no one-way message: its send is a request like the others, and keeps no place.
    if (codec === "soapjr") await until(() => impl.calls.includes("reset"));
    else expect(impl.calls).toEqual(["reset", "add 2 2", "add 3 3"]);
  });

  it("makes concurrent queries in flight at once", async () => {
    const calc = await calculator(server.httpUrl, "jsonrpc2");
    const sums = await Promise.all(Array.from({ length: 20 }, (_, i) => calc.add(i, i)));
    expect(sums).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i));
  });

  it("fails a call with connection-closed when nothing listens, without waiting for its timeout", async () => {
    const gone = await listen({ services: [] });
    const url = gone.httpUrl;
    await gone.close();
    const calc = await calculator(url, "jsonrpc2");
    const error = await rejection(calc.add(1, 2));
    expect(error.type).toBe("connection-closed");
    expect(error.message).toContain(url);
  });

  it("fails a call with the server's refusal when the body is over its limit", async () => {
    const calc = await calculator(server.httpUrl, "jamp");
    const error = await rejection(calc.history("x".repeat(5000) as never));
    expect([error.type, (error.data as { status?: number }).status]).toEqual(["limit-exceeded", 413]);
  });

  it("rejects outstanding calls at once when the peer closes", async () => {
    const peer = await connect(server.httpUrl, { codec: "jsonrpc2" });
    const slow = peer.query("/calculator", "add", [1, 2], {}, { service: "Calculator", paramNames: ["a", "b"] });
    peer.close();
    expect((await rejection(slow)).type).toBe("connection-closed");
  });
});

describe("the server's answers to plain fetch", () => {
  it("answers a JSON-RPC request 200 in JSON, and a notification 204 with no body", async () => {
    const answer = await post('{"jsonrpc":"2.0","method":"Calculator.add","params":[1,2],"id":"a"}');
    expect([answer.status, answer.headers.get("content-type")]).toEqual([200, "application/json; charset=utf-8"]);
    expect(await answer.json()).toEqual({ jsonrpc: "2.0", result: 3, id: "a" });
    const before = impl.resets;
    const none = await post('{"jsonrpc":"2.0","method":"Calculator.reset"}');
    expect([none.status, await none.text()]).toEqual([204, ""]);
    // The notification ran before its response was written.
    expect(impl.resets).toBe(before + 1);
    const batch = await post(
      '[{"jsonrpc":"2.0","method":"Calculator.reset"},{"jsonrpc":"2.0","method":"Calculator.reset"}]',
    );
    expect([batch.status, await batch.text()]).toEqual([204, ""]);
  });

  it("answers text that is not JSON with the format's own error, else 400", async () => {
    const parse = await post("{ nope", "text/plain");
    expect([parse.status, (await parse.json()) as unknown]).toEqual([
      200,
      {
        jsonrpc: "2.0",
        error: { code: -32700, message: expect.any(String), data: { type: "invalid-message" } },
        id: null,
      },
    ]);
    const jampAnswer = await fetch(jampOnly.httpUrl, { method: "POST", body: "{ nope" });
    expect(jampAnswer.status).toBe(400);
    expect(await jampAnswer.text()).toMatch(/not JSON/);
  });

  it("serves Baratine's jamp-rpc: an array of messages in, the array of their answers out", async () => {
    const body = JSON.stringify([
      ["send", {}, "/calculator", "reset"],
      ["query", {}, "/client", 1, "/calculator", "add", 20, 22],
      ["query", 7, "/calculator", "/client", "divide", [1, 0]],
    ]);
    const answer = await post(body, "x-application/jamp-rpc; charset=utf-8");
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual([
      ["reply", {}, "/client", 1, 42],
      ["error-query", 7, "/client", "/calculator", { type: "division-by-zero", message: "cannot divide 1 by zero" }],
    ]);
    const sends = await post('[["send",{},"/calculator","reset"]]', "x-application/jamp");
    expect([sends.status, await sends.text()]).toEqual([200, "[]"]);
    const notArray = await post('{"a":1}', "x-application/jamp-rpc");
    expect(notArray.status).toBe(400);
  });

  it("reads SOAPjr from a form body and from a GET's json parameter", async () => {
    const request = { HEAD: { service_type: "Calculator", action_type: "add" }, BODY: { a: 1, b: 2 } };
    const form = await post(
      new URLSearchParams({ json: JSON.stringify(request) }).toString(),
      "application/x-www-form-urlencoded",
    );
    expect(await form.json()).toEqual({ HEAD: { result: 1 }, BODY: { value: 3 } });
    const get = await fetch(`${server.httpUrl}?json=${encodeURIComponent(JSON.stringify(request))}`);
    expect(await get.json()).toEqual({ HEAD: { result: 1 }, BODY: { value: 3 } });
    const twice = await post("json=1&json=2", "application/x-www-form-urlencoded");
    expect(await twice.json()).toMatchObject({ HEAD: { result: 0, errors: { ENVELOPE: { json: { code: 400 } } } } });
  });

  it("refuses an oversized body 413, other methods 405 with Allow, JAMP's modes on a server without JAMP 415", async () => {
    const big = await post(
      JSON.stringify({ jsonrpc: "2.0", method: "Calculator.add", params: ["x".repeat(5000)], id: 1 }),
    );
    expect(big.status).toBe(413);
    const put = await fetch(server.httpUrl, { method: "PUT", body: "{}" });
    expect([put.status, put.headers.get("allow")]).toEqual([405, "GET, POST, DELETE, OPTIONS"]);
    const rpcOnly = await listen({ services: [serveCalculator(impl)], accept: ["jsonrpc2"] });
    const pull = await fetch(rpcOnly.httpUrl, {
      method: "POST",
      headers: { "content-type": "x-application/jamp-pull" },
    });
    await rpcOnly.close();
    expect(pull.status).toBe(415);
    const plainGet = await fetch(server.httpUrl);
    expect(plainGet.status).toBe(426);
    // The server still answers after all of them.
    expect((await post('{"jsonrpc":"2.0","method":"Calculator.add","params":[1,1],"id":1}')).status).toBe(200);
  });

  it("lets pages of the allowed origins in, answers their preflight, and refuses other pages 403", async () => {
    const preflight = await fetch(server.httpUrl, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(
      Object.fromEntries(
        ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers"].map((h) => [
          h,
          preflight.headers.get(h),
        ]),
      ),
    ).toEqual({
      "access-control-allow-origin": "https://app.example",
      "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
      "access-control-allow-headers": "content-type",
    });
    const call = '{"jsonrpc":"2.0","method":"Calculator.add","params":[1,2],"id":1}';
    const allowed = await post(call, "application/json", { origin: "https://app.example" });
    expect([allowed.status, allowed.headers.get("access-control-allow-origin")]).toEqual([200, "https://app.example"]);
    const before = impl.resets;
    const other = await post('{"jsonrpc":"2.0","method":"Calculator.reset"}', "text/plain", {
      origin: "https://evil.example",
    });
    expect([other.status, other.headers.get("access-control-allow-origin")]).toEqual([403, null]);
    expect(impl.resets).toBe(before);
    const own = await post(call, "application/json", { origin: server.httpUrl.slice(0, -1) });
    expect(own.status).toBe(200);
  });
});

describe("one port", () => {
  it("serves WebSocket and HTTP clients at once", async () => {
    const overSocket = await calculator(server.url, "jamp");
    const overHttp = await calculator(server.httpUrl, "jsonrpc2");
    const sums = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? overSocket : overHttp).add(i, 1)),
    );
    expect(sums).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(new URL(server.url).port).toBe(new URL(server.httpUrl).port);
  });
});
