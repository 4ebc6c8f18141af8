/**
 * A service for the limit, access and backpressure tests, written by hand as generated code would bind it:
 * results and stream items of any size, calls that wait until released, a handler that crashes with a
 * secret in its message, and one that answers with the caller's identity. Plus a raw `ws` client, to send
 * what no well-behaved client would and to stop reading.
 */
import { afterEach } from "vitest";
import { WebSocket, type ClientOptions } from "ws";
import { connect, type ConnectOptions } from "../../src/runtime/connect.js";
import type { CallContext } from "../../src/runtime/context.js";
import type { ParamDescriptor, ServiceDescriptor } from "../../src/runtime/descriptor.js";
import { listen, type ListenOptions, type Server } from "../../src/runtime/listen.js";
import type { Peer } from "../../src/runtime/peer.js";
import { bindService, type ServiceBinding } from "../../src/runtime/service.js";

const any = (name: string): ParamDescriptor => ({ name, optional: false, nullable: true, validate: () => true });

export const hoardDescriptor: ServiceDescriptor = {
  name: "Hoard",
  address: "/hoard",
  methods: {
    /** `size` characters of `x`. */
    blob: { kind: "query", params: [any("size")] },
    /** Answers `value`. */
    echo: { kind: "query", params: [any("value")] },
    /** Answers `value` once the test releases it. */
    hold: { kind: "query", params: [any("value")] },
    /** `count` items of `size` characters (for ever without a count), or until the caller stops. */
    blobs: { kind: "stream", params: [any("size"), { ...any("count"), optional: true }] },
    /** The identity of the connection the call came on. */
    whoami: { kind: "query", params: [] },
    /** Throws a plain `Error` whose message must not reach the caller. */
    crash: { kind: "query", params: [] },
    /** A stream that does the same. */
    crashes: { kind: "stream", params: [] },
    /** Nothing: a call to count. */
    ping: { kind: "send", params: [] },
  },
};

export class Hoard {
  /** Items the last `blobs` generators made, all together. */
  produced = 0;
  readonly held: (() => void)[] = [];

  blob(size: number): string {
    return "x".repeat(size);
  }

  echo(value: unknown): unknown {
    return value;
  }

  hold(value: unknown): Promise<unknown> {
    return new Promise((resolve) => this.held.push(() => resolve(value)));
  }

  async *blobs(size: number, count = Infinity): AsyncGenerator<string> {
    for (let i = 0; i < count; i++) {
      this.produced++;
      yield `${i} ${"x".repeat(size)}`;
    }
  }

  whoami(ctx: CallContext): unknown {
    return ctx.identity ?? null;
  }

  crash(): never {
    throw new Error("cannot open /srv/secret/db.sqlite as postgres@10.0.0.7");
  }

  async *crashes(): AsyncGenerator<string> {
    this.crash();
  }

  ping(): void {}

  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }
}

export function serveHoard(hoard: Hoard): ServiceBinding {
  return bindService(hoardDescriptor, hoard);
}

export interface RawClient {
  readonly socket: WebSocket;
  /** The text frames received, in order. */
  readonly frames: string[];
  /** Resolves with the close code and reason, or 1006 when the connection was dropped. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Frames received so far, parsed. */
  parsed(): unknown[];
}

/** Raw `ws` clients, opened by `open` and all dropped by `dropAll` (an `afterEach`). */
export function rawClients() {
  const sockets: WebSocket[] = [];
  return {
    /** Resolves once open; rejects with the `ws` error (`Unexpected server response: 401`) when refused. */
    async open(url: string, options: ClientOptions = {}): Promise<RawClient> {
      const socket = new WebSocket(url, options);
      sockets.push(socket);
      const frames: string[] = [];
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
      );
      socket.on("message", (data) => frames.push(String(data)));
      await new Promise((resolve, reject) => {
        socket.once("open", resolve);
        socket.once("error", reject);
      });
      socket.on("error", () => undefined);
      return { socket, frames, closed, parsed: () => frames.map((frame) => JSON.parse(frame) as unknown) };
    },
    dropAll(): void {
      for (const socket of sockets.splice(0)) socket.terminate();
    },
  };
}

/**
 * Servers, client peers (`reconnect: false`) and raw clients opened through it, all closed after each
 * test of the file that calls it.
 */
export function openedInTest() {
  const servers: Server[] = [];
  const peers: Peer[] = [];
  const raw = rawClients();
  afterEach(async () => {
    raw.dropAll();
    for (const peer of peers.splice(0)) peer.close();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return {
    raw,
    async listen(options: ListenOptions): Promise<Server> {
      const server = await listen(options);
      servers.push(server);
      return server;
    },
    async connect(url: string, options: ConnectOptions = {}): Promise<Peer> {
      const peer = await connect(url, { reconnect: false, ...options });
      peers.push(peer);
      return peer;
    },
  };
}
