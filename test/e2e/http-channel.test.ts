/**
 * Baratine's push/pull channel over real HTTP on 127.0.0.1: the generated clients over
 * `connect("http://…", { channel: true })` (calls, sends, errors, streams with their credit and cancel), the
 * server calling back a service the client serves, the limits (queued messages, channels, idle expiry),
 * a clean end on `peer.close()`, and the server's answers to plain `fetch` as Baratine's clients make them
 * (the `Jamp_Channel` cookie, `GET` pulls, polls, 410 for a channel that is gone).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CalculatorClient, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import type { Tick } from "../../fixtures/kind-stream/ticker.js";
import { serveTicker, TickerClient, tickerResultValidators } from "../../fixtures/kind-stream/expected/index.js";
import { connect, JampError, listen, type ListenOptions, type Peer, type Server } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";
import { at, RecordingCalculator, RecordingTicker } from "../support/services.js";
import { until } from "../unit/runtime/support/calculator.js";

const calculator = new RecordingCalculator();
const ticker = new RecordingTicker();
const servers: Server[] = [];
const peers: Peer[] = [];

async function serve(options: Partial<ListenOptions> = {}): Promise<Server> {
  const server = await listen({ services: [serveCalculator(calculator), serveTicker(ticker)], ...options });
  servers.push(server);
  return server;
}

async function open(server: Server, options: Parameters<typeof connect>[1] = {}): Promise<Peer> {
  const peer = await connect(server.httpUrl, { channel: true, timeout: 5000, ...options });
  peers.push(peer);
  return peer;
}

/** Opens a channel and returns the server's peer of it, the one the server calls the client through. */
async function openWithServerSide(server: Server, options: Parameters<typeof connect>[1] = {}) {
  const before = new Set(server.peers);
  const peer = await open(server, options);
  const [theirs, ...more] = [...server.peers].filter((p) => !before.has(p));
  expect(more).toEqual([]);
  return { peer, theirs: theirs as Peer };
}

let server: Server;
beforeAll(async () => {
  server = await serve();
});
afterAll(async () => {
  for (const peer of peers) peer.close();
  await Promise.all(servers.map((s) => s.close()));
});

describe.each(["jamp", "jamp-b"])("the generated clients over a channel in %s", (codec) => {
  it("calls, sends in order, and gets application errors as JampErrors", async () => {
    const calc = new CalculatorClient(await open(server, { codec }));
    expect(await calc.add(1, 2)).toBe(3);
    expect(await calc.history(1)).toEqual([{ op: "add", a: 1, b: 2, result: 3, at }]);
    const error = await rejection(calc.divide(1, 0));
    expect(error).toBeInstanceOf(JampError);
    expect([error.type, error.message]).toEqual(["division-by-zero", "cannot divide 1 by zero"]);
    calculator.calls = [];
    calc.reset();
    // Pushed in order, one push at a time, and served in that order, as over a socket.
    expect(await Promise.all([calc.add(2, 2), calc.add(3, 3)])).toEqual([4, 6]);
    expect(calculator.calls).toEqual(["reset", "add 2 2", "add 3 3"]);
  });

  it("streams items in order, revived, and ends with the server's error after the items before it", async () => {
    const client = new TickerClient(await open(server, { codec }), undefined, { validateResults: tickerResultValidators });
    const ticks: Tick[] = [];
    for await (const tick of client.ticks("ACME", at, 5)) ticks.push(tick);
    expect(ticks.map((t) => t.price)).toEqual([100, 101, 102, 103, 104]);
    expect(ticks[4]?.at).toEqual(new Date(at.getTime() + 4000));
    const prices: number[] = [];
    const error = await rejection(
      (async () => {
        for await (const tick of client.ticks("FAIL", at, 5)) prices.push(tick.price);
      })(),
    );
    expect([prices, error.type, error.message]).toEqual([[100, 101], "market-closed", "no trading in FAIL"]);
  });

  it("cancels the server's generator when the loop breaks", async () => {
    const { peer, theirs } = await openWithServerSide(server, { codec });
    const got: number[] = [];
    for await (const n of new TickerClient(peer).count(1_000_000)) {
      got.push(n);
      if (n === 3) break;
    }
    expect(got).toEqual([1, 2, 3]);
    await ticker.finished.promise;
    expect(ticker.produced).toBeLessThan(100);
    await until(() => theirs.stats.streams === 0);
  });
});

describe("streams under credit", () => {
  it("keeps a fast producer within the credit of a slow puller", async () => {
    const client = new TickerClient(await open(server));
    const credit = 8;
    let consumed = 0;
    let ahead = 0;
    for await (const n of client.count(1_000_000, { credit })) {
      consumed++;
      expect(n).toBe(consumed);
      await new Promise((r) => setTimeout(r, 2));
      ahead = Math.max(ahead, ticker.produced - consumed);
      if (consumed === 60) break;
    }
    await ticker.finished.promise;
    // Items wait in the channel until pulled, and the server pulls its generator at most one item beyond the
    // credit it holds (the item it then waits to send).
    expect(ahead).toBeLessThanOrEqual(credit + 1);
    expect(ticker.produced).toBeLessThanOrEqual(consumed + credit + 1);
  });

  it("refuses a stream over plain HTTP requests, naming the channel", async () => {
    const peer = await connect(server.httpUrl, { codec: "jamp" });
    peers.push(peer);
    const error = await rejection(
      (async () => {
        for await (const n of new TickerClient(peer).count(3)) expect(n).toBeUndefined();
      })(),
    );
    expect(error.type).toBe("invalid-message");
    expect(error.message).toContain("channel: true");
  });
});

describe("calls from the server to the client", () => {
  it("reaches a service the client serves, with its answers and errors", async () => {
    const mine = new RecordingCalculator();
    const { theirs } = await openWithServerSide(server, { services: [serveCalculator(mine)] });
    const back = new CalculatorClient(theirs);
    expect(await back.add(20, 22)).toBe(42);
    expect(await back.history()).toEqual([{ op: "add", a: 1, b: 2, result: 3, at }]);
    const error = await rejection(back.divide(1, 0));
    expect([error.type, error.message]).toEqual(["division-by-zero", "cannot divide 1 by zero"]);
    back.reset();
    await until(() => mine.calls.includes("reset"));
    expect(mine.calls).toEqual(["add 20 22", "reset"]);
  });

  it("reaches the client before it sent anything, in either JAMP dialect", async () => {
    const mine = new RecordingCalculator();
    const { theirs } = await openWithServerSide(server, { codec: "jamp-b", services: [serveCalculator(mine)] });
    expect(await new CalculatorClient(theirs).add(1, 1)).toBe(2);
  });

  it("fails the server's call with connection-closed when the client closes", async () => {
    const { peer, theirs } = await openWithServerSide(server, { services: [] });
    peer.close();
    await until(() => !server.peers.has(theirs));
    const error = await rejection(new CalculatorClient(theirs).add(1, 1));
    expect(error.type).toBe("connection-closed");
  });
});

describe("the end of a channel", () => {
  it("ends cleanly on peer.close(): the server forgets the channel and ends its streams", async () => {
    const { peer, theirs } = await openWithServerSide(server);
    const client = new TickerClient(peer);
    const error = await rejection(
      (async () => {
        for await (const n of client.count(1_000_000)) if (n === 5) peer.close();
      })(),
    );
    expect(error.type).toBe("connection-closed");
    await ticker.finished.promise;
    await until(() => !server.peers.has(theirs));
    expect(theirs.stats.streams).toBe(0);
  });

  it("fails the client's calls with connection-closed when the server closes", async () => {
    const own = await serve();
    const peer = await open(own, { reconnect: false });
    const calc = new CalculatorClient(peer);
    expect(await calc.add(1, 2)).toBe(3);
    await own.close();
    const error = await rejection(peer.closed.then((reason) => Promise.reject(reason)));
    expect(error.type).toBe("connection-closed");
    expect((await rejection(calc.add(1, 2))).type).toBe("connection-closed");
  });

  it("opens a new channel when the server comes back, with the client's services served again", async () => {
    const first = await serve();
    const port = first.port;
    const served = new RecordingCalculator();
    const { peer } = await openWithServerSide(first, {
      services: [serveCalculator(served)],
      reconnect: { initialDelay: 20, maxDelay: 100 },
    });
    const calc = new CalculatorClient(peer);
    expect(await calc.add(1, 2)).toBe(3);
    const states: string[] = [];
    peer.onState(({ state }) => states.push(state));
    await first.close();
    await until(() => peer.state === "reconnecting");
    expect((await rejection(calc.add(1, 2))).type).toBe("connection-closed");
    const again = await serve({ port });
    await until(() => peer.state === "open");
    expect(await calc.add(2, 3)).toBe(5);
    // The server reaches the client's own binding over the new channel.
    const [theirs] = [...again.peers];
    expect(await new CalculatorClient(theirs!).add(20, 22)).toBe(42);
    expect(states[0]).toBe("reconnecting");
    expect(states.at(-1)).toBe("open");
  });

  it("keeps pulling across pull timeouts", async () => {
    const own = await serve({ channels: { pullTimeout: 50 } });
    const calc = new CalculatorClient(await open(own));
    await new Promise((r) => setTimeout(r, 250));
    expect(await calc.add(2, 3)).toBe(5);
  });

  it("fails a connect that gets no channel with connection-closed", async () => {
    const rpcOnly = await serve({ accept: ["jsonrpc2"] });
    const error = await rejection(connect(rpcOnly.httpUrl, { channel: true }));
    expect([error.type, error.message]).toEqual(["connection-closed", expect.stringContaining("answered 415")]);
    await expect(connect(server.httpUrl, { channel: true, codec: "jsonrpc2" })).rejects.toThrow(TypeError);
  });
});

describe("the limits", () => {
  it("refuses a new channel past maxChannels with 503", async () => {
    const own = await serve({ channels: { maxChannels: 2 } });
    await open(own);
    await open(own);
    const error = await rejection(connect(own.httpUrl, { channel: true }));
    expect([error.type, error.message]).toEqual(["connection-closed", expect.stringContaining("answered 503")]);
    const refused = await fetch(own.httpUrl, { method: "POST", headers: { "content-type": pushType }, body: "[]" });
    expect([refused.status, refused.headers.get("retry-after")]).toEqual([503, "60"]);
  });

  it("refuses a push that would queue more than maxQueued answers, failing its calls with limit-exceeded", async () => {
    const own = await serve({ channels: { maxQueued: 3 } });
    const calc = new CalculatorClient(await open(own));
    // Sent in one turn, so pushed together: four answers would not fit.
    const calls = [1, 2, 3, 4].map((n) => rejection(calc.add(n, n)));
    for (const error of await Promise.all(calls)) {
      expect([error.type, (error.data as { status: number }).status]).toEqual(["limit-exceeded", 429]);
    }
    expect(await calc.add(1, 1)).toBe(2);
  });

  it("closes a channel whose client leaves more than maxQueued messages unpulled", async () => {
    const own = await serve({ channels: { maxQueued: 3 } });
    const before = new Set(own.peers);
    const opened = await channelRequest(own, "push", "[]");
    const id = opened.headers.get("x-jamp-channel") as string;
    const theirs = [...own.peers].find((p) => !before.has(p)) as Peer;
    const back = new CalculatorClient(theirs);
    for (let i = 0; i < 3; i++) back.reset();
    expect(() => back.reset()).toThrow(expect.objectContaining({ type: "limit-exceeded" }));
    await until(() => !own.peers.has(theirs));
    const pull = await channelRequest(own, "pull", "[]", { "x-jamp-channel": id });
    expect([pull.status, await pull.text()]).toEqual([410, expect.stringContaining("3 messages unpulled")]);
  });

  it("expires a channel no request used for idleTimeout", async () => {
    const own = await serve({ channels: { idleTimeout: 100 } });
    const before = new Set(own.peers);
    const opened = await channelRequest(own, "push", "[]");
    const theirs = [...own.peers].find((p) => !before.has(p)) as Peer;
    await until(() => !own.peers.has(theirs));
    expect((await theirs.closed).message).toContain("expired");
    const pull = await channelRequest(own, "pull", "[]", {
      "x-jamp-channel": opened.headers.get("x-jamp-channel") as string,
    });
    expect([pull.status, await pull.text()]).toEqual([410, expect.stringContaining("no request came for 100 ms")]);
  });

  it("refuses limits that are not positive numbers", async () => {
    await expect(listen({ services: [], channels: { pullTimeout: 0 } })).rejects.toThrow(RangeError);
    await expect(listen({ services: [], channels: { maxQueued: 1.5 } })).rejects.toThrow(RangeError);
    await expect(listen({ services: [], channels: { idleTimeout: Infinity } })).rejects.toThrow(RangeError);
  });
});

const pushType = "x-application/jamp-push";
type Mode = "push" | "pull" | "poll";

function channelRequest(
  target: Server,
  mode: Mode,
  body: string | undefined,
  headers: Record<string, string> = {},
  method = "POST",
): Promise<Response> {
  return fetch(target.httpUrl, {
    method,
    headers: { "content-type": `x-application/jamp-${mode}`, ...headers },
    ...(body === undefined ? {} : { body }),
  });
}

describe("Baratine's clients, with plain fetch", () => {
  it("names the channel with the Jamp_Channel cookie: push a query, pull its reply", async () => {
    const pushed = await channelRequest(server, "push", '[["query",{},"/client",0,"/calculator","add",20,22]]');
    expect([pushed.status, await pushed.json()]).toEqual([200, []]);
    const cookie = pushed.headers.get("set-cookie") as string;
    expect(cookie).toMatch(/^Jamp_Channel=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
    const name = cookie.split(";")[0] as string;
    const pulled = await channelRequest(server, "pull", "[]", { cookie: `other=1; ${name}` });
    expect([pulled.status, pulled.headers.get("content-type")]).toEqual([200, "application/json; charset=utf-8"]);
    expect(await pulled.json()).toEqual([["reply", {}, "/client", 0, 42]]);
    // A GET pull, and a second push, use the same channel.
    await channelRequest(server, "push", '[["query",{},"/client",1,"/calculator","divide",1,0]]', { cookie: name });
    const got = await channelRequest(server, "pull", undefined, { cookie: name }, "GET");
    expect(await got.json()).toEqual([
      ["error", {}, "/client", 1, { code: "UNKNOWN", message: "cannot divide 1 by zero", type: "division-by-zero" }],
    ]);
    const closed = await fetch(server.httpUrl, { method: "DELETE", headers: { cookie: name } });
    expect([closed.status, closed.headers.get("set-cookie")]).toEqual([204, "Jamp_Channel=; Path=/; Max-Age=0"]);
    const gone = await channelRequest(server, "pull", "[]", { cookie: name });
    expect([gone.status, gone.headers.get("set-cookie"), await gone.text()]).toEqual([
      410,
      "Jamp_Channel=; Path=/; Max-Age=0",
      expect.stringContaining("the client closed the channel"),
    ]);
  });

  it("answers a poll with the answers to its own messages", async () => {
    const polled = await channelRequest(server, "poll", '[["query",{},"/client",7,"/calculator","add",1,2]]');
    expect([polled.status, await polled.json()]).toEqual([200, [["reply", {}, "/client", 7, 3]]]);
    const name = (polled.headers.get("set-cookie") as string).split(";")[0] as string;
    const empty = await channelRequest(server, "poll", "", { cookie: name });
    expect([empty.status, await empty.json()]).toEqual([200, []]);
  });

  it("answers a waiting pull at once when another pull comes", async () => {
    const own = await serve({ channels: { pullTimeout: 60_000 } });
    const opened = await channelRequest(own, "push", "[]");
    const named = { "x-jamp-channel": opened.headers.get("x-jamp-channel") as string };
    const first = channelRequest(own, "pull", "[]", named);
    await new Promise((r) => setTimeout(r, 50));
    const second = channelRequest(own, "pull", "[]", named);
    expect(await (await first).json()).toEqual([]);
    await channelRequest(own, "push", '[["query",{},"/client",3,"/calculator","add",3,3]]', named);
    expect(await (await second).json()).toEqual([["reply", {}, "/client", 3, 6]]);
  });

  it("refuses a body that is no array (400), a channel it does not know (410), and JAMP on a JSON-RPC server (415)", async () => {
    expect((await channelRequest(server, "push", '{"a":1}')).status).toBe(400);
    const unknown = await channelRequest(server, "pull", "[]", { "x-jamp-channel": "f00" });
    expect([unknown.status, await unknown.text()]).toEqual([410, "no such channel: it expired or was closed"]);
    const rpcOnly = await serve({ accept: ["jsonrpc2"] });
    expect((await channelRequest(rpcOnly, "pull", "[]")).status).toBe(415);
  });

  it("lets pages of allowed origins use a channel with credentials, and refuses others", async () => {
    const own = await serve({ cors: { origins: ["https://app.example"], credentials: true } });
    const preflight = await fetch(own.httpUrl, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-jamp-channel",
      },
    });
    expect(
      ["allow-origin", "allow-credentials", "allow-methods", "allow-headers"].map((h) =>
        preflight.headers.get(`access-control-${h}`),
      ),
    ).toEqual(["https://app.example", "true", "GET, POST, DELETE, OPTIONS", "content-type,x-jamp-channel"]);
    const pushed = await channelRequest(own, "push", "[]", { origin: "https://app.example" });
    expect([pushed.status, pushed.headers.get("access-control-expose-headers")]).toEqual([200, "x-jamp-channel"]);
    const other = await channelRequest(own, "push", '[["send",{},"/calculator","reset"]]', {
      origin: "https://evil.example",
    });
    expect(other.status).toBe(403);
  });
});
