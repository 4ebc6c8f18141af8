/**
 * JAMP, the 2012 draft layout (draft-ferg-jamp-v0): one JSON array per message, slot 0 the message type.
 *
 *   ["send",        to, from, method, [args]]
 *   ["query",   id, to, from, method, [args]]
 *   ["reply",   id, to, from, result]
 *   ["error-query", id, to, from, {type, message, data?}]      (kind "query-error")
 *   ["error",       to, from, {type, message, data?}]
 *
 * Decoding is strict: exact arity, typed slots, query ids that are integers from 0 to 2^53-1 or strings
 * (echoed exactly), and a bounded nesting depth. Error bodies need a non-empty string `type` and a string
 * `message`; a `data` member is kept as is. Other members are tolerated: when there is no `data` member they
 * are kept, gathered into `data`, so what another implementation sends is not lost; otherwise they are ignored.
 */

import { JampError, type ErrorBody } from "../errors.js";
import type { Message, MessageKind, QueryId } from "../message.js";
import type { Codec, InvalidMessageData } from "./codec.js";

export interface JampCodecOptions {
  /** The deepest nesting of arrays and objects a frame may hold, the message array counting as 1. Default 128. */
  readonly maxDepth?: number;
}

interface Layout {
  readonly kind: MessageKind;
  /** Slot names after the type, for error messages. */
  readonly slots: readonly string[];
}

const layouts = new Map<string, Layout>([
  ["send", { kind: "send", slots: ["to", "from", "method", "args"] }],
  ["query", { kind: "query", slots: ["id", "to", "from", "method", "args"] }],
  ["reply", { kind: "reply", slots: ["id", "to", "from", "result"] }],
  ["error-query", { kind: "query-error", slots: ["id", "to", "from", "error"] }],
  ["error", { kind: "error", slots: ["to", "from", "error"] }],
]);

const defaultMaxDepth = 128;

/** Makes a JAMP codec with its own limits; {@link jampCodec} uses the defaults. */
export function createJampCodec(options: JampCodecOptions = {}): Codec {
  const maxDepth = options.maxDepth ?? defaultMaxDepth;
  return {
    name: "jamp",
    encode: encodeJamp,
    decode: (frame) => decodeJamp(frame, maxDepth),
  };
}

export const jampCodec: Codec = createJampCodec();

function encodeJamp(message: Message): string {
  let slots: unknown[];
  switch (message.kind) {
    case "send":
      slots = ["send", message.to, message.from, message.method, message.args];
      break;
    case "query":
      slots = ["query", message.id, message.to, message.from, message.method, message.args];
      break;
    case "reply":
      slots = ["reply", message.id, message.to, message.from, message.result];
      break;
    case "query-error":
      slots = ["error-query", message.id, message.to, message.from, wireErrorBody(message.error)];
      break;
    case "error":
      slots = ["error", message.to, message.from, wireErrorBody(message.error)];
      break;
    default:
      return unknownKind(message);
  }
  try {
    return JSON.stringify(slots);
  } catch (error) {
    throw new JampError("invalid-message", `cannot encode the ${message.kind} message as JSON: ${reasonOf(error)}`, {
      cause: error,
    });
  }
}

function unknownKind(message: never): never {
  throw new JampError("invalid-message", `the JAMP codec cannot encode a ${(message as Message).kind} message`);
}

function wireErrorBody(error: ErrorBody): ErrorBody {
  return error.data === undefined
    ? { type: error.type, message: error.message }
    : { type: error.type, message: error.message, data: error.data };
}

function decodeJamp(frame: unknown, maxDepth: number): Message {
  if (typeof frame !== "string") throw invalid(`a frame must be text, got ${describe(frame)}`);
  let m: unknown;
  try {
    m = JSON.parse(frame);
  } catch (error) {
    throw invalid(`the frame is not JSON: ${reasonOf(error)}`);
  }
  if (!Array.isArray(m)) throw invalid(`a JAMP message must be a JSON array, got ${describe(m)}`);
  if (m.length === 0) throw invalid("a JAMP message must not be an empty array");
  const type: unknown = m[0];
  if (typeof type !== "string") throw invalid(`slot 0 (message type) must be a string, got ${describe(type)}`);
  const layout = layouts.get(type);
  if (layout === undefined) throw invalid(`unknown message type ${JSON.stringify(type.slice(0, 40))}`);
  if (m.length !== layout.slots.length + 1) {
    const shape = `[${["type", ...layout.slots].join(", ")}]`;
    throw invalid(`a ${type} message has ${layout.slots.length + 1} slots ${shape}, got ${m.length}`, m, layout);
  }
  const message = readMessage(m, layout);
  if (exceedsDepth(m, maxDepth)) throw invalid(`the message nests deeper than ${maxDepth} levels`, m, layout);
  return message;
}

function readMessage(m: unknown[], layout: Layout): Message {
  switch (layout.kind) {
    case "send":
      return {
        kind: "send",
        to: readString(m, 1, layout),
        from: readString(m, 2, layout),
        method: readString(m, 3, layout),
        args: readArgs(m, 4, layout),
      };
    case "query":
      return {
        kind: "query",
        id: readId(m, layout),
        to: readString(m, 2, layout),
        from: readString(m, 3, layout),
        method: readString(m, 4, layout),
        args: readArgs(m, 5, layout),
      };
    case "reply":
      return {
        kind: "reply",
        id: readId(m, layout),
        to: readString(m, 2, layout),
        from: readString(m, 3, layout),
        result: m[4],
      };
    case "query-error":
      return {
        kind: "query-error",
        id: readId(m, layout),
        to: readString(m, 2, layout),
        from: readString(m, 3, layout),
        error: readErrorBody(m, 4, layout),
      };
    case "error":
      return {
        kind: "error",
        to: readString(m, 1, layout),
        from: readString(m, 2, layout),
        error: readErrorBody(m, 3, layout),
      };
  }
}

function slotName(index: number, layout: Layout): string {
  return `slot ${index} (${layout.slots[index - 1] ?? "?"})`;
}

function readString(m: unknown[], index: number, layout: Layout): string {
  const value = m[index];
  if (typeof value === "string") return value;
  throw invalid(`${slotName(index, layout)} must be a string, got ${describe(value)}`, m, layout);
}

function isQueryId(value: unknown): value is QueryId {
  return typeof value === "string" || (Number.isSafeInteger(value) && (value as number) >= 0);
}

function readId(m: unknown[], layout: Layout): QueryId {
  const value = m[1];
  if (isQueryId(value)) return value;
  throw invalid(
    `${slotName(1, layout)} must be an integer from 0 to 2^53-1 or a string, got ${describe(value)}`,
    m,
    layout,
  );
}

function readArgs(m: unknown[], index: number, layout: Layout): readonly unknown[] {
  const value = m[index];
  if (Array.isArray(value)) return value;
  throw invalid(`${slotName(index, layout)} must be an array, got ${describe(value)}`, m, layout);
}

function readErrorBody(m: unknown[], index: number, layout: Layout): ErrorBody {
  const value = m[index];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(`${slotName(index, layout)} must be an object, got ${describe(value)}`, m, layout);
  }
  const type = ownValue(value, "type");
  if (typeof type !== "string" || type === "") {
    throw invalid(`${slotName(index, layout)} needs a non-empty string "type", got ${describe(type)}`, m, layout);
  }
  const message = ownValue(value, "message");
  if (typeof message !== "string") {
    throw invalid(`${slotName(index, layout)} needs a string "message", got ${describe(message)}`, m, layout);
  }
  if (Object.hasOwn(value, "data")) return { type, message, data: ownValue(value, "data") };
  const extra = extraMembers(value);
  return extra === undefined ? { type, message } : { type, message, data: extra };
}

function ownValue(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/** Members other than type and message, in a plain object (defined, so a `__proto__` key stays data). */
function extraMembers(body: object): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(body)) {
    if (key === "type" || key === "message") continue;
    extra ??= {};
    Object.defineProperty(extra, key, {
      value: (body as Record<string, unknown>)[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return extra;
}

/** Whether arrays and objects in `value` nest deeper than `budget` levels; stops as soon as they do. */
function exceedsDepth(value: unknown, budget: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (budget <= 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (exceedsDepth(item, budget - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (exceedsDepth((value as Record<string, unknown>)[key], budget - 1)) return true;
  }
  return false;
}

function invalid(reason: string, m?: unknown[], layout?: Layout): JampError {
  return new JampError("invalid-message", `invalid JAMP message: ${reason}`, {
    data: m === undefined || layout === undefined ? {} : recover(m, layout),
  });
}

/** The addressing slots of a rejected message that are well formed, so the peer can answer it. */
function recover(m: unknown[], layout: Layout): InvalidMessageData {
  const hasId = layout.slots[0] === "id";
  const to: unknown = m[hasId ? 2 : 1];
  const from: unknown = m[hasId ? 3 : 2];
  const data: { kind: MessageKind; id?: QueryId; to?: string; from?: string } = { kind: layout.kind };
  if (hasId && isQueryId(m[1])) data.id = m[1];
  if (typeof to === "string") data.to = to;
  if (typeof from === "string") data.from = from;
  return data;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return value.length > 40
        ? `the string ${JSON.stringify(value.slice(0, 40))}...`
        : `the string ${JSON.stringify(value)}`;
    case "number":
    case "boolean":
      return `${typeof value} ${String(value)}`;
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return "a value that cannot be printed was thrown";
  }
}
