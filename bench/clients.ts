/**
 * The client side of the RPC group's contenders. Each runs a workload of `count` calls, `add(i, 1)` or
 * `echo(order i)` (rpc-workloads.ts): one at a time (sequential) or with `window` calls in flight, a new one
 * sent as soon as one is answered (pipelined). Every contender but the echo floor runs under the same
 * promise-based driver and has each answer checked the same way, so they differ only in the stack under
 * the call; the echo floor has its own callback loop and no per-call promise.
 */

import type { Socket } from "node:net";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import { newWebSocketRpcSession, type RpcStub } from "capnweb";
import { JSONRPCClient } from "json-rpc-2.0";
import { WebSocket, type RawData } from "ws";
import { connect } from "../src/runtime/index.js";
import { batchBytes, coalesceWrites } from "../src/runtime/transports/coalesce.js";
import { CalculatorClient } from "../fixtures/calculator/expected/index.js";
import type { Order } from "./echo-service.js";
import { orderOf, type Call, type MirrorModule } from "./rpc-workloads.js";
import type { BenchApi, TrpcRouter } from "./servers.js";

export interface Contender {
  readonly name: string;
  /** Runs `count` calls of `call`, `window` of them in flight at a time (1: sequential). */
  run(call: Call, count: number, window: number): Promise<void>;
  close(): void | Promise<void>;
}

/** One call of each kind, as a contender makes it. */
export interface Calls {
  add(a: number, b: number): Promise<number>;
  echo(order: Order): Promise<Order>;
}

/** The size limit `connect` gives `ws` by default, for parity. */
const maxPayload = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// The shared driver

/** Call `i` of `call`, its answer checked. */
function callOne(calls: Calls, call: Call, i: number): Promise<void> {
  if (call === "add") {
    return calls.add(i, 1).then((sum) => {
      if (sum !== i + 1) throw new Error(`add(${i}, 1) answered ${String(sum)}`);
    });
  }
  return calls.echo(orderOf(i)).then((order) => {
    if (order?.seq !== i || order.lines.length !== 10) throw new Error(`echo(order ${i}) answered another order`);
  });
}

async function drive(calls: Calls, call: Call, count: number, window: number): Promise<void> {
  let next = 0;
  // `window` lanes, each making its next call when its previous one is answered: the window stays full.
  const lane = async (): Promise<void> => {
    while (next < count) await callOne(calls, call, next++);
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
}

function fromCalls(name: string, calls: Calls, close: () => void | Promise<void>): Contender {
  return { name, run: (call, count, window) => drive(calls, call, count, window), close };
}

// ---------------------------------------------------------------------------------------------------------
// Contenders

async function openSocket(url: string): Promise<WebSocket> {
  return (await openCorkable(url)).socket;
}

/** A `ws` socket, open, and the network stream under it (the response to the upgrade request has it). */
async function openCorkable(url: string): Promise<{ socket: WebSocket; stream: Socket }> {
  const socket = new WebSocket(url, { maxPayload });
  let stream: Socket | undefined;
  socket.once("upgrade", (response) => (stream = response.socket));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  return { socket, stream: stream! };
}

/** The JAMP query frame of call `i`, as raw-parse sends it. */
function rawFrame(call: Call, id: number, i: number): string {
  const args = call === "add" ? [i, 1] : [orderOf(i)];
  return JSON.stringify(["query", id, call === "add" ? "/calculator" : "/mirror", "/c", call, args]);
}

/**
 * raw-parse, the limit: its own ids and a Map of waiting calls, JSON.stringify out and JSON.parse in. With
 * `corked`, raw-parse-corked: the same, its writes coalesced by the runtime's `coalesceWrites`.
 */
export async function rawParseClient(url: string, corked = false): Promise<Contender> {
  const { calls, close } = await rawParseCalls(url, corked);
  return fromCalls(corked ? "raw-parse-corked" : "raw-parse", calls, close);
}

/** raw-parse's calls, for the memory group too. */
export async function rawParseCalls(url: string, corked = false): Promise<{ calls: Calls; close: () => void }> {
  const { socket, stream } = await openCorkable(url);
  const batch = corked ? coalesceWrites(stream, batchBytes) : undefined;
  const waiting = new Map<number, { resolve: (result: never) => void; reject: (error: Error) => void }>();
  let lastId = 0;
  socket.on("message", (data: RawData) => {
    const m = JSON.parse(data.toString()) as [string, number, string, string, never];
    const call = waiting.get(m[1]);
    if (m[0] !== "reply" || call === undefined) throw new Error(`unexpected frame ${data.toString()}`);
    waiting.delete(m[1]);
    call.resolve(m[4]);
  });
  socket.on("close", () => {
    for (const call of waiting.values()) call.reject(new Error("raw-parse connection closed"));
    waiting.clear();
  });
  const query = <T>(method: Call, args: readonly unknown[]): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      waiting.set(id, { resolve: resolve as (result: never) => void, reject });
      batch?.hold();
      socket.send(JSON.stringify(["query", id, method === "add" ? "/calculator" : "/mirror", "/c", method, args]));
      batch?.spill();
    });
  return {
    calls: { add: (a, b) => query("add", [a, b]), echo: (order) => query("echo", [order]) },
    close: () => socket.close(),
  };
}

/**
 * raw byte echo, the floor: sends one fixed frame of the workload's size and counts the echoes; no parsing,
 * no ids, no promise per call.
 */
export async function echoClient(url: string): Promise<Contender> {
  const socket = await openSocket(url);
  const frames = { add: rawFrame("add", 1, 1), echo: rawFrame("echo", 1, 1) };
  let onEcho: () => void = () => {
    throw new Error("an echo arrived between workloads");
  };
  const idle = onEcho;
  let onClose: () => void = () => {};
  socket.on("message", () => onEcho());
  socket.on("close", () => onClose());

  const run = (call: Call, count: number, window: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const frame = frames[call];
      let sent = 0;
      let received = 0;
      onClose = () => reject(new Error("echo connection closed"));
      onEcho = () => {
        received++;
        if (sent < count) {
          sent++;
          socket.send(frame);
        } else if (received === count) {
          onEcho = idle;
          resolve();
        }
      };
      for (; sent < Math.min(window, count); sent++) socket.send(frame);
    });

  return { name: "echo", run, close: () => socket.close() };
}

/** json-rpc-2.0: its `JSONRPCClient` over a `ws` socket (the package has no transport: the wiring is ours). */
export async function jsonRpc2Client(url: string): Promise<Contender> {
  const socket = await openSocket(url);
  const client: JSONRPCClient = new JSONRPCClient((request) => {
    socket.send(JSON.stringify(request));
  });
  socket.on("message", (data: RawData) => client.receive(JSON.parse(data.toString())));
  socket.on("close", () => client.rejectAllPendingRequests("json-rpc-2.0 connection closed"));
  return fromCalls(
    "json-rpc-2.0",
    {
      add: (a, b) => client.request("add", [a, b]) as Promise<number>,
      echo: (order) => client.request("echo", [order]) as Promise<Order>,
    },
    () => socket.close(),
  );
}

/** capnweb: `newWebSocketRpcSession` to the server's `RpcTarget`, on `ws` as the global `WebSocket`. */
export async function capnwebClient(url: string): Promise<Contender> {
  // Node 20 has no WebSocket of its own; capnweb opens `new WebSocket(url)`.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  const api: RpcStub<BenchApi> = newWebSocketRpcSession<BenchApi>(url);
  // The session opens lazily; one call makes sure it is up before the clock runs.
  if ((await api.add(1, 1)) !== 2) throw new Error("capnweb: add(1, 1) is not 2");
  return fromCalls(
    "capnweb",
    { add: (a, b) => api.add(a, b) as Promise<number>, echo: (order) => api.echo(order) as Promise<Order> },
    () => api[Symbol.dispose](),
  );
}

/** tRPC: `createTRPCClient` with the `wsLink` of `@trpc/client`, a query procedure per call. */
export async function trpcClient(url: string): Promise<Contender> {
  const ws = createWSClient({ url, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  const trpc = createTRPCClient<TrpcRouter>({ links: [wsLink({ client: ws })] });
  if ((await trpc.add.query({ a: 1, b: 1 })) !== 2) throw new Error("tRPC: add(1, 1) is not 2");
  return fromCalls(
    "trpc",
    { add: (a, b) => trpc.add.query({ a, b }), echo: (order) => trpc.echo.query(order) },
    () => ws.close(),
  );
}

/** jamp-gen: the generated clients on `connect`, all defaults (30 s timeout per call, no result check). */
export async function jampGenClient(url: string, mirror: MirrorModule): Promise<Contender> {
  const peer = await connect(url);
  const calculator = new CalculatorClient(peer);
  const mirrorClient = new mirror.MirrorClient(peer);
  return fromCalls(
    "jamp-gen",
    { add: (a, b) => calculator.add(a, b), echo: (order) => mirrorClient.echo(order) },
    () => peer.close(),
  );
}
