/**
 * The memory group of `npm run bench`: 10,000 queries pending on one WebSocket connection, held by a server
 * that never answers them. What one pending query costs the client is the growth of its heap after a
 * collection, divided by the count; the same for the server's side of jamp-gen (a call it is running). For
 * scale, raw-parse's client (a promise, a Map entry and its resolvers per call) under the same measure.
 */

import { connect } from "../src/runtime/index.js";
import { CalculatorClient } from "../fixtures/calculator/expected/index.js";
import { rawParseCalls } from "./clients.js";
import type { Environment } from "./report.js";
import { startBenchServers } from "./rpc.js";
import { generateMirror, removeMirror } from "./rpc-workloads.js";

export interface MemoryFigures {
  readonly pending: number;
  readonly rounds: number;
  /** Bytes per pending query on the client, by contender: the median over rounds and the range. */
  readonly client: Readonly<Record<string, { median: number; min: number; max: number }>>;
  /** Bytes per call held on jamp-gen's server. */
  readonly server: { median: number; min: number; max: number };
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapNow(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

function spread(values: number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1]!, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export async function runMemoryGroup(options: { pending: number; rounds: number; inline: boolean }): Promise<MemoryFigures> {
  if (gc === undefined) throw new Error("the memory group needs --expose-gc (npm run bench gives it)");
  const mirror = await generateMirror();
  const servers = await startBenchServers(mirror, options.inline);
  const count = options.pending;
  const client: Record<string, number[]> = { "raw-parse": [], "jamp-gen": [] };
  const server: number[] = [];
  // Made before the first measure, so that the array holding the calls' promises is not counted.
  const calls = new Array<Promise<unknown>>(count).fill(Promise.resolve());
  try {
    for (let round = 0; round < options.rounds; round++) {
      // raw-parse
      {
        const raw = await rawParseCalls(servers.urls["raw-hold"]);
        await settle();
        const before = heapNow();
        for (let i = 0; i < count; i++) calls[i] = raw.calls.add(i, 1).catch(() => {});
        await settle();
        client["raw-parse"]!.push((heapNow() - before) / count);
        raw.close();
        await Promise.all(calls);
      }
      // jamp-gen, with the peer's defaults (a 30 s timeout per query, maxPending 10,000)
      {
        const peer = await connect(servers.urls["jamp-gen-hold"]);
        const calculator = new CalculatorClient(peer);
        await settle();
        const serverBefore = await servers.heap();
        const before = heapNow();
        for (let i = 0; i < count; i++) calls[i] = calculator.add(i, 1).catch(() => {});
        await settle();
        const stats = peer.stats;
        if (stats.pending !== count) throw new Error(`expected ${count} pending queries, the peer has ${stats.pending}`);
        client["jamp-gen"]!.push((heapNow() - before) / count);
        // The server has read them all once the client's frames are through; give it a moment.
        await settle();
        server.push(((await servers.heap()) - serverBefore) / count);
        peer.close();
        await Promise.all(calls);
      }
    }
  } finally {
    await servers.close();
    removeMirror(mirror);
  }
  return {
    pending: count,
    rounds: options.rounds,
    client: Object.fromEntries(Object.entries(client).map(([name, values]) => [name, spread(values)])),
    server: spread(server),
  };
}

const bytes = (value: number): string => Math.round(value).toLocaleString("en-US");

export function memoryText(figures: MemoryFigures): string {
  const lines = Object.entries(figures.client).map(
    ([name, v]) => `  ${name.padEnd(10)} client: ${bytes(v.median)} bytes per pending query (${bytes(v.min)} – ${bytes(v.max)})`,
  );
  const s = figures.server;
  lines.push(`  jamp-gen   server: ${bytes(s.median)} bytes per call held (${bytes(s.min)} – ${bytes(s.max)})`);
  return lines.join("\n");
}

export function memorySection(env: Environment, figures: MemoryFigures): string {
  const rows = Object.entries(figures.client).map(
    ([name, v]) => `| ${name} | client: a query pending | ${bytes(v.median)} | ${bytes(v.min)} – ${bytes(v.max)} |`,
  );
  const s = figures.server;
  rows.push(`| jamp-gen | server: a call held (running) | ${bytes(s.median)} | ${bytes(s.min)} – ${bytes(s.max)} |`);
  return `## Memory: ${figures.pending.toLocaleString("en-US")} queries pending on one connection

${env.date}, Node ${env.node}, ${env.cores} × ${env.cpu}. The client sends ${figures.pending.toLocaleString("en-US")} \`add\` queries over
one WebSocket to a server that takes them and never answers (jamp-gen: the generated calculator whose \`add\`
returns a promise that never settles; raw-parse: a \`ws\` server that ignores frames), then measures the growth
of its heap after a full collection, divided by the count (the array holding the calls' promises is made
beforehand and not counted). jamp-gen runs with the peer's defaults: a 30 s timeout per query, \`maxPending\`
10,000. The server's figure is the growth of the server process's heap over the same calls. Median of
${figures.rounds} rounds (and range).

| contender | what | bytes (median) | bytes min – max |
|---|---|--:|--:|
${rows.join("\n")}

A pending query of jamp-gen holds its promise and resolvers, a record with its id, address, method, time
limit and deadline, an entry in the table of pending queries and one in its time limit's queue (one timer
serves them all), plus what the caller's promise chain holds. On the server, a running call holds its
decoded message and arguments, its context and the handler's promise.
`;
}
