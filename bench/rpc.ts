/**
 * The RPC group of `npm run bench`: calls per second over a real WebSocket on 127.0.0.1, `add(a, b)` and the
 * echo of a ~2 KB order, one at a time and with a window of calls in flight, for jamp-gen and its peers, with
 * a raw `ws` server that parses the JAMP frame and answers as the limit (1.00) and a byte echo as the floor.
 * The servers run in one child process (server-process.ts), or here with `inline`.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  capnwebClient,
  echoClient,
  jampGenClient,
  jsonRpc2Client,
  rawParseClient,
  trpcClient,
  type Contender,
} from "./clients.js";
import { type Cell, type Columns, type Environment, markdownTable, toCells } from "./report.js";
import { generateMirror, loadMirror, orderBytes, removeMirror, type Call } from "./rpc-workloads.js";
import { startServers, type ServerUrls } from "./servers.js";

export const rpcBaseline = "raw-parse";
/** The second baseline every ratio is also given against: the same limit with its writes coalesced. */
export const rpcCorkedBaseline = "raw-parse-corked";
/** The contenders' names, in the order they are made. */
export const rpcContenders: readonly string[] = [
  "raw-parse",
  "raw-parse-corked",
  "echo",
  "json-rpc-2.0",
  "capnweb",
  "trpc",
  "jamp-gen",
];

export interface RpcOptions {
  readonly inline: boolean;
  readonly rounds: number;
  readonly warmupRounds: number;
  /** The most calls a cell makes; fewer for a contender whose warm-up showed a cell would take over `cellMs`. */
  readonly calls: number;
  readonly window: number;
  /** Stop adding measured rounds once the group has run this long, after at least 3. */
  readonly budgetMs: number;
  /** About how long a cell takes, once calibrated. */
  readonly cellMs: number;
  /** Each measured cell is run in this many slices, the contenders taking turns slice by slice. */
  readonly slices: number;
  /** Contender names to run; all when undefined. */
  readonly only: readonly string[] | undefined;
}

export interface RpcInfo extends Environment {
  readonly serverMode: string;
  readonly warmupRounds: number;
  readonly rounds: number;
  readonly slices: number;
  readonly window: number;
  /** Calls per cell per round, by workload and then contender. */
  readonly calls: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly seconds: number;
}

/** A cell that takes this long is stuck (a lost answer): the bench fails rather than hang. */
const cellTimeoutMs = 60_000;
/** The fewest calls a calibrated cell makes. */
const minCalls = 300;

interface Workload {
  readonly name: string;
  readonly call: Call;
  readonly window: number;
}

export interface Servers {
  readonly urls: ServerUrls;
  readonly mode: string;
  /** Collects garbage where the servers run. */
  gc(): Promise<void>;
  /** The CPU time the servers' process has used so far, in µs; 0 when they run in this process. */
  cpu(): Promise<number>;
  /** The heap in use where the servers run, after a collection, in bytes. */
  heap(): Promise<number>;
  close(): Promise<void>;
}

/** The servers of the RPC and memory groups: in a child process, or with `inline` in this one. */
export function startBenchServers(mirror: string, inline: boolean): Promise<Servers> {
  return inline ? inlineServers(mirror) : childServers(mirror);
}

async function inlineServers(mirror: string): Promise<Servers> {
  const servers = await startServers(await loadMirror(mirror));
  return {
    urls: servers.urls,
    mode: "in this process, with the clients (one thread does both sides' work)",
    gc: async () => {},
    cpu: async () => 0,
    heap: async () => {
      gcHere?.();
      return process.memoryUsage().heapUsed;
    },
    close: () => servers.close(),
  };
}

async function childServers(mirror: string): Promise<Servers> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--expose-gc",
      "--import",
      "tsx",
      "--import",
      new URL("./runtime-alias.mjs", import.meta.url).href,
      fileURLToPath(new URL("./server-process.ts", import.meta.url)),
      mirror,
    ],
    { cwd: root, stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout! });
  let onLine: (line: string) => void = () => {};
  let onExit: (error: Error) => void = () => {};
  lines.on("line", (line) => onLine(line));
  child.on("exit", (code, signal) => onExit(new Error(`the server process exited (${signal ?? code})`)));
  const next = (): Promise<string> =>
    new Promise((resolve, reject) => {
      onLine = resolve;
      onExit = reject;
    });

  const urls = JSON.parse(await next()) as ServerUrls;
  const ask = async (command: string): Promise<number> => {
    const done = next();
    child.stdin!.write(`${command}\n`);
    return Number(await done);
  };
  return {
    urls,
    mode: "one child process holds every contender's server; the clients run in this process",
    async gc() {
      const done = next();
      child.stdin!.write("gc\n");
      if ((await done) !== "gc-done") throw new Error("the server process did not collect garbage");
    },
    cpu: () => ask("cpu"),
    heap: () => ask("heap"),
    close: () =>
      new Promise((resolve) => {
        onExit = () => resolve();
        child.stdin!.end();
      }),
  };
}

function withTimeout(work: Promise<void>, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${cellTimeoutMs / 1000} s`)), cellTimeoutMs);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

const gcHere = (globalThis as { gc?: () => void }).gc;

interface Measured {
  /** Calls per second. */
  readonly rate: number;
  /** Calls per second of CPU time, this process and the servers' together. */
  readonly cpuRate: number;
}

/**
 * `count` calls of one workload on one contender, after a collection on both sides and, untimed, half as
 * many calls again. A full collection while no call is in flight frees the shapes of a call's objects,
 * and V8 then drops the optimized code that relied on them (`--trace-deopt`: "weak objects"); without
 * those calls each cell would time mostly the code being optimized again (it takes some 3,000 calls).
 */
async function measure(servers: Servers, workload: Workload, contender: Contender, count: number): Promise<Measured> {
  await servers.gc();
  gcHere?.();
  const name = `${workload.name} on ${contender.name}`;
  await withTimeout(contender.run(workload.call, Math.ceil(count / 2), workload.window), name);
  const serverCpu = await servers.cpu();
  const clientCpu = process.cpuUsage();
  const start = performance.now();
  await withTimeout(contender.run(workload.call, count, workload.window), name);
  const seconds = (performance.now() - start) / 1000;
  const client = process.cpuUsage(clientCpu);
  const cpuSeconds = (client.user + client.system + (await servers.cpu()) - serverCpu) / 1e6;
  return { rate: count / seconds, cpuRate: count / cpuSeconds };
}

/** A slice of a cell's calls is no smaller than this many windows: the window fills and drains in each. */
const minWindowsPerSlice = 4;

/** The calls of slice `s` of `slices` of a cell of `count` calls. */
function sliceOf(count: number, s: number, slices: number): number {
  return Math.floor((count * (s + 1)) / slices) - Math.floor((count * s) / slices);
}

/**
 * One round of one workload, every contender's cell timed: a collection on both sides and then, untimed,
 * half of each contender's calls (see `measure`), then each cell in `slices` slices, the contenders taking
 * turns slice by slice in `contenders`' order and in reverse on every other slice. A change of load on this
 * shared machine then hits all of them about alike, not the one whose cell it fell in; and no collection
 * is forced between a contender's warm-up and its timed calls, so that the bigger stacks, which take
 * longer to optimize again after one, are timed as warm as the smaller.
 */
async function measureRound(
  servers: Servers,
  workload: Workload,
  contenders: readonly Contender[],
  counts: readonly number[],
  slices: number,
): Promise<Measured[]> {
  await servers.gc();
  gcHere?.();
  const what = (contender: Contender): string => `${workload.name} on ${contender.name}`;
  for (const [i, contender] of contenders.entries()) {
    await withTimeout(contender.run(workload.call, Math.ceil(counts[i]! / 2), workload.window), what(contender));
  }
  const sliceCounts = counts.map((count) =>
    Math.max(1, Math.min(slices, Math.floor(count / (minWindowsPerSlice * workload.window)))),
  );
  const ms = contenders.map(() => 0);
  const cpuMicros = contenders.map(() => 0);
  for (let s = 0; s < slices; s++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = s % 2 === 0 ? k : contenders.length - 1 - k;
      if (s >= sliceCounts[i]!) continue;
      const contender = contenders[i]!;
      const count = sliceOf(counts[i]!, s, sliceCounts[i]!);
      const serverCpu = await servers.cpu();
      const clientCpu = process.cpuUsage();
      const start = performance.now();
      await withTimeout(contender.run(workload.call, count, workload.window), what(contender));
      ms[i] = ms[i]! + performance.now() - start;
      const client = process.cpuUsage(clientCpu);
      cpuMicros[i] = cpuMicros[i]! + client.user + client.system + (await servers.cpu()) - serverCpu;
    }
  }
  return contenders.map((_, i) => ({ rate: counts[i]! / (ms[i]! / 1000), cpuRate: counts[i]! / (cpuMicros[i]! / 1e6) }));
}

/** Runs the group and prints its progress; returns its cells and how it ran. */
export interface RpcRun {
  readonly info: RpcInfo;
  /** Calls per second. */
  readonly cells: Cell[];
  /** Calls per second of CPU time, both sides together: what a call costs, steadier than time on a shared machine. */
  readonly cpuCells: Cell[];
}

export async function runRpcGroup(env: Environment, options: RpcOptions): Promise<RpcRun> {
  const started = performance.now();
  const window = options.window;
  const workloads: Workload[] = [
    { name: "add, sequential", call: "add", window: 1 },
    { name: `add, ${window} in flight`, call: "add", window },
    { name: `echo ${(orderBytes / 1000).toFixed(1)} KB, sequential`, call: "echo", window: 1 },
    { name: `echo ${(orderBytes / 1000).toFixed(1)} KB, ${window} in flight`, call: "echo", window },
  ];
  const mirror = await generateMirror();
  const mirrorModule = await loadMirror(mirror);
  const servers = await startBenchServers(mirror, options.inline);
  const makers: Record<string, () => Promise<Contender>> = {
    "raw-parse": () => rawParseClient(servers.urls["raw-parse"]),
    "raw-parse-corked": () => rawParseClient(servers.urls["raw-parse-corked"], true),
    echo: () => echoClient(servers.urls.echo),
    "json-rpc-2.0": () => jsonRpc2Client(servers.urls["json-rpc-2.0"]),
    capnweb: () => capnwebClient(servers.urls.capnweb),
    trpc: () => trpcClient(servers.urls.trpc),
    "jamp-gen": () => jampGenClient(servers.urls["jamp-gen"], mirrorModule),
  };
  const contenders: Contender[] = [];
  for (const name of rpcContenders) if (options.only === undefined || options.only.includes(name)) contenders.push(await makers[name]!());

  console.log(`rpc: add(a, b) and echo(order of ${orderBytes} bytes) over WebSocket on 127.0.0.1; server: ${servers.mode}`);
  // Warm-up, which also calibrates each cell's count: about `cellMs` of calls, at most `calls`.
  const counts = workloads.map(() => contenders.map(() => Math.min(options.calls, 1000)));
  process.stdout.write(`warm-up (${options.warmupRounds} round${options.warmupRounds === 1 ? "" : "s"})`);
  for (let round = 0; round < Math.max(1, options.warmupRounds); round++) {
    for (const [w, workload] of workloads.entries()) {
      for (const [c, contender] of contenders.entries()) {
        const { rate } = await measure(servers, workload, contender, counts[w]![c]!);
        counts[w]![c] = Math.max(minCalls, Math.min(options.calls, Math.round((rate * options.cellMs) / 1000)));
      }
    }
    process.stdout.write(".");
  }
  process.stdout.write("\nmeasuring");

  // rates[workload][contender][round], and the same per CPU-second
  const rates = workloads.map(() => contenders.map((): number[] => []));
  const cpuRates = workloads.map(() => contenders.map((): number[] => []));
  let measured = 0;
  const minRounds = Math.min(3, options.rounds);
  for (let round = 0; round < options.rounds; round++) {
    if (round >= minRounds && performance.now() - started > options.budgetMs) break;
    for (const [w, workload] of workloads.entries()) {
      // All contenders in turn, the first one rotating from round to round.
      const order = contenders.map((_, k) => (round + k) % contenders.length);
      const results = await measureRound(
        servers,
        workload,
        order.map((c) => contenders[c]!),
        order.map((c) => counts[w]![c]!),
        options.slices,
      );
      for (const [k, c] of order.entries()) {
        rates[w]![c]!.push(results[k]!.rate);
        cpuRates[w]![c]!.push(results[k]!.cpuRate);
      }
    }
    measured++;
    process.stdout.write(".");
  }
  process.stdout.write("\n\n");

  for (const contender of contenders) await contender.close();
  await servers.close();
  removeMirror(mirror);

  const calls = Object.fromEntries(
    workloads.map((workload, w) => [workload.name, Object.fromEntries(contenders.map((c, i) => [c.name, counts[w]![i]!]))]),
  );
  return {
    info: {
      ...env,
      serverMode: servers.mode,
      warmupRounds: options.warmupRounds,
      rounds: measured,
      slices: options.slices,
      window,
      calls,
      seconds: (performance.now() - started) / 1000,
    },
    cells: toCells(workloads, contenders, rates, rpcBaseline, rpcCorkedBaseline),
    cpuCells: toCells(workloads, contenders, cpuRates, rpcBaseline, rpcCorkedBaseline),
  };
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;

function callCounts(info: RpcInfo): string {
  const all = Object.values(info.calls).flatMap((byContender) => Object.values(byContender));
  return `${Math.min(...all).toLocaleString("en-US")} to ${Math.max(...all).toLocaleString("en-US")}`;
}

export function describeRpcRun(info: RpcInfo): string {
  return [
    `date ${info.date}; node ${info.node}; ${info.cpu}, ${info.cores} cores`,
    `server: ${info.serverMode}`,
    `${info.rounds} measured rounds after ${plural(info.warmupRounds, "warm-up round")}; ${callCounts(info)} calls per cell ` +
      `per round, in up to ${plural(info.slices, "slice")}; window ${info.window}; ${info.seconds.toFixed(0)} s in all`,
  ].join("\n");
}

/** The table of what calls cost: calls per CPU-second, this process's and the server process's time added. */
export const rpcCpuColumns: Columns = { unit: "calls/CPU-s", baseline: rpcBaseline, also: rpcCorkedBaseline };

export const rpcNotes = [
  "**raw-parse** (the limit, 1.00): a `ws` server that `JSON.parse`s the JAMP query frame " +
    '`["query", id, "/calculator", "/c", "add", [a, b]]` (or `"/mirror"`, `"echo"`, `[order]`), computes, and ' +
    'answers `JSON.stringify`d `["reply", id, "/c", "/calculator", result]`; its `ws` client keeps its own ids ' +
    "in a `Map` and resolves one promise per call. JAMP over `ws` with nothing else: no validation, routing, " +
    "timers or error paths. Each side calls `ws.send` once per frame, so each frame is a write of its own.",
  "**raw-parse-corked** (a second limit, for a fair view of coalescing): raw-parse with its writes coalesced " +
    "on both sides by the runtime's own `coalesceWrites`, as jamp-gen's are: the frames a side sends in one " +
    "turn of the event loop leave in one write. The target is stated against plain raw-parse, as the issue " +
    'defines it; the "× raw-parse-corked" columns show how much of jamp-gen\'s standing is that trick.',
  "**echo** (the floor, for context): a `ws` server that sends each frame back as it came; the client sends " +
    "one fixed frame of the workload's size and only counts the echoes (no parsing, ids or promises).",
  "**json-rpc-2.0** (1.8.1): its `JSONRPCServer` and `JSONRPCClient`, wired to `ws` by us (the package has " +
    "no transport): one `JSON.stringify` and one `ws.send` per message, `JSON.parse` on receipt. No validation.",
  "**capnweb** (0.12.0): `newWebSocketRpcSession` on both ends, the server's `RpcTarget` with `add` and " +
    "`echo`, the client on `ws` set as `globalThis.WebSocket` (Node 20 has none). No validation.",
  "**trpc** (`@trpc/server` and `@trpc/client` 11.25.2): a router of two query procedures served by " +
    "`applyWSSHandler`, called through `createTRPCClient` with `wsLink`; inputs checked by plain parser " +
    "functions (`typeof` checks for `add`, an object check for `echo`).",
  "**jamp-gen**: `listen({ services: [serveCalculator(impl), serveMirror(impl)] })` and the generated " +
    "`CalculatorClient` and `MirrorClient` (the latter generated from bench/echo-service.ts when the bench " +
    "starts) on `await connect(url)`, all defaults: arguments validated on the server against the schema " +
    "(every member of the order), a 30 s timeout per call, results not validated on the client. Its frames " +
    "carry the peer's default `/client/<16 hex>` address, 20 bytes more than raw-parse's `/c`. Both sides " +
    "coalesce their writes (the WebSocket transport's default on Node): the frames sent in one turn leave in " +
    "one write, which pays when many calls are in flight and not for one call at a time.",
  "Every contender but the floor runs under the same driver (`await call(i)` in a loop; for the window, that " +
    "many such loops at once, so the window stays full) and every answer is checked: the sum, or the echoed " +
    "order's `seq` and its 10 lines.",
];

/** The RPC group's section of RESULTS.md. */
export function rpcSection({ info, cells, cpuCells }: RpcRun): string {
  return `## RPC over a WebSocket on 127.0.0.1: jamp-gen, its peers, the limit

- Date: ${info.date}
- Node: ${info.node}
- CPU: ${info.cpu}, ${info.cores} cores
- Server: ${info.serverMode}
- ${info.rounds} measured rounds after ${plural(info.warmupRounds, "warm-up round")}; ${callCounts(info)} calls per cell per round (each contender's count set in the warm-up so that a cell takes about the same time), in up to ${plural(info.slices, "slice")}; window ${info.window}; ${info.seconds.toFixed(0)} s in all

${markdownTable(cells)}

"× raw-parse" is the contender's rate divided by raw-parse's rate **in the same round**, the median of
those per-round ratios (and their range); higher is faster; "× raw-parse-corked" the same against
raw-parse-corked. Each round of a workload starts with a garbage collection on both sides and then, untimed,
half of each contender's calls; then the timed calls, each cell cut in slices (of at least 4 windows of
calls) that the contenders run in turn, in an order rotating from round to round and reversed every other
slice, so that drift on this shared machine hits all of them alike. (Until 2026-12-03 each cell ran whole,
after a collection of its own. That was unfair to the longer stacks: V8 drops the optimized code whose
objects' shapes a full collection of an idle heap frees, and a longer path takes longer to optimize again.
jamp-gen's runtime lost its call path that way, one call at a time at half speed for several hundred calls
after each collection, and its sequential cells read 0.72–0.87; it now keeps those shapes alive.)
The calls/s columns are only meaningful next to each other, from one run on one machine.

What the same calls cost in CPU time, the client's process and the server process added (calls per
CPU-second; the idle servers of the other contenders use next to none). On a machine shared with other work
this is steadier than time: waiting for a core counts in the table above, not in this one.

${markdownTable(cpuCells, rpcCpuColumns)}

Where a call's time goes, raw-parse against jamp-gen, in a long steady run of one cell with both sides in
one process: \`node --import tsx --import ./bench/runtime-alias.mjs bench/profile-rpc.ts --contender jamp-gen
--call add --window 100 --profile jamp-gen.cpuprofile\` (the README's Speed section has the figures).

### Contenders

${rpcNotes.map((note) => `- ${note}`).join("\n")}
`;
}
