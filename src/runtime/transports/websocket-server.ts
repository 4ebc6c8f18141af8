/**
 * The accepting side of the WebSocket transport, on Node: `ws`'s `WebSocketServer` on a `node:http` server.
 * Both are imported when `listenWebSocket` runs, so a browser bundle of the runtime does not pull them in.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { JampError } from "../errors.js";
import type { Admission, Refusal } from "./admission.js";
import type { SendFlowConfig, SendFlowOptions } from "./send-flow.js";
import { WebSocketTransport } from "./websocket.js";

export interface WebSocketListenOptions extends SendFlowOptions {
  /** The interface to bind. Default `127.0.0.1` (this machine only). */
  readonly host?: string | undefined;
  /** Default 0: any free port, see `WebSocketListener.port`. */
  readonly port?: number | undefined;
  /** The largest frame accepted, in bytes; a bigger one closes its connection with 1009. Default 1 MiB. */
  readonly maxPayload?: number | undefined;
  /** How long `close()` lets clients answer the close handshake before dropping them, in ms. Default 1000. */
  readonly closeTimeout?: number | undefined;
  /**
   * Serves the port's plain HTTP requests (those that are no WebSocket upgrade), as `listen` does with
   * `createHttpExchanges`. Default: each is answered 426, asking for a WebSocket.
   */
  readonly onRequest?: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  /**
   * Decides on each upgrade request before the WebSocket opens (`createGate`'s `upgrade`): let in, with the
   * identity handed to `onConnection` and a release called once its socket is gone, or refused, answered
   * with that HTTP status and text. Default: every request is let in.
   */
  readonly admit?: ((request: IncomingMessage) => Admission | Promise<Admission>) | undefined;
  /**
   * Called with the transport of each accepted connection (with `maxBuffered` and `stallTimeout`), and the
   * identity `admit` gave it.
   */
  readonly onConnection: (transport: WebSocketTransport, identity: unknown) => void;
  /** Failures of the server itself after it started listening (connections report through their transport). */
  readonly onError?: ((error: JampError) => void) | undefined;
}

export interface WebSocketListener {
  readonly host: string;
  readonly port: number;
  /** `ws://host:port/`. */
  readonly url: string;
  /**
   * Stops accepting, closes every connection with 1001 and resolves once all are gone (those that do not
   * answer within `closeTimeout` are dropped). Idempotent.
   */
  close(): Promise<void>;
}

const defaultMaxPayload = 1024 * 1024;
const defaultCloseTimeout = 1000;

/** Starts a WebSocket server. Rejects with the system's error when it cannot listen (`EADDRINUSE`, ...). */
export async function listenWebSocket(options: WebSocketListenOptions): Promise<WebSocketListener> {
  const [{ createServer }, { WebSocketServer }] = await Promise.all([import("node:http"), import("ws")]);
  const host = options.host ?? "127.0.0.1";
  const http = createServer(options.onRequest ?? refusePlainRequest);
  // Upgrades are taken from the HTTP server here rather than by `ws`, so that they can be refused (and
  // authenticated, which may take a while) before any WebSocket exists.
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? defaultMaxPayload });
  const flow: SendFlowConfig = {
    maxBuffered: options.maxBuffered,
    stallTimeout: options.stallTimeout,
    holdReading: true,
  };
  let listening = false;

  const report = (error: unknown): void => {
    if (!listening || options.onError === undefined) return;
    try {
      options.onError(
        new JampError("internal-error", `the WebSocket server failed: ${messageOf(error)}`, { cause: error }),
      );
    } catch {
      // onError must not throw; there is no one left to tell.
    }
  };
  wss.on("error", report);

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // A client that goes away while it is being decided on must not crash the server.
    socket.on("error", ignore);
    let admission: Admission;
    try {
      admission = (await options.admit?.(request)) ?? { identity: undefined };
    } catch (error) {
      report(error);
      admission = { refused: { status: 500, message: "the server failed to decide on this connection" } };
    }
    if ("refused" in admission) return refuseUpgrade(socket, admission.refused);
    const { identity, release } = admission;
    if (release !== undefined) socket.once("close", release);
    if (socket.destroyed || !listening) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (webSocket) => {
      socket.off("error", ignore);
      try {
        // The upgraded socket is what `ws` writes to: the transport coalesces its writes.
        options.onConnection(new WebSocketTransport(webSocket, { ...flow, stream: socket }), identity);
      } catch (error) {
        webSocket.terminate();
        report(error);
      }
    });
  }
  http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(request, socket, head));

  try {
    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(options.port ?? 0, host, () => {
        http.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    wss.close();
    throw error;
  }
  listening = true;
  const address = http.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 0);
  const closeTimeout = options.closeTimeout ?? defaultCloseTimeout;
  let closing: Promise<void> | undefined;

  return {
    host,
    port,
    url: `ws://${host.includes(":") ? `[${host}]` : host}:${port}/`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        listening = false;
        const timer = setTimeout(() => {
          for (const socket of wss.clients) socket.terminate();
          http.closeAllConnections();
        }, closeTimeout);
        http.close(() => {
          clearTimeout(timer);
          resolve();
        });
        wss.close();
        for (const socket of wss.clients) socket.close(1001, "server shutting down");
      });
      return closing;
    },
  };
}

const statusText: Readonly<Record<number, string>> = {
  401: "Unauthorized",
  403: "Forbidden",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Answers an upgrade request with an HTTP refusal, before any WebSocket exists, and closes its socket. */
function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  if (socket.destroyed) return;
  const body = `${refusal.message}\n`;
  const headers = {
    connection: "close",
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    ...refusal.headers,
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  const status = `HTTP/1.1 ${refusal.status} ${statusText[refusal.status] ?? "Refused"}\r\n`;
  socket.once("finish", () => socket.destroy());
  socket.end(`${status}${lines.join("")}\r\n${body}`);
}

function ignore(): void {}

function refusePlainRequest(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(426, { "content-type": "text/plain; charset=utf-8", connection: "close", upgrade: "websocket" });
  response.end("This is a JAMP endpoint: connect with a WebSocket.\n");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "unknown error";
}
