/**
 * The fuzzed server, run by `fuzz/run.ts` in a child process of its own, so that its memory and its
 * crashes are measured apart from the fuzzer's: `listen()` on 127.0.0.1 serving `services.ts`, every
 * format accepted. It counts what must never happen (unhandled rejections, uncaught exceptions, and bugs:
 * errors reported to `onError` whose cause is no `JampError`, such as a `TypeError` in a codec) and the
 * errors reported by type, and answers the fuzzer's requests over IPC: `stats`, `gc` (collects garbage
 * first; needs `--expose-gc`), `close`.
 */

import { isJampError, listen, type JampError } from "../src/runtime/index.js";
import { fuzzedServices } from "./services.js";

export interface ServerStats {
  readonly rss: number;
  readonly heapUsed: number;
  /** CPU time the server process used so far. */
  readonly cpuSeconds: number;
  readonly connections: number;
  readonly unhandledRejections: number;
  readonly uncaughtExceptions: number;
  /** Errors told to `onError`, by type (received `error` messages carry any type the peer chose). */
  readonly reported: readonly (readonly [string, number])[];
  readonly bugs: number;
  /** The first few bugs and uncaught errors, with their stacks. */
  readonly samples: readonly string[];
}

export type ServerMessage =
  | { readonly type: "ready"; readonly url: string }
  | ({ readonly type: "stats" } & ServerStats);
export type ServerRequest = { readonly type: "stats" | "gc" | "close" };

const counts = { unhandledRejections: 0, uncaughtExceptions: 0, bugs: 0 };
const reported = new Map<string, number>();
const samples: string[] = [];

function sample(what: string, error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (samples.length < 10) samples.push(`${what}: ${text}`);
}

process.on("unhandledRejection", (reason) => {
  counts.unhandledRejections++;
  sample("unhandled rejection", reason);
});
process.on("uncaughtException", (error) => {
  counts.uncaughtExceptions++;
  sample("uncaught exception", error);
});

function onError(error: JampError): void {
  reported.set(error.type, (reported.get(error.type) ?? 0) + 1);
  if (error.cause !== undefined && !isJampError(error.cause)) {
    counts.bugs++;
    sample(`bug (${error.type}: ${error.message})`, error.cause);
  }
}

const server = await listen({ services: fuzzedServices(), onError });

function stats(): ServerStats {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    connections: server.peers.size,
    ...counts,
    reported: [...reported],
    samples: [...samples],
  };
}

const send = (message: ServerMessage): void => void process.send?.(message);

process.on("message", (request: ServerRequest) => {
  if (request.type === "gc") (globalThis as { gc?: () => void }).gc?.();
  if (request.type === "close") {
    void server.close().then(() => process.exit(0));
    return;
  }
  send({ type: "stats", ...stats() });
});
// The fuzzer gone, nothing is left to serve.
process.on("disconnect", () => void server.close().then(() => process.exit(0)));

send({ type: "ready", url: server.url });
