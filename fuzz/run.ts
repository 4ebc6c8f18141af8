/**
 * `npm run fuzz`: mutated frames of every format (`mutate.ts` applied to `corpus.ts`) thrown at a live
 * `listen()` server over real WebSockets on 127.0.0.1, the server in a child process (`server.ts`) so that
 * its crashes and its memory are measured apart from the fuzzer. Per format, several connections send
 * their frames pipelined: after every `--window` frames a connection sends a marker query, and it never
 * has more than two markers unanswered, so it is never more than two windows ahead of the server. A
 * connection is replaced after `--per-connection` frames (what a connection holds, such as streams
 * waiting for credit, is released with it), and when the server closes it.
 *
 * Reports, per format: frames sent, frames per second, the answers by type (a reply, a stream item, or an
 * error's type), connections the server closed by code; for the server: crashes, unhandled rejections,
 * uncaught exceptions, bugs (errors reported with a cause that is no JampError), answers no format reads,
 * stalls (a marker unanswered for a minute), and its RSS after a warm-up and after the run (both after a
 * garbage collection) and at its peak, sampled each second (overall and per format). Exits with 1 if any
 * of those that must be 0 is not. The same seed sends the same frames.
 *
 *   npm run fuzz [-- --count 1000000] [--time 3600] [--seed 1] [--connections 4] [--window 256]
 *                [--per-connection 50000] [--formats jamp,jamp-b,jsonrpc2,jsonrpc1,soapjr] [--smoke]
 *
 * --count is per format, --time (seconds) bounds the whole run, split evenly among the formats: a format
 * stops at whichever comes first. --smoke is the CI size: 20,000 frames per format within 300 seconds.
 */

import { fork, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import type { FrameCodec } from "../src/runtime/codecs/codec.js";
import { codecs } from "../src/runtime/codecs/index.js";
import { isJampError } from "../src/runtime/errors.js";
import { corpusOf } from "./corpus.js";
import { failures, reportMarkdown, type RunFigures } from "./report.js";
import { createRandom, mutateFrame, type Random } from "./mutate.js";
import type { ServerMessage, ServerRequest, ServerStats } from "./server.js";

const { values: args } = parseArgs({
  options: {
    count: { type: "string" },
    time: { type: "string" },
    seed: { type: "string", default: "1" },
    connections: { type: "string", default: "4" },
    window: { type: "string", default: "256" },
    "per-connection": { type: "string", default: "50000" },
    formats: { type: "string", default: Object.keys(codecs).join(",") },
    smoke: { type: "boolean", default: false },
  },
});

function whole(name: string, text: string, least = 1): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < least) throw new Error(`--${name} must be a whole number from ${least}`);
  return value;
}

const count = whole("count", args.count ?? (args.smoke ? "20000" : "1000000"));
const timeLimit = whole("time", args.time ?? (args.smoke ? "300" : "3600"));
const seed = whole("seed", args.seed, 0);
const connections = whole("connections", args.connections);
const window = whole("window", args.window);
const perConnection = whole("per-connection", args["per-connection"]);
const formats = args.formats.split(",").map((name): FrameCodec => {
  const codec = codecs[name];
  if (codec === undefined) throw new Error(`--formats: no format ${name}; the formats are ${Object.keys(codecs)}`);
  return codec;
});

// ---------------------------------------------------------------------------------------------------------
// The server process

/** The child process serving `server.ts`; `crashes` counts the times it ended without being asked to. */
class ServerProcess {
  static crashes = 0;
  readonly #child: ChildProcess;
  readonly #waiting: { resolve: (stats: ServerStats) => void; reject: (error: Error) => void }[] = [];
  #closing = false;
  readonly exited: Promise<string>;
  url = "";

  private constructor() {
    const root = fileURLToPath(new URL("..", import.meta.url));
    // The fixtures import `jamp-gen/runtime`: the bench's hook makes that the source the rest runs on.
    const alias = new URL("../bench/runtime-alias.mjs", import.meta.url).href;
    this.#child = fork(fileURLToPath(new URL("./server.ts", import.meta.url)), [], {
      cwd: root,
      execArgv: ["--expose-gc", "--import", "tsx", "--import", alias],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.exited = new Promise((resolve) => {
      this.#child.on("exit", (code, signal) => {
        const how = signal ?? `code ${code}`;
        if (!this.#closing || code !== 0) ServerProcess.crashes++;
        for (const waiting of this.#waiting.splice(0)) waiting.reject(new Error(`the server process exited (${how})`));
        resolve(how);
      });
    });
    // A send to a process that just died fails through `send`'s callback; this is its echo.
    this.#child.on("error", () => undefined);
    this.#child.on("message", (message: ServerMessage) => {
      if (message.type === "ready") this.url = message.url;
      else this.#waiting.shift()?.resolve(message);
    });
  }

  static async start(): Promise<ServerProcess> {
    const server = new ServerProcess();
    await new Promise<void>((resolve, reject) => {
      server.#child.once("message", () => resolve());
      void server.exited.then((how) => reject(new Error(`the server process exited before listening (${how})`)));
    });
    return server;
  }

  /** The server's figures; with `gc`, after it collected garbage. */
  stats(type: ServerRequest["type"] = "stats"): Promise<ServerStats> {
    return new Promise((resolve, reject) => {
      if (!this.#child.connected) return reject(new Error("the server process is gone"));
      this.#waiting.push({ resolve, reject });
      this.#child.send({ type } satisfies ServerRequest, (error) => {
        if (error !== null) reject(error);
      });
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#child.send({ type: "close" } satisfies ServerRequest);
    await this.exited;
  }
}

// ---------------------------------------------------------------------------------------------------------
// What came back

/** The answers to one format's frames. */
class Tally {
  frames = 0;
  answers = 0;
  /** Answer messages by type: `reply`, `stream-result`, `stream-complete`, or an error's type. */
  readonly byType = new Map<string, number>();
  /** Connections the server closed, by close code. */
  readonly closes = new Map<number, number>();
  /** Answer frames no format reads: a server bug. */
  unreadable = 0;
  /** Marker queries the server did not answer within a minute: a hang. */
  stalls = 0;
  readonly unreadableSamples: string[] = [];

  answer(frame: string): void {
    this.answers++;
    try {
      const value: unknown = JSON.parse(frame);
      const codec = Object.values(codecs).find((c) => c.recognizes(value));
      if (codec === undefined) throw new Error("no format recognises it");
      const read = codec.read(value);
      for (const message of read.kind === "batch" ? read.entries : [read]) {
        if (isJampError(message)) throw message;
        const type = "error" in message && message.error !== undefined ? message.error.type : message.kind;
        add(this.byType, type);
      }
    } catch (error) {
      this.unreadable++;
      if (this.unreadableSamples.length < 5) this.unreadableSamples.push(`${frame.slice(0, 200)}: ${String(error)}`);
    }
  }
}

function add<K>(map: Map<K, number>, key: K, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

// ---------------------------------------------------------------------------------------------------------
// Connections

const markerPrefix = `["reply","fuzz-marker-`;
/** A JAMP query the server answers, told apart from the fuzz answers by its id (`fuzz-marker-...`). */
const marker = (id: string): string => `["query","${id}","/calculator","/client/fuzz-marker","add",[0,0]]`;
const markerTimeout = 60_000;

/** The frames of one connection's share: seed frames picked and mutated with `random`. */
function mutatedFrames(seeds: readonly string[], random: Random): () => string {
  return () => mutateFrame(seeds[Math.floor(random() * seeds.length)] as string, random);
}

/**
 * `frames` frames of `next` over as many connections as it takes (a new one after `--per-connection`
 * frames, after the server closed one, after a crash once the server is back).
 */
async function drive(next: () => string, frames: number, deadline: number, tally: Tally): Promise<void> {
  let sent = 0;
  let refused = 0;
  while (sent < frames && performance.now() < deadline) {
    const socket = await open(server.url);
    if (socket === undefined) {
      // The server may be restarting after a crash (counted by ServerProcess); try again for a while.
      if (++refused > 50) throw new Error(`cannot connect to ${server.url}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    refused = 0;
    sent += await connection(socket, next, Math.min(perConnection, frames - sent), deadline, tally);
  }
}

/** A new connection to `url`, or `undefined` when it cannot be made. */
function open(url: string): Promise<WebSocket | undefined> {
  const socket = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
  socket.on("error", () => undefined);
  return new Promise((resolve) => {
    socket.once("open", () => resolve(socket));
    socket.once("close", () => resolve(undefined));
  });
}

/**
 * Sends up to `frames` frames of `next` over `socket`, a marker query after every `--window` of them, at
 * most two markers unanswered; then closes it. Resolves with how many frames were sent, fewer when the
 * server closed the connection or stopped answering (a stall, counted).
 */
async function connection(
  socket: WebSocket,
  next: () => string,
  frames: number,
  deadline: number,
  tally: Tally,
): Promise<number> {
  const markers = new Map<string, () => void>();
  let open = true;
  let ending = false;
  const done = new Promise<void>((resolve) =>
    socket.once("close", (code) => {
      open = false;
      if (!ending) add(tally.closes, code);
      for (const release of markers.values()) release();
      resolve();
    }),
  );
  socket.on("message", (data: Buffer) => {
    const frame = data.toString();
    if (!frame.startsWith(markerPrefix)) return tally.answer(frame);
    const id = (JSON.parse(frame) as string[])[1] as string;
    markers.get(id)?.();
    markers.delete(id);
  });
  let sent = 0;
  let markersSent = 0;
  const unanswered: Promise<boolean>[] = [];
  let stalled = false;
  while (open && !stalled && sent < frames && performance.now() < deadline) {
    socket.send(next());
    sent++;
    tally.frames++;
    if (sent % window === 0 || sent === frames) {
      const id = `fuzz-marker-${markersSent++}`;
      unanswered.push(answered(markers, id));
      socket.send(marker(id));
      if (unanswered.length > 1) stalled = !(await unanswered.shift());
    }
  }
  if ((await Promise.all(unanswered)).includes(false)) stalled = true;
  if (stalled) tally.stalls++;
  ending = true;
  if (stalled) socket.terminate();
  else socket.close(1000);
  await done;
  return sent;
}

/** Resolves with `true` once marker `id` is answered (or the connection is gone), `false` after a minute. */
function answered(markers: Map<string, () => void>, id: string): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), markerTimeout);
    markers.set(id, () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// The run

let server = await ServerProcess.start();
let closing = false;
/** A crashed server is counted (`ServerProcess.crashes`), and a new one takes its place so that the run goes on. */
void (async () => {
  for (;;) {
    await server.exited;
    if (closing) return;
    server = await ServerProcess.start();
  }
})();

/** The server's largest RSS seen, over the run and over the current format's frames. */
let peakRss = 0;
let formatPeakRss = 0;
const sampler = setInterval(() => {
  server
    .stats()
    .then((stats) => {
      peakRss = Math.max(peakRss, stats.rss);
      formatPeakRss = Math.max(formatPeakRss, stats.rss);
    })
    .catch(() => undefined);
}, 1000);

// Warm-up: every seed frame of every format, unchanged, 50 times; then the baseline.
const warmup = new Tally();
for (const codec of formats) {
  const seeds = corpusOf(codec);
  let i = 0;
  await drive(() => seeds[i++ % seeds.length] as string, seeds.length * 50, Infinity, warmup);
}
const before = await server.stats("gc");

const started = performance.now();
const results: RunFigures["formats"][number][] = [];
for (const [index, codec] of formats.entries()) {
  const seeds = corpusOf(codec);
  const tally = new Tally();
  formatPeakRss = 0;
  const t0 = performance.now();
  const deadline = started + (timeLimit * 1000 * (index + 1)) / formats.length;
  const share = Math.ceil(count / connections);
  await Promise.all(
    Array.from({ length: connections }, (_, i) => {
      const random = createRandom(seed * 1_000_003 + index * 101 + i);
      return drive(mutatedFrames(seeds, random), Math.max(0, Math.min(share, count - i * share)), deadline, tally);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage();
  const end = await server.stats();
  const serverCpu = end.cpuSeconds;
  results.push({ name: codec.name, seconds, peakRss: Math.max(formatPeakRss, end.rss), ...tally });
  process.stderr.write(
    `${codec.name}: ${tally.frames} frames in ${seconds.toFixed(1)} s ` +
      `(CPU so far: fuzzer ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, server ${serverCpu.toFixed(1)} s)\n`,
  );
  for (const sample of tally.unreadableSamples) process.stderr.write(`  unreadable answer: ${sample}\n`);
}
const wall = (performance.now() - started) / 1000;

// Every connection gone, the server's memory after a collection.
for (let i = 0; i < 50 && (await server.stats()).connections > 0; i++) await new Promise((r) => setTimeout(r, 100));
const after = await server.stats("gc");
clearInterval(sampler);
closing = true;
await server.close();

const command =
  `npm run fuzz -- --count ${count} --time ${timeLimit} --seed ${seed} --connections ${connections} ` +
  `--window ${window} --per-connection ${perConnection} --formats ${formats.map((f) => f.name).join(",")}`;
const figures: RunFigures = {
  command,
  formats: results,
  wallSeconds: wall,
  crashes: ServerProcess.crashes,
  before,
  after,
  peakRss: Math.max(peakRss, after.rss),
};
process.stdout.write(`${reportMarkdown(figures)}\n`);
for (const sample of after.samples) process.stderr.write(`${sample}\n`);
const failed = Object.entries(failures(figures)).filter(([, n]) => n > 0);
if (failed.length > 0) {
  process.stderr.write(`fuzz: FAILED (${failed.map(([name, n]) => `${name}: ${n}`).join("; ")})\n`);
  process.exitCode = 1;
}
