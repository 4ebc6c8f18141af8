/**
 * Where a client's answers go over a broker, when the client serves: a server that calls it back (a query,
 * a send, a stream) publishes to the client's reply address with its own, and the client's answers must
 * reach that server, whichever of the competing servers it was.
 */

import type { Message, QueryId } from "../message.js";

/** How many calls (and callers) are remembered at most; past it the oldest are forgotten. */
const rememberedLimit = 10_000;

/**
 * The reply address of each call this side was asked, by the caller's address and the call's id, so that
 * servers whose ids meet are each answered on their own; and of each caller, for the `error` that answers a
 * failed send (it has no id). A call is forgotten once answered for good (a reply, a query error, a
 * stream's end) or cancelled by its caller.
 */
export class CallerRoutes {
  readonly #calls = new Map<string, string>();
  readonly #callers = new Map<string, string>();

  /** A message that arrived from the server whose reply address is `replyTo`. */
  learn(message: Message, replyTo: string): void {
    switch (message.kind) {
      case "query":
      case "stream":
        remember(this.#calls, keyOf(message.from, message.id), replyTo);
        return;
      case "send":
        remember(this.#callers, message.from, replyTo);
        return;
      case "stream-cancel":
        // The caller stopped reading a stream this side serves: nothing more goes to it.
        this.#calls.delete(keyOf(message.from, message.id));
        return;
      default:
    }
  }

  /** The reply address an answer goes to, or `undefined` when it answers no call remembered. */
  route(message: Message): string | undefined {
    switch (message.kind) {
      case "reply":
      case "query-error":
      case "stream-complete":
      case "stream-error":
        return take(this.#calls, keyOf(message.to, message.id));
      case "stream-result":
        return this.#calls.get(keyOf(message.to, message.id));
      case "error":
        return this.#callers.get(message.to);
      default:
        return undefined;
    }
  }
}

/** Whether a frame may be a call or a stream's cancel (the messages `learn` reads): a cheap look first. */
export function mayBeCall(frame: string): boolean {
  const head = /^\s*(?:\[\s*"([a-z-]+)"|\{)/.exec(frame.slice(0, 40));
  if (head === null) return false;
  const kind = head[1];
  if (kind !== undefined) return kind === "query" || kind === "send" || kind === "stream" || kind === "stream-cancel";
  // JSON-RPC requests name a method, SOAPjr's an action; their answers name neither.
  return frame.includes('"method"') || frame.includes('"action_type"');
}

function keyOf(caller: string, id: QueryId): string {
  return JSON.stringify([caller, id]);
}

function remember(map: Map<string, string>, key: string, value: string): void {
  map.delete(key);
  if (map.size >= rememberedLimit) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

function take(map: Map<string, string>, key: string): string | undefined {
  const value = map.get(key);
  map.delete(key);
  return value;
}
