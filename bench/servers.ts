/**
 * The server side of the three contenders, each on its own port of 127.0.0.1. Used in-process by run.ts
 * (`--inline`) or from the child process of server-process.ts (the default).
 */

import type { AddressInfo } from "node:net";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { listen } from "../src/runtime/index.js";
import { serveCalculator } from "../fixtures/calculator/expected/index.js";
import type { Calculator } from "../fixtures/calculator/calculator.js";

/** The three servers' URLs, by contender. */
export interface ServerUrls {
  readonly rawParse: string;
  readonly echo: string;
  readonly jampGen: string;
}

export interface BenchServers {
  readonly urls: ServerUrls;
  close(): Promise<void>;
}

/** The same limit `listen` applies by default, so every server parses frames under the same rule. */
const maxPayload = 1024 * 1024;

/** The implementation served by jamp-gen: `add` computes, like the raw server; the rest is never called. */
const calculator: Calculator = {
  add: async (a, b) => a + b,
  divide: async (a, b) => a / b,
  history: async () => [],
  reset: () => {},
};

export async function startServers(): Promise<BenchServers> {
  // (1) raw-parse limit: parse the JAMP query, add, answer with a JAMP reply, nothing else.
  const rawParse = await rawServer((socket, data) => {
    const m = JSON.parse(data.toString()) as [string, number, string, string, string, [number, number]];
    socket.send(JSON.stringify(["reply", m[1], m[3], m[2], m[5][0] + m[5][1]]));
  });
  // (2) raw byte echo: the frame goes back as it came.
  const echo = await rawServer((socket, data, isBinary) => socket.send(data, { binary: isBinary }));
  // (3) jamp-gen: the generated binding on the runtime's own server.
  const jamp = await listen({ services: [serveCalculator(calculator)] });

  return {
    urls: { rawParse: urlOf(rawParse), echo: urlOf(echo), jampGen: jamp.url },
    async close() {
      await Promise.all([closeRaw(rawParse), closeRaw(echo), jamp.close()]);
    },
  };
}

type OnMessage = (socket: WebSocket, data: RawData, isBinary: boolean) => void;

async function rawServer(onMessage: OnMessage): Promise<WebSocketServer> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, maxPayload });
  wss.on("connection", (socket) => {
    socket.on("message", (data, isBinary) => onMessage(socket, data, isBinary));
  });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
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
