/**
 * Identity and access over real sockets on 127.0.0.1: `authenticate` deciding on WebSocket upgrades (HTTP
 * 401/403 before any WebSocket opens), on HTTP requests and on push/pull channels, its identity reaching
 * handlers and `authorize` as `ctx.identity` in every format; the origin allow-list for WebSocket
 * upgrades; and what a crashing handler or `authenticate` lets a caller see (nothing internal by default).
 */
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { codecs } from "../../src/runtime/codecs/index.js";
import { connect } from "../../src/runtime/connect.js";
import type { CallContext } from "../../src/runtime/context.js";
import { JampError } from "../../src/runtime/errors.js";
import type { ListenOptions, Server } from "../../src/runtime/listen.js";
import type { ConnectionRequest } from "../../src/runtime/transports/admission.js";
import { Hoard, openedInTest, serveHoard } from "../support/hoard.js";
import { rejection } from "../support/rejection.js";

interface User {
  readonly name: string;
  readonly admin: boolean;
}

const users = new Map<string, User>([
  ["t-ada", { name: "ada", admin: true }],
  ["t-bob", { name: "bob", admin: false }],
]);

const opened = openedInTest();
const raw = opened.raw;

/** A bearer token from `authorization`, else `?token=`; `t-eve` is known and banned, `t-bug` breaks the store. */
function authenticate(seen: ConnectionRequest[]) {
  return (request: ConnectionRequest): User => {
    seen.push(request);
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
    const token = bearer ?? new URL(request.url, "http://x").searchParams.get("token");
    if (token === "t-eve") throw new JampError("forbidden", "eve is banned");
    if (token === "t-bug") throw new Error("session store at 10.0.0.7:6379 is down");
    const user = token === null ? undefined : users.get(token);
    if (user === undefined) throw new JampError("unauthorized", "a bearer token is required");
    return user;
  };
}

async function start(options: Partial<ListenOptions> = {}) {
  const seen: ConnectionRequest[] = [];
  const authorized: unknown[] = [];
  const reports: JampError[] = [];
  const server = await opened.listen({
    services: [serveHoard(new Hoard())],
    authenticate: authenticate(seen),
    authorize(ctx: CallContext) {
      authorized.push(ctx.identity);
      if (ctx.method === "blob" && (ctx.identity as User).admin !== true) {
        throw new JampError("forbidden", `${(ctx.identity as User).name} may not ask for blobs`);
      }
    },
    onError: (error) => reports.push(error),
    ...options,
  });
  return { server, seen, authorized, reports };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An upgrade request by hand: the status and body the server answers, or 101 once it switches. */
function upgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws/, "http"), {
      headers: {
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        "sec-websocket-version": "13",
        ...headers,
      },
    });
    req.on("upgrade", (_response, socket) => {
      socket.destroy();
      resolve({ status: 101, body: "" });
    });
    req.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("authenticate on WebSocket upgrades", () => {
  it("gives the connection the identity it returned, which handlers and authorize read as ctx.identity", async () => {
    const { server, seen, authorized } = await start();
    const ada = await opened.connect(server.url, { headers: bearer("t-ada") });
    const bob = await opened.connect(`${server.url}?token=t-bob`);
    expect(await ada.query("/hoard", "whoami", [])).toEqual({ name: "ada", admin: true });
    expect(await bob.query("/hoard", "whoami", [])).toEqual({ name: "bob", admin: false });
    expect(await ada.query("/hoard", "blob", [2])).toBe("xx");
    const error = await rejection(bob.query("/hoard", "blob", [2]));
    expect([error.type, error.message]).toEqual(["forbidden", "bob may not ask for blobs"]);
    expect(authorized).toEqual([users.get("t-ada"), users.get("t-bob"), users.get("t-ada"), users.get("t-bob")]);
    // Once per connection, with what it was shown of the request.
    expect(seen.map(({ transport, method, url }) => [transport, method, url])).toEqual([
      ["websocket", "GET", "/"],
      ["websocket", "GET", "/?token=t-bob"],
    ]);
    expect(seen[0]?.remoteAddress).toBe("127.0.0.1");
  });

  it.each(Object.keys(codecs))("reaches the handler's context in %s", async (codec) => {
    const { server } = await start();
    const peer = await opened.connect(server.url, { codec, headers: bearer("t-bob") });
    const target = { service: "Hoard", paramNames: [] };
    expect(await peer.query("/hoard", "whoami", [], {}, target)).toEqual({ name: "bob", admin: false });
    const error = await rejection(peer.query("/hoard", "blob", [1], {}, { service: "Hoard", paramNames: ["size"] }));
    expect(error.type).toBe("forbidden");
  });

  it("refuses a request without a known token with 401, and a banned one with 403, before any WebSocket opens", async () => {
    const { server } = await start();
    expect(await upgrade(server.url)).toEqual({ status: 401, body: "a bearer token is required\n" });
    expect(await upgrade(server.url, bearer("t-nobody"))).toEqual({
      status: 401,
      body: "a bearer token is required\n",
    });
    expect(await upgrade(server.url, bearer("t-eve"))).toEqual({ status: 403, body: "eve is banned\n" });
    expect(await upgrade(server.url, bearer("t-ada"))).toMatchObject({ status: 101 });
    const unauthorized = await rejection(connect(server.url, { reconnect: false }));
    expect([unauthorized.type, unauthorized.message, unauthorized.data]).toEqual([
      "unauthorized",
      `cannot connect to ${server.url}: the server refused the WebSocket: 401 Unauthorized`,
      { url: server.url, status: 401 },
    ]);
    const forbidden = await rejection(connect(server.url, { reconnect: false, headers: bearer("t-eve") }));
    expect(forbidden.type).toBe("forbidden");
    expect(server.peers.size).toBe(0);
  });

  it("answers 500 without the details when authenticate fails otherwise, and tells onError", async () => {
    const { server, reports } = await start();
    expect(await upgrade(server.url, bearer("t-bug"))).toEqual({
      status: 500,
      body: "the server could not authenticate this request\n",
    });
    expect(reports.map((error) => [error.type, error.message])).toEqual([
      ["internal-error", "authenticate failed: session store at 10.0.0.7:6379 is down"],
    ]);
  });
});

describe("authenticate over HTTP", () => {
  const call = { jsonrpc: "2.0", method: "Hoard.whoami", params: [], id: 1 };
  const post = (server: Server, headers: Record<string, string> = {}) =>
    fetch(server.httpUrl, { method: "POST", headers, body: JSON.stringify(call) });

  it("decides on each request, its identity reaching the calls it carries", async () => {
    const { server, seen } = await start();
    const ok = await post(server, bearer("t-ada"));
    expect(await ok.json()).toEqual({ jsonrpc: "2.0", result: { name: "ada", admin: true }, id: 1 });
    const refused = await post(server);
    expect([refused.status, await refused.text()]).toEqual([401, "a bearer token is required"]);
    expect((await post(server, bearer("t-eve"))).status).toBe(403);
    expect(seen.map(({ transport, method }) => `${transport} ${method}`)).toEqual([
      "http POST",
      "http POST",
      "http POST",
    ]);
    const peer = await opened.connect(server.httpUrl, { headers: bearer("t-bob") });
    expect(await peer.query("/hoard", "whoami", [])).toEqual({ name: "bob", admin: false });
    const anonymous = await opened.connect(server.httpUrl);
    expect((await rejection(anonymous.query("/hoard", "whoami", []))).type).toBe("unauthorized");
  });

  it("gives a push/pull channel the identity of the request that opened it, and refuses one without", async () => {
    const { server } = await start();
    const peer = await opened.connect(server.httpUrl, { channel: true, headers: bearer("t-ada") });
    expect(await peer.query("/hoard", "whoami", [])).toEqual({ name: "ada", admin: true });
    const refused = await rejection(connect(server.httpUrl, { channel: true, reconnect: false }));
    expect([refused.type, (refused.data as { status: number }).status]).toEqual(["unauthorized", 401]);
  });

  it("answers CORS preflights without asking authenticate: browsers send no credentials with them", async () => {
    const { server, seen } = await start({ cors: { origins: ["https://app.example"] } });
    const preflight = await fetch(server.httpUrl, {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(seen).toEqual([]);
  });
});

describe("origins of WebSocket upgrades", () => {
  const origin = (value: string) => ({ origin: value, ...bearer("t-ada") });

  it("lets in clients without Origin and pages of the server's own origin, and refuses other pages 403", async () => {
    const { server, seen } = await start();
    const own = `http://127.0.0.1:${server.port}`;
    expect((await upgrade(server.url, bearer("t-ada"))).status).toBe(101);
    expect((await upgrade(server.url, origin(own))).status).toBe(101);
    expect(await upgrade(server.url, origin("https://evil.example"))).toEqual({
      status: 403,
      body: "pages of https://evil.example may not open a WebSocket here\n",
    });
    // Refused before authenticate is asked.
    expect(seen).toHaveLength(2);
    await expect(raw.open(server.url, { origin: "https://evil.example", headers: bearer("t-ada") })).rejects.toThrow(
      "Unexpected server response: 403",
    );
  });

  it("lets in the origins listed, and by default those of cors", async () => {
    const { server } = await start({ origins: ["https://app.example"] });
    expect((await upgrade(server.url, origin("https://app.example"))).status).toBe(101);
    expect((await upgrade(server.url, origin("https://other.example"))).status).toBe(403);
    const { server: withCors } = await start({ cors: { origins: ["https://app.example"] } });
    expect((await upgrade(withCors.url, origin("https://app.example"))).status).toBe(101);
    const { server: any } = await start({ origins: "*" });
    expect((await upgrade(any.url, origin("https://other.example"))).status).toBe(101);
  });
});

describe("what a failing handler lets the caller see", () => {
  const secret = /secret|postgres|10\.0\.0\.7|\.sqlite|at .*\.ts/;

  it.each(Object.keys(codecs))("%s: internal-error with no message, stack or cause by default", async (codec) => {
    const { server, reports } = await start({ authenticate: undefined, authorize: undefined });
    const socket = await raw.open(server.url);
    const frames: Record<string, string> = {
      jamp: '["query", 1, "/hoard", "/raw", "crash", []]',
      "jamp-b": '["query", {}, "/raw", 1, "/hoard", "crash"]',
      jsonrpc2: '{"jsonrpc": "2.0", "method": "Hoard.crash", "id": 1}',
      jsonrpc1: '{"method": "Hoard.crash", "params": [], "id": 1}',
      soapjr: '{"HEAD": {"service_type": "Hoard", "action_type": "crash", "request_id": 1}, "BODY": {}}',
    };
    socket.socket.send(frames[codec] as string);
    await new Promise((resolve) => socket.socket.once("message", resolve));
    const answer = socket.frames[0] as string;
    expect(answer).toContain("internal error");
    expect(answer).not.toMatch(secret);
    expect(reports.map((error) => error.message)).toEqual(["cannot open /srv/secret/db.sqlite as postgres@10.0.0.7"]);
  });

  it("ends a stream whose generator throws with internal-error alike", async () => {
    const { server, reports } = await start({ authenticate: undefined, authorize: undefined });
    const socket = await raw.open(server.url);
    socket.socket.send('["stream", 1, "/hoard", "/raw", "crashes", [], 4]');
    await new Promise((resolve) => socket.socket.once("message", resolve));
    expect(socket.parsed()).toEqual([
      ["stream-error", 1, "/raw", "/hoard", { type: "internal-error", message: "internal error" }],
    ]);
    expect(reports.map((error) => error.message)).toEqual(["cannot open /srv/secret/db.sqlite as postgres@10.0.0.7"]);
  });

  it("sends the message, never a stack, with exposeInternalErrors", async () => {
    const { server } = await start({ authenticate: undefined, authorize: undefined, exposeInternalErrors: true });
    const peer = await opened.connect(server.url);
    const error = await rejection(peer.query("/hoard", "crash", []));
    expect([error.type, error.message]).toEqual([
      "internal-error",
      "cannot open /srv/secret/db.sqlite as postgres@10.0.0.7",
    ]);
    expect(JSON.stringify(error.data ?? null)).not.toMatch(/at .*\.ts/);
  });
});
