/**
 * The client side of the three contenders. Each runs a workload of `count` calls of `add(i, 1)`: one at a
 * time (sequential) or with `window` calls in flight, a new one sent as soon as one is answered (pipelined).
 * raw-parse and jamp-gen share the same promise-based drivers, so they differ only in the stack under
 * `add`; the echo floor has its own callback loop and no per-call promise.
 */

import { WebSocket, type RawData } from "ws";
import { connect } from "../src/runtime/index.js";
import { CalculatorClient } from "../fixtures/calculator/expected/index.js";

export interface Contender {
  readonly name: string;
  sequential(count: number): Promise<void>;
  pipelined(count: number, window: number): Promise<void>;
  close(): void;
}

type Add = (a: number, b: number) => Promise<number>;

/** The size limit `connect` gives `ws` by default, for parity. */
const maxPayload = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Shared drivers

async function runSequential(add: Add, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const sum = await add(i, 1);
    if (sum !== i + 1) throw new Error(`add(${i}, 1) answered ${String(sum)}`);
  }
}

async function runPipelined(add: Add, count: number, window: number): Promise<void> {
  let next = 0;
  // `window` lanes, each sending its next call when its previous one is answered: the window stays full.
  const lane = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const sum = await add(i, 1);
      if (sum !== i + 1) throw new Error(`add(${i}, 1) answered ${String(sum)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
}

function fromAdd(name: string, add: Add, close: () => void): Contender {
  return {
    name,
    sequential: (count) => runSequential(add, count),
    pipelined: (count, window) => runPipelined(add, count, window),
    close,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Contenders

async function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { maxPayload });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  return socket;
}

/** (1) raw-parse limit: its own ids and a Map of waiting calls, JSON.stringify out and JSON.parse in. */
export async function rawParseClient(url: string): Promise<Contender> {
  const socket = await openSocket(url);
  const waiting = new Map<number, { resolve: (sum: number) => void; reject: (error: Error) => void }>();
  let lastId = 0;
  socket.on("message", (data: RawData) => {
    const m = JSON.parse(data.toString()) as [string, number, string, string, number];
    const call = waiting.get(m[1]);
    if (m[0] !== "reply" || call === undefined) throw new Error(`unexpected frame ${data.toString()}`);
    waiting.delete(m[1]);
    call.resolve(m[4]);
  });
  socket.on("close", () => {
    for (const call of waiting.values()) call.reject(new Error("raw-parse connection closed"));
    waiting.clear();
  });
  const add: Add = (a, b) =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      waiting.set(id, { resolve, reject });
      socket.send(JSON.stringify(["query", id, "/calculator", "/c", "add", [a, b]]));
    });
  return fromAdd("raw-parse", add, () => socket.close());
}

/** (2) raw byte echo floor: sends one fixed frame, counts the echoes; no parsing, no ids, no promise per call. */
export async function echoClient(url: string): Promise<Contender> {
  const socket = await openSocket(url);
  const frame = JSON.stringify(["query", 1, "/calculator", "/c", "add", [1, 2]]);
  let onEcho: () => void = () => {
    throw new Error("an echo arrived between workloads");
  };
  const idle = onEcho;
  let onClose: () => void = () => {};
  socket.on("message", () => onEcho());
  socket.on("close", () => onClose());

  const run = (count: number, window: number): Promise<void> =>
    new Promise((resolve, reject) => {
      let sent = 0;
      let received = 0;
      onClose = () => reject(new Error("echo connection closed"));
      onEcho = () => {
        received++;
        if (sent < count) {
          sent++;
          socket.send(frame);
        } else if (received === count) {
          onEcho = idle;
          resolve();
        }
      };
      for (; sent < Math.min(window, count); sent++) socket.send(frame);
    });

  return {
    name: "echo",
    sequential: (count) => run(count, 1),
    pipelined: (count, window) => run(count, window),
    close: () => socket.close(),
  };
}

/** (3) jamp-gen: the generated client on `connect`, all defaults (30 s timeout per call, no result check). */
export async function jampGenClient(url: string): Promise<Contender> {
  const peer = await connect(url);
  const calc = new CalculatorClient(peer);
  return fromAdd(
    "jamp-gen",
    (a, b) => calc.add(a, b),
    () => peer.close(),
  );
}
