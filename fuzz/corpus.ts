/**
 * Valid frames of every format, calling what `services.ts` serves: the seeds the fuzzer mutates. Each is
 * a message of a kind the format carries, written by the format's own codec: queries, sends and streams
 * of every method, with arguments by position and (where the format has them) by name, answers to
 * queries the server never sent, stream credit and cancel, and a JSON-RPC batch.
 */

import type { FrameCodec } from "../src/runtime/codecs/codec.js";
import { isJampError, type Message } from "../src/runtime/index.js";

const client = "/client/fuzz";

interface Call {
  readonly kind: "query" | "send" | "stream";
  readonly service: "Calculator" | "Ticker";
  readonly method: string;
  readonly args: Record<string, unknown>;
}

const calls: readonly Call[] = [
  { kind: "query", service: "Calculator", method: "add", args: { a: 1, b: 2 } },
  { kind: "query", service: "Calculator", method: "divide", args: { a: 1, b: 0 } },
  { kind: "query", service: "Calculator", method: "divide", args: { a: 6, b: 3 } },
  { kind: "query", service: "Calculator", method: "history", args: { limit: 5 } },
  { kind: "query", service: "Calculator", method: "history", args: {} },
  { kind: "send", service: "Calculator", method: "reset", args: {} },
  { kind: "send", service: "Calculator", method: "add", args: { a: 1, b: 2 } },
  { kind: "query", service: "Ticker", method: "latest", args: { symbol: "ACME" } },
  { kind: "stream", service: "Ticker", method: "count", args: { to: 3 } },
  {
    kind: "stream",
    service: "Ticker",
    method: "ticks",
    args: { symbol: "ACME", since: "2026-01-01T00:00:00.000Z", limit: 2 },
  },
];

const addressOf = { Calculator: "/calculator", Ticker: "/ticker" } as const;

function messages(): Message[] {
  const messages: Message[] = [];
  calls.forEach((call, i) => {
    const target = {
      to: addressOf[call.service],
      from: client,
      method: call.method,
      service: call.service,
      paramNames: Object.keys(call.args),
    };
    const args = Object.values(call.args);
    const id = i + 1;
    if (call.kind === "stream") messages.push({ kind: "stream", id, ...target, args, credit: 16 });
    else if (call.kind === "send") messages.push({ kind: "send", ...target, args });
    else {
      messages.push({ kind: "query", id, ...target, args });
      messages.push({ kind: "query", id: `q-${id}`, ...target, args: [], named: call.args });
    }
  });
  const answer = { id: 7, to: "/calculator", from: client };
  messages.push(
    { kind: "reply", ...answer, result: { value: 3 } },
    { kind: "query-error", ...answer, error: { type: "timeout", message: "too slow", data: { ms: 1 } } },
    { kind: "error", to: "/calculator", from: client, error: { type: "internal-error", message: "oops" } },
    { kind: "stream-credit", id: 9, to: "/ticker", from: client, credit: 4 },
    { kind: "stream-cancel", id: 9, to: "/ticker", from: client },
    { kind: "stream-result", ...answer, values: [1, 2] },
    { kind: "stream-complete", ...answer },
    { kind: "stream-error", ...answer, error: { type: "cancelled", message: "stop" } },
  );
  return messages;
}

/** The seed frames of `codec`: every message above it can write (a format refuses what it has no place for). */
export function corpusOf(codec: FrameCodec): string[] {
  const frames: string[] = [];
  for (const message of messages()) {
    if (!codec.kinds.has(message.kind)) continue;
    try {
      frames.push(codec.encode(message));
    } catch (error) {
      if (!isJampError(error)) throw error;
    }
  }
  if (codec.joinBatch !== undefined) frames.push(codec.joinBatch(frames.slice(0, 4)));
  return frames;
}
