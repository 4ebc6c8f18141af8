/**
 * `npm run soak`: a bounded load soak on 127.0.0.1. A `listen()` server child process serves the generated
 * calculator; client child processes open `--clients` WebSocket connections between them (`connect()` and
 * the generated `CalculatorClient`), each keeping `--inflight` calls of `add(a, b)` in flight for
 * `--duration` seconds and checking every answer. Reported: errors (must be 0: a rejected call, a wrong
 * sum, a dropped connection, an error the server reported), throughput, p50/p90/p99/max latency, and the
 * server's RSS sampled every `--sample` seconds, whose growth from the end of the warm-up to the end must
 * stay under 10%. Exit code 1 when either fails.
 *
 *   npm run soak [-- --clients 500] [--inflight 20] [--duration 60] [--processes 2] [--sample 5] [--warmup 10]
 *   npm run soak -- --smoke          (50 clients, 5 in flight, 6 s, sampled every second: for CI)
 *
 * The RSS criterion is judged when at least three samples follow the warm-up; a smoke run only reports it.
 * The same file is the server (`soak.ts server`) and the clients (`soak.ts clients <url> <count> <inflight>`):
 * children read `go` and `stop` on stdin, print JSON lines on stdout, and exit when stdin closes.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Entry } from "../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../fixtures/calculator/expected/index.js";
import { connect, listen, type Peer } from "../src/runtime/index.js";

const print = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

/**
 * Latencies go in a histogram, which child processes can send and the driver can add up: buckets of 10 µs up
 * to 100 ms, then of 1 ms up to two minutes.
 */
const fineBuckets = 10_000;
const coarseBuckets = 120_000;

function bucketOf(ms: number): number {
  if (ms < 100) return Math.floor(ms * 100);
  return Math.min(fineBuckets + Math.floor(ms - 100), fineBuckets + coarseBuckets - 1);
}

function msOf(bucket: number): number {
  return bucket < fineBuckets ? (bucket + 1) / 100 : bucket - fineBuckets + 101;
}

function percentile(histogram: ArrayLike<number>, total: number, p: number): number {
  const rank = Math.ceil(total * p);
  let seen = 0;
  for (let bucket = 0; bucket < histogram.length; bucket++) {
    seen += histogram[bucket] as number;
    if (seen >= rank) return msOf(bucket);
  }
  return Number.NaN;
}

// ---------------------------------------------------------------------------------------------------------
// The server child

class SoakCalculator extends CalculatorSkeleton {
  async add(a: number, b: number): Promise<number> {
    return a + b;
  }
  async divide(a: number, b: number): Promise<number> {
    return a / b;
  }
  async history(): Promise<Entry[]> {
    return [];
  }
  reset(): void {}
}

async function serve(): Promise<void> {
  let errors = 0;
  const firstErrors: string[] = [];
  const server = await listen({
    port: 0,
    services: [serveCalculator(new SoakCalculator())],
    onError(error) {
      if (++errors <= 5) firstErrors.push(`${error.type}: ${error.message}`);
    },
  });
  print({ url: server.url });
  let sampler: ReturnType<typeof setInterval> | undefined;
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const [command, argument] = line.split(" ");
    if (command === "go") {
      const every = Number(argument) * 1000;
      const start = performance.now();
      const sample = (): void => print({ rss: process.memoryUsage().rss, t: (performance.now() - start) / 1000 });
      sample();
      sampler = setInterval(sample, every);
    } else if (command === "stop") {
      clearInterval(sampler);
      print({ errors, firstErrors, peers: server.peers.size });
    }
  });
  lines.on("close", () => void server.close().finally(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------------------
// A client child

async function load(url: string, count: number, inflight: number): Promise<void> {
  const peers: Peer[] = [];
  // Opened a few at a time, so that the server's accept backlog never overflows.
  for (let i = 0; i < count; i += 25) {
    const batch = Array.from({ length: Math.min(25, count - i) }, () => connect(url, { reconnect: false }));
    peers.push(...(await Promise.all(batch)));
  }
  const histogram = new Uint32Array(fineBuckets + coarseBuckets);
  let calls = 0;
  let errors = 0;
  const firstErrors: string[] = [];
  const fail = (text: string): void => {
    if (++errors <= 5) firstErrors.push(text);
  };
  for (const peer of peers) void peer.closed.then((reason) => running && fail(`connection lost: ${reason.message}`));
  let running = false;

  const lane = async (calculator: CalculatorClient, seed: number, until: number): Promise<void> => {
    for (let i = seed; performance.now() < until; i += 7) {
      const begun = performance.now();
      try {
        const sum = await calculator.add(i, 1);
        if (sum !== i + 1) fail(`add(${i}, 1) answered ${sum}`);
      } catch (error) {
        fail(`add(${i}, 1) failed: ${(error as Error).message}`);
      }
      histogram[bucketOf(performance.now() - begun)]!++;
      calls++;
    }
  };

  print({ ready: peers.length });
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const [command, argument] = line.split(" ");
    if (command !== "go") return;
    running = true;
    const started = performance.now();
    const until = started + Number(argument) * 1000;
    const lanes = peers.flatMap((peer, p) =>
      Array.from({ length: inflight }, (_, l) => lane(new CalculatorClient(peer), p * inflight + l, until)),
    );
    void Promise.all(lanes).then(() => {
      running = false;
      const seconds = (performance.now() - started) / 1000;
      // Sent as the buckets that hold anything, so that the line stays short.
      const buckets = [...histogram.entries()].filter(([, n]) => n > 0);
      print({ done: { calls, errors, firstErrors, seconds, buckets } });
    });
  });
  lines.on("close", () => {
    for (const peer of peers) peer.close();
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------------------
// The driver

interface Child {
  readonly process: ChildProcess;
  /** Resolves with the next line that has `key`. */
  next<T>(key: string): Promise<T>;
  send(line: string): void;
}

function child(...args: string[]): Child {
  const spawned = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting = new Map<string, ((value: unknown) => void)[]>();
  const kept = new Map<string, unknown[]>();
  createInterface({ input: spawned.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    for (const [key, value] of Object.entries(message)) {
      const waiter = waiting.get(key)?.shift();
      if (waiter !== undefined) waiter(key === "rss" || key === "errors" ? message : value);
      else kept.set(key, [...(kept.get(key) ?? []), key === "rss" || key === "errors" ? message : value]);
      break;
    }
  });
  return {
    process: spawned,
    next<T>(key: string): Promise<T> {
      const queued = kept.get(key)?.shift();
      if (queued !== undefined) return Promise.resolve(queued as T);
      return new Promise((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve as (v: unknown) => void]));
    },
    send: (line) => void spawned.stdin?.write(`${line}\n`),
  };
}

interface Done {
  readonly calls: number;
  readonly errors: number;
  readonly firstErrors: string[];
  readonly seconds: number;
  readonly buckets: [number, number][];
}

async function drive(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: "boolean", default: false },
      clients: { type: "string" },
      inflight: { type: "string" },
      duration: { type: "string" },
      processes: { type: "string" },
      sample: { type: "string" },
      warmup: { type: "string" },
    },
  });
  const smoke = values.smoke === true;
  const number = (value: string | undefined, full: number, small: number): number => {
    const n = Number(value ?? (smoke ? small : full));
    if (!(n > 0)) throw new RangeError(`expected a number above 0, got ${value}`);
    return n;
  };
  const clients = number(values.clients, 500, 50);
  const inflight = number(values.inflight, 20, 5);
  const duration = number(values.duration, 60, 6);
  const processes = number(values.processes, 2, 1);
  const sample = number(values.sample, 5, 1);
  const warmup = number(values.warmup, 10, 2);
  console.log(
    `soak: ${clients} WebSocket clients in ${processes} process(es), ${inflight} calls in flight each, ` +
      `${duration} s; server RSS every ${sample} s, warm-up ${warmup} s; node ${process.version}, ${cpus().length} CPUs`,
  );

  const server = child("server");
  const url = await server.next<string>("url");
  const shares = Array.from(
    { length: processes },
    (_, i) => Math.floor(clients / processes) + (i < clients % processes ? 1 : 0),
  );
  const loaders = shares.map((share) => child("clients", url, String(share), String(inflight)));
  const connected = await Promise.all(loaders.map((loader) => loader.next<number>("ready")));
  console.log(`${connected.reduce((a, b) => a + b, 0)} clients connected to ${url}`);

  server.send(`go ${sample}`);
  for (const loader of loaders) loader.send(`go ${duration}`);
  const samples: { rss: number; t: number }[] = [];
  let sampling = true;
  void (async () => {
    while (sampling) {
      const next = await server.next<{ rss: number; t: number }>("rss");
      if (!sampling) break;
      samples.push(next);
      console.log(`  t=${next.t.toFixed(0).padStart(3)} s  server RSS ${(next.rss / 2 ** 20).toFixed(1)} MiB`);
    }
  })();
  const results = await Promise.all(loaders.map((loader) => loader.next<Done>("done")));
  sampling = false;
  server.send("stop");
  const serverEnd = await server.next<{ errors: number; firstErrors: string[]; peers: number }>("errors");
  for (const c of [...loaders, server]) c.process.stdin?.end();

  const histogram = new Float64Array(fineBuckets + coarseBuckets);
  for (const result of results) for (const [bucket, n] of result.buckets) histogram[bucket]! += n;
  const calls = results.reduce((sum, result) => sum + result.calls, 0);
  const seconds = Math.max(...results.map((result) => result.seconds));
  const errors = results.reduce((sum, result) => sum + result.errors, 0) + serverEnd.errors;
  const firstErrors = [...results.flatMap((result) => result.firstErrors), ...serverEnd.firstErrors].slice(0, 5);
  const [p50, p90, p99] = [0.5, 0.9, 0.99].map((p) => percentile(histogram, calls, p));
  const max = msOf(histogram.findLastIndex((n) => n > 0));

  const afterWarmup = samples.filter((s) => s.t >= warmup - 0.5);
  const base = afterWarmup[0];
  const last = samples.at(-1);
  const growth = base === undefined || last === undefined ? Number.NaN : (last.rss - base.rss) / base.rss;
  const judged = !smoke && afterWarmup.length >= 3;

  console.log(`calls: ${calls} in ${seconds.toFixed(1)} s = ${Math.round(calls / seconds)} calls/s`);
  console.log(
    `latency: p50 ${p50?.toFixed(2)} ms, p90 ${p90?.toFixed(2)} ms, p99 ${p99?.toFixed(2)} ms, max ${max.toFixed(2)} ms`,
  );
  console.log(`errors: ${errors}${firstErrors.length > 0 ? ` (first: ${firstErrors.join("; ")})` : ""}`);
  const mib = (sample: { rss: number } | undefined): string =>
    sample === undefined ? "-" : (sample.rss / 2 ** 20).toFixed(1);
  const verdict = !judged
    ? smoke
      ? "(not judged in a smoke run)"
      : "(not judged: too few samples after the warm-up)"
    : growth < 0.1
      ? "(under 10%: ok)"
      : "(10% or more: FAILED)";
  console.log(
    `server RSS: ${mib(base)} MiB after warm-up → ${mib(last)} MiB at the end: ${Number.isNaN(growth) ? "-" : `${(growth * 100).toFixed(1)}%`} ${verdict}`,
  );
  const ok = errors === 0 && (!judged || growth < 0.1);
  console.log(ok ? "soak: ok" : "soak: FAILED");
  return ok ? 0 : 1;
}

const [role, ...rest] = process.argv.slice(2);
if (role === "server") await serve();
else if (role === "clients") await load(rest[0] as string, Number(rest[1]), Number(rest[2]));
else process.exitCode = await drive();
