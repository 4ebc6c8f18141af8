/**
 * Connections that fail, over real sockets on 127.0.0.1: a server process killed with SIGKILL while calls
 * are in flight, then started again on the same port; a server that is gone for good; one that accepts and
 * hangs up at once; closing while reconnecting, in a process that must then exit by itself; and the
 * browser's path, the platform WebSocket. Every wait is bounded.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import type { Entry } from "../../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import { connect, listen, type Peer, type PeerStateEvent } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";

const root = path.resolve(import.meta.dirname, "../..");
/** tsx, and `jamp-gen/runtime` resolved to the runtime's source, as in this process. */
const loaders = ["--import", import.meta.resolve("tsx"), "--import", pathToFileURL(path.join(root, "bench/runtime-alias.mjs")).href];

const children: ChildProcess[] = [];
const peers: Peer[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const peer of peers.splice(0)) peer.close();
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

type Line = Record<string, unknown>;

/** test/support/calculator-process.ts in a child process, with the JSON lines it printed. */
async function startServer(port = 0) {
  const child = spawn(process.execPath, [...loaders, path.join(root, "test/support/calculator-process.ts"), String(port)], {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"],
  });
  children.push(child);
  const exited = once(child, "exit");
  const lines: Line[] = [];
  createInterface({ input: child.stdout! }).on("line", (text) => lines.push(JSON.parse(text) as Line));
  const seen = async (test: (line: Line) => boolean, what: string): Promise<Line> => {
    await until(() => lines.some(test), what, 20_000);
    return lines.find(test) as Line;
  };
  const listening = await seen((line) => "port" in line, "the server process listening");
  return {
    port: listening.port as number,
    seen,
    /** Has the server call `add(20, 22)` on each client's own calculator. */
    async callClients(): Promise<unknown[]> {
      const before = lines.length;
      child.stdin!.write("call\n");
      const answer = await seen((line) => "clients" in line && lines.indexOf(line) >= before, "the clients' answers");
      return answer.clients as unknown[];
    },
    /** SIGKILL: no goodbye on the sockets, the kernel just closes them. Resolves once the process is gone. */
    async kill(): Promise<void> {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** The calculator a client serves to the server: it multiplies, to be told apart. */
class ClientCalculator extends CalculatorSkeleton {
  async add(a: number, b: number): Promise<number> {
    return a * b;
  }
  async divide(a: number, b: number): Promise<number> {
    return a / b;
  }
  async history(): Promise<Entry[]> {
    return [];
  }
  reset(): void {}
}

/** Fails pending calls in flight and times when each rejected. */
function inFlight(calc: CalculatorClient, count: number) {
  return Array.from({ length: count }, (_, i) =>
    rejection(calc.add(-1, i)).then((error) => ({ error, at: performance.now() })),
  );
}

describe("a server process killed with SIGKILL", () => {
  it("fails every call in flight within 1 s, then reconnects by itself once the server is back", async () => {
    const first = await startServer();
    const url = `ws://127.0.0.1:${first.port}/`;
    const peer = await connect(url, {
      reconnect: { initialDelay: 50, maxDelay: 400 },
      services: [serveCalculator(new ClientCalculator())],
    });
    peers.push(peer);
    const events: PeerStateEvent[] = [];
    peer.onState((event) => events.push(event));
    const calc = new CalculatorClient(peer);
    expect(await calc.add(1, 2)).toBe(3);
    expect(await first.callClients()).toEqual([440]);

    const calls = inFlight(calc, 20);
    await first.seen((line) => line.held === 20, "20 calls held by the server");
    const killedAt = performance.now();
    await first.kill();
    const failed = await Promise.all(calls);
    for (const { error, at } of failed) {
      expect(error.type).toBe("connection-closed");
      expect(at - killedAt).toBeLessThan(1000);
    }
    expect(peer.state).toBe("reconnecting");
    // Called while the server is away: refused at once, never sent.
    const refused = await rejection(calc.add(1, 1));
    expect(refused.type).toBe("connection-closed");
    expect(refused.message).toMatch(new RegExp(`^the connection to ${url} is down \\(reconnecting; last: `));

    const second = await startServer(first.port);
    await until(() => peer.state === "open", "reconnected");
    expect(await calc.add(2, 3)).toBe(5);
    expect(await second.callClients()).toEqual([440]);

    const states = events.map((event) => event.state);
    expect(states.at(-1)).toBe("open");
    expect(states.slice(0, -1).every((state) => state === "reconnecting")).toBe(true);
    // One event per attempt, numbered in order (the first connection, having lasted under resetAfter, was one).
    const attempts = events.slice(0, -1).map((event) => event.attempt as number);
    expect(attempts).toEqual(attempts.map((_, i) => (attempts[0] as number) + i));
    expect(events[0]?.reason?.type).toBe("connection-closed");
    peer.close();
    expect((await peer.closed).message).toBe("the peer was closed locally (code 1000)");
  }, 60_000);

  it("closes the peer for good with reconnect off", async () => {
    const server = await startServer();
    const peer = await connect(`ws://127.0.0.1:${server.port}/`, { reconnect: false });
    peers.push(peer);
    const states: string[] = [];
    peer.onState((event) => states.push(event.state));
    const calc = new CalculatorClient(peer);
    const calls = inFlight(calc, 10);
    await server.seen((line) => line.held === 10, "10 calls held by the server");
    const killedAt = performance.now();
    await server.kill();
    for (const { error, at } of await Promise.all(calls)) {
      expect(error.type).toBe("connection-closed");
      expect(at - killedAt).toBeLessThan(1000);
    }
    const reason = await peer.closed;
    expect(reason.type).toBe("connection-closed");
    expect(peer.state).toBe("closed");
    expect(states).toEqual(["closed"]);
    expect((await rejection(calc.add(1, 2))).message).toMatch(/^the peer is closed: /);
  }, 60_000);
});

describe("a server that does not come back", () => {
  it("is given up after maxAttempts, with a reason naming the URL", async () => {
    const server = await listen({ port: 0, services: [serveCalculator(new ClientCalculator())] });
    const peer = await connect(server.url, { reconnect: { initialDelay: 10, maxAttempts: 3, resetAfter: 0 } });
    peers.push(peer);
    const states: string[] = [];
    peer.onState((event) => states.push(event.state));
    await server.close();
    const reason = await peer.closed;
    expect(reason.type).toBe("connection-closed");
    expect(reason.message).toMatch(
      new RegExp(`^gave up reconnecting to ${server.url} after 3 attempts: cannot connect to ${server.url}: `),
    );
    expect(reason.data).toEqual({ url: server.url, attempts: 3 });
    expect(states).toEqual(["reconnecting", "reconnecting", "reconnecting", "closed"]);
  });
});

describe("a server that accepts and hangs up at once", () => {
  it("is retried ever more slowly, not in a spin", async () => {
    const flapping = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await once(flapping, "listening");
    cleanups.push(() => new Promise((resolve) => flapping.close(() => resolve())));
    const accepted: number[] = [];
    flapping.on("connection", (socket) => {
      accepted.push(performance.now());
      socket.close(1011, "not today");
    });
    const port = (flapping.address() as { port: number }).port;
    const peer = await connect(`ws://127.0.0.1:${port}/`, {
      reconnect: { initialDelay: 20, factor: 2, maxDelay: 160, jitter: 0 },
    });
    peers.push(peer);
    const delays: number[] = [];
    peer.onState((event) => {
      if (event.state === "reconnecting") delays.push(event.delay as number);
    });
    await until(() => accepted.length >= 6, "six connections");
    peer.close();
    expect(delays.slice(0, 5)).toEqual([20, 40, 80, 160, 160]);
    // Each connection waited at least its delay after the one before: 20 + 40 + 80 + 160 + 160 ms in all.
    expect(accepted[5]! - accepted[0]!).toBeGreaterThanOrEqual(460 - 5);
    const count = accepted.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(accepted.length).toBe(count);
  });
});

/** Runs `script` (an ES module) in a fresh Node process; resolves with what it printed, once it exited. */
function runScript(script: string, nodeFlags: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...nodeFlags, "--no-warnings", ...loaders, "--input-type=module", "--eval", script],
      { cwd: root, timeout: 30_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

const imports = `
  import { connect, listen } from "jamp-gen/runtime";
  import { CalculatorClient, serveCalculator } from ${JSON.stringify(path.join(root, "fixtures/calculator/expected/index.ts"))};
  const until = async (test) => { while (!test()) await new Promise((resolve) => setTimeout(resolve, 5)); };
  const impl = { add: async (a, b) => a + b, divide: async (a, b) => a / b, history: async () => [], reset() {} };
`;

describe("closing while reconnecting", () => {
  it("stops the attempts at once and leaves nothing that keeps the process alive", async () => {
    // A timer or socket left behind would keep the process up: the attempts for ever, or the hanging
    // handshake for connectTimeout (60 s), past execFile's 30 s timeout.
    const script = `
      import { createServer } from "node:net";
      ${imports}
      const server = await listen({ port: 0, services: [serveCalculator(impl)] });
      const peer = await connect(server.url, { reconnect: { initialDelay: 20, maxDelay: 40 }, connectTimeout: 60_000 });
      const states = [];
      peer.onState((event) => states.push(event.state));
      await server.close();
      await until(() => states.length >= 2);
      peer.close();

      // Again, closing while an attempt hangs in its handshake: a server that accepts and never answers.
      const first = await listen({ port: 0, services: [serveCalculator(impl)] });
      const hanging = await connect(first.url, { reconnect: { initialDelay: 20 }, connectTimeout: 60_000 });
      await first.close();
      const sockets = [];
      const silent = createServer((socket) => sockets.push(socket.resume())); // read the request, answer nothing
      await new Promise((resolve) => silent.listen(first.port, "127.0.0.1", resolve));
      await until(() => sockets.length === 1);
      const gone = new Promise((resolve) => sockets[0].on("close", resolve));
      hanging.close();
      await gone;
      silent.close();
      console.log(JSON.stringify({ states, state: peer.state, hanging: hanging.state }));
    `;
    const output = JSON.parse(await runScript(script)) as { states: string[]; state: string; hanging: string };
    expect(output.states.at(-1)).toBe("closed");
    expect(output.states.slice(0, -1).every((state) => state === "reconnecting")).toBe(true);
    expect(output).toMatchObject({ state: "closed", hanging: "closed" });
  }, 40_000);
});

describe("the browser's path, the platform WebSocket", () => {
  it("reconnects and calls again after the server drops the connection", async () => {
    const script = `
      ${imports}
      if (typeof WebSocket !== "function") throw new Error("no platform WebSocket");
      let made = 0; // sockets of the platform's class, counted to show the runtime picked it over ws
      globalThis.WebSocket = new Proxy(WebSocket, { construct: (...args) => (made++, Reflect.construct(...args)) });
      const server = await listen({ port: 0, services: [serveCalculator(impl)] });
      const peer = await connect(server.url, { reconnect: { initialDelay: 20 } });
      const states = [];
      peer.onState((event) => states.push(event.state));
      const calc = new CalculatorClient(peer);
      const before = await calc.add(1, 2);
      for (const other of server.peers) other.close(1012, "restarting");
      await until(() => peer.state === "open" && states.length > 0);
      const after = await calc.add(2, 3);
      peer.close();
      await server.close();
      console.log(JSON.stringify({ before, after, states, made }));
    `;
    const output = JSON.parse(await runScript(script, ["--experimental-websocket"]));
    expect(output).toEqual({ before: 3, after: 5, states: ["reconnecting", "open", "closed"], made: 2 });
  }, 40_000);
});
