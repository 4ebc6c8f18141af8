/**
 * The server side of the RPC group's contenders, each on its own port of 127.0.0.1. Used in-process by run.ts
 * (`--inline`) or from the child process of server-process.ts (the default). Each serves `add(a, b)` and
 * `echo(order)`, the way its package is meant to be used.
 */

import type { AddressInfo } from "node:net";
import { initTRPC } from "@trpc/server";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import { newWebSocketRpcSession, RpcTarget } from "capnweb";
import { JSONRPCServer } from "json-rpc-2.0";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { listen } from "../src/runtime/index.js";
import { batchBytes, coalesceWrites } from "../src/runtime/transports/coalesce.js";
import { serveCalculator } from "../fixtures/calculator/expected/index.js";
import type { Calculator } from "../fixtures/calculator/calculator.js";
import type { Mirror, Order } from "./echo-service.js";
import type { MirrorModule } from "./rpc-workloads.js";

/** The servers' URLs, by contender. */
export type ServerUrls = Readonly<
  Record<
    | "raw-parse"
    | "raw-parse-corked"
    | "echo"
    | "json-rpc-2.0"
    | "capnweb"
    | "trpc"
    | "jamp-gen"
    | "raw-hold"
    | "jamp-gen-hold",
    string
  >
>;

export interface BenchServers {
  readonly urls: ServerUrls;
  close(): Promise<void>;
}

/** The same limit `listen` applies by default, so every server parses frames under the same rule. */
const maxPayload = 1024 * 1024;

/** The implementations served by jamp-gen: `add` computes, like the others; the rest is never called. */
const calculator: Calculator = {
  add: async (a, b) => a + b,
  divide: async (a, b) => a / b,
  history: async () => [],
  reset: () => {},
};
const mirror: Mirror = { echo: async (order) => order };

/** What capnweb serves: an `RpcTarget` whose methods the client calls through its stub. */
export class BenchApi extends RpcTarget {
  add(a: number, b: number): number {
    return a + b;
  }
  echo(order: Order): Order {
    return order;
  }
}

// tRPC: a router of two query procedures. Inputs are checked by plain parser functions (tRPC takes any
// function that returns the input or throws), as cheap as a check of the same shape can be.
const t = initTRPC.create();
const trpcRouter = t.router({
  add: t.procedure
    .input((value: unknown) => {
      const { a, b } = (value ?? {}) as { a?: unknown; b?: unknown };
      if (typeof a !== "number" || typeof b !== "number") throw new Error("add takes { a: number, b: number }");
      return { a, b };
    })
    .query(({ input }) => input.a + input.b),
  echo: t.procedure
    .input((value: unknown) => {
      if (typeof value !== "object" || value === null) throw new Error("echo takes an order");
      return value as Order;
    })
    .query(({ input }) => input),
});
export type TrpcRouter = typeof trpcRouter;

/** raw-parse's answer to a JAMP query frame: parse it, compute, the JAMP reply, nothing else. */
function rawAnswer(data: RawData): string {
  const m = JSON.parse(data.toString()) as [string, number, string, string, string, unknown[]];
  const args = m[5];
  const result = m[4] === "add" ? (args[0] as number) + (args[1] as number) : args[0];
  return JSON.stringify(["reply", m[1], m[3], m[2], result]);
}

export async function startServers(mirrorModule: MirrorModule): Promise<BenchServers> {
  // raw-parse, the limit: one `ws.send`, so one write, per answer.
  const rawParse = await rawServer((socket, data) => socket.send(rawAnswer(data)));
  // raw-parse-corked: the same, its writes coalesced by the runtime's own `coalesceWrites`, as jamp-gen's are.
  const rawParseCorked = await wsServer();
  rawParseCorked.on("connection", (socket, request) => {
    const batch = coalesceWrites(request.socket, batchBytes);
    socket.on("message", (data) => {
      batch.hold();
      socket.send(rawAnswer(data));
      batch.spill();
    });
  });
  // raw byte echo, the floor: the frame goes back as it came.
  const echo = await rawServer((socket, data, isBinary) => socket.send(data, { binary: isBinary }));
  // json-rpc-2.0: its JSONRPCServer behind a `ws` server (the wiring is ours: the package has none).
  const jsonRpc = new JSONRPCServer();
  jsonRpc.addMethod("add", ([a, b]: [number, number]) => a + b);
  jsonRpc.addMethod("echo", ([order]: [Order]) => order);
  const jsonRpc2 = await rawServer((socket, data) => {
    void jsonRpc.receiveJSON(data.toString()).then((response) => {
      if (response !== null) socket.send(JSON.stringify(response));
    });
  });
  // capnweb: a session per connection, serving a BenchApi. It reads `WebSocket.OPEN` and the like from the
  // global, which Node 20 lacks.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  const capnweb = await wsServer();
  capnweb.on("connection", (socket) => {
    newWebSocketRpcSession(socket as unknown as globalThis.WebSocket, new BenchApi());
  });
  // tRPC: its own `ws` adapter.
  const trpc = await wsServer();
  applyWSSHandler({ wss: trpc, router: trpcRouter });
  // jamp-gen: the generated bindings on the runtime's own server.
  const jamp = await listen({ services: [serveCalculator(calculator), mirrorModule.serveMirror(mirror)] });
  // For the memory group: servers that take calls and never answer them. jamp-gen's keeps each call's
  // resolver, as a handler waiting for something would (a promise nobody can settle would be garbage).
  const rawHold = await rawServer(() => {});
  const held: ((sum: number) => void)[] = [];
  const holding: Calculator = { ...calculator, add: () => new Promise<number>((resolve) => held.push(resolve)) };
  // It runs every call held (the memory group holds 10,000), past the default maxRunning of 1000.
  const jampHold = await listen({ services: [serveCalculator(holding)], maxRunning: 1_000_000 });

  return {
    urls: {
      "raw-parse": urlOf(rawParse),
      "raw-parse-corked": urlOf(rawParseCorked),
      echo: urlOf(echo),
      "json-rpc-2.0": urlOf(jsonRpc2),
      capnweb: urlOf(capnweb),
      trpc: urlOf(trpc),
      "jamp-gen": jamp.url,
      "raw-hold": urlOf(rawHold),
      "jamp-gen-hold": jampHold.url,
    },
    async close() {
      held.length = 0;
      await Promise.all(
        [rawParse, rawParseCorked, echo, jsonRpc2, capnweb, trpc, rawHold]
          .map(closeRaw)
          .concat([jamp.close(), jampHold.close()]),
      );
    },
  };
}

type OnMessage = (socket: WebSocket, data: RawData, isBinary: boolean) => void;

async function wsServer(): Promise<WebSocketServer> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, maxPayload });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  return wss;
}

async function rawServer(onMessage: OnMessage): Promise<WebSocketServer> {
  const wss = await wsServer();
  wss.on("connection", (socket) => {
    socket.on("message", (data, isBinary) => onMessage(socket, data, isBinary));
  });
  return wss;
}

function urlOf(wss: WebSocketServer): string {
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
}

function closeRaw(wss: WebSocketServer): Promise<void> {
  for (const socket of wss.clients) socket.terminate();
  return new Promise((resolve) => wss.close(() => resolve()));
}
