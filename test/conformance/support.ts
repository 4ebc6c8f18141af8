/** What the conformance replays share: the JSON-lines files of this folder, a raw WebSocket, and matching. */
import { readFileSync } from "node:fs";
import { WebSocket } from "ws";
import { until } from "../unit/runtime/support/calculator.js";

/** The cases of `name` in this folder, one JSON object per non-empty line. */
export function readCases<T>(name: string): T[] {
  return readFileSync(new URL(`./${name}`, import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

export interface RawSocket {
  send(text: string): void;
  /** The next frame received, parsed; fails after 2 s. */
  next(): Promise<unknown>;
  /** How many frames arrived and are not yet taken. */
  readonly waiting: number;
  close(): void;
}

/** A plain `ws` client on `url`: what a client of any format sends, byte for byte. */
export async function openRaw(url: string): Promise<RawSocket> {
  const socket = new WebSocket(url);
  const frames: string[] = [];
  socket.on("message", (data) => frames.push(String(data)));
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  return {
    send: (text) => socket.send(text),
    async next() {
      await until(() => frames.length > 0);
      return JSON.parse(frames.shift() as string);
    },
    get waiting() {
      return frames.length;
    },
    close: () => socket.close(),
  };
}

/**
 * Structural equality, key order ignored, where the string "…" in `expected` stands for any string (the
 * texts of error messages, which the specifications leave to the implementation).
 */
export function matches(actual: unknown, expected: unknown): boolean {
  if (expected === "…") return typeof actual === "string";
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e))
    );
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length &&
      keys.every((key) => Object.hasOwn(actual, key) && matches((actual as never)[key], (expected as never)[key]))
    );
  }
  return Object.is(actual, expected);
}
