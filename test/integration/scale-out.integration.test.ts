/**
 * Scale-out through RabbitMQ: calculator server processes (two over AMQP, one over STOMP) consume one
 * service queue as competing consumers; a client's queries are spread over them, every one is answered,
 * and a server killed with SIGKILL in the middle of the work loses none of it: what it had not
 * acknowledged goes to the others. Also: sends confirmed while no server process runs reach the first
 * one that starts.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CalculatorClient } from "../../fixtures/calculator/expected/index.js";
import { Peer } from "../../src/runtime/index.js";
import { connectAmqp } from "../../src/runtime/transports/amqp.js";
import { until } from "./support/broker-suite.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const script = fileURLToPath(new URL("./support/calculator-server.ts", import.meta.url));
const prefetch = 8;

/** A server process, and the work it reported: how many times it finished `add(a, …)`, by `a`. */
interface ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly done: Map<number, number>;
  resets: number;
  /** Resolves once the process exited. */
  readonly exited: Promise<void>;
}

const processes: ServerProcess[] = [];

/** Starts a server process and resolves once it consumes its queue. */
async function startServer(name: string, protocol: "amqp" | "stomp", queuePrefix: string): Promise<ServerProcess> {
  const { amqp, stomp } = inject("rabbitmq");
  const url = protocol === "amqp" ? amqp : stomp;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./bench/runtime-alias.mjs", script, protocol, url, queuePrefix, String(prefetch)],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const server: ServerProcess = { name, child, done: new Map(), resets: 0, exited };
  processes.push(server);
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (line === "ready") resolve();
      else if (line === "reset") server.resets++;
      else if (line.startsWith("done ")) {
        const a = Number(line.slice("done ".length));
        server.done.set(a, (server.done.get(a) ?? 0) + 1);
      }
    });
    void exited.then(() => reject(new Error(`server ${name} exited before it was ready:\n${errors}`)));
  });
  await ready;
  return server;
}

function completions(server: ServerProcess, from: number, to: number): number {
  let count = 0;
  for (const [a, times] of server.done) if (a >= from && a < to) count += times;
  return count;
}

afterAll(async () => {
  for (const { child } of processes) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all(processes.map((server) => server.exited));
});

describe("three server processes on one service queue", () => {
  const queuePrefix = `test.scale.${process.pid}`;
  let servers: ServerProcess[];
  let peer: Peer;
  let calc: CalculatorClient;

  beforeAll(async () => {
    servers = await Promise.all([
      startServer("amqp-1", "amqp", queuePrefix),
      startServer("amqp-2", "amqp", queuePrefix),
      startServer("stomp-3", "stomp", queuePrefix),
    ]);
    peer = new Peer(await connectAmqp(inject("rabbitmq").amqp, { queuePrefix }), { timeout: 60_000 });
    calc = new CalculatorClient(peer);
  }, 120_000);
  afterAll(() => peer.close());

  it("answers 3,000 queries, every one, the work spread over the three", async () => {
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 3000 }, (_, a) => calc.add(a, 1)));
    const seconds = (Date.now() - started) / 1000;
    expect(results).toEqual(Array.from({ length: 3000 }, (_, a) => a + 1));
    await until(() => servers.reduce((sum, server) => sum + completions(server, 0, 3000), 0) === 3000);
    const split = servers.map((server) => completions(server, 0, 3000));
    console.log(`3,000 queries in ${seconds.toFixed(1)} s; handled by ${servers.map((s, i) => `${s.name} ${split[i]}`).join(", ")}`);
    for (const share of split) expect(share).toBeGreaterThan(0);
  }, 120_000);

  it("loses no acknowledged work and leaves no caller waiting when a server is killed mid-run", async () => {
    const from = 10_000;
    const victim = servers[0] as ServerProcess;
    let answered = 0;
    const calls = Array.from({ length: 3000 }, (_, i) =>
      calc.add(from + i, 1).then((result) => {
        if (++answered === 1000) victim.child.kill("SIGKILL");
        return result;
      }),
    );
    const settled = await Promise.allSettled(calls);
    await victim.exited;
    // Every caller got its answer: the killed server's unacknowledged messages went to the other two.
    expect(settled.filter((outcome) => outcome.status === "rejected")).toEqual([]);
    expect(settled.map((outcome) => (outcome as PromiseFulfilledResult<number>).value)).toEqual(
      Array.from({ length: 3000 }, (_, i) => from + i + 1),
    );
    const survivors = servers.slice(1);
    await until(() => {
      const covered = new Set<number>();
      for (const server of servers) for (const a of server.done.keys()) if (a >= from) covered.add(a);
      return covered.size === 3000;
    });
    const byVictim = completions(victim, from, from + 3000);
    const total = servers.reduce((sum, server) => sum + completions(server, from, from + 3000), 0);
    // Work done twice: finished by the victim but not yet answered and acknowledged when it died, then
    // redelivered. At most what it held unacknowledged (its prefetch); only what the victim had run.
    const twice = [...victim.done.keys()].filter((a) => a >= from && survivors.some((server) => server.done.has(a)));
    console.log(
      `killed ${victim.name} after 1,000 answers: it finished ${byVictim}, the others ${survivors.map((s) => `${s.name} ${completions(s, from, from + 3000)}`).join(", ")}; ` +
        `${total} completions for 3,000 queries, ${twice.length} redelivered after it had run them, ` +
        `${peer.stats.dropped} second answers dropped by the client`,
    );
    expect(byVictim).toBeGreaterThan(0);
    expect(total - 3000).toBe(twice.length);
    expect(twice.length).toBeLessThanOrEqual(prefetch);
    for (const server of survivors) expect(completions(server, from, from + 3000)).toBeGreaterThan(0);
  }, 120_000);
});

describe("sends while no server process runs", () => {
  it("are confirmed by the broker, kept, and delivered once a server process starts", async () => {
    const queuePrefix = `test.offline.${process.pid}`;
    const peer = new Peer(await connectAmqp(inject("rabbitmq").amqp, { queuePrefix }));
    const calc = new CalculatorClient(peer);
    for (let i = 0; i < 200; i++) calc.reset();
    await peer.flush();
    peer.close();
    const server = await startServer("late", "amqp", queuePrefix);
    await until(() => server.resets === 200);
    server.child.kill("SIGTERM");
    await server.exited;
  }, 120_000);
});
