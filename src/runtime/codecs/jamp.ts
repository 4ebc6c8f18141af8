/**
 * JAMP, the 2012 draft layout (draft-ferg-jamp-v0): one JSON array per message, slot 0 the message type.
 *
 *   ["send",        to, from, method, [args]]
 *   ["query",   id, to, from, method, [args]]
 *   ["reply",   id, to, from, result]
 *   ["error-query", id, to, from, {type, message, data?}]      (kind "query-error")
 *   ["error",       to, from, {type, message, data?}]
 *
 * Streams, our extension (the draft has none): the names and meanings of JAMP/B's stream messages in the
 * draft's own layout (id after the type, then to, from; arguments as one array), the credit last.
 *
 *   ["stream",          id, to, from, method, [args], credit]
 *   ["stream-result",   id, to, from, [value1, ...]]
 *   ["stream-complete", id, to, from]
 *   ["stream-error",    id, to, from, {type, message, data?}]
 *   ["stream-cancel",   id, to, from]
 *   ["stream-credit",   id, to, from, credit]
 *
 * Decoding is strict: exact arity, typed slots, query ids that are integers from 0 to 2^53-1 or strings
 * (echoed exactly), and a bounded nesting depth. Error bodies need a non-empty string `type` and a string
 * `message`; a `data` member is kept as is. Other members are tolerated: when there is no `data` member they
 * are kept, gathered into `data`, so what another implementation sends is not lost; otherwise they are ignored.
 *
 * Recognised by a server (PROTOCOLS.md 1.7): an array whose slot 0 is a string and whose slot 1 is not an
 * object or `null` (that is JAMP/B's headers slot), which holds for the stream messages too. Arguments
 * travel by position only; headers have no place in this layout, so a message with headers is refused
 * (`invalid-message`) rather than sent without them.
 */

import { JampError, type ErrorBody } from "../errors.js";
import type { Message, MessageKind, QueryId } from "../message.js";
import { answerRecovered, wireType, type FrameCodec, type InvalidMessageData } from "./codec.js";
import {
  defaultMaxDepth,
  describe,
  exceedsDepth,
  invalidMessage,
  isRecord,
  ownValue,
  otherMembers,
  parseFrame,
  refuseHeaders,
  stringify,
} from "./json.js";

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
  ["stream", { kind: "stream", slots: ["id", "to", "from", "method", "args", "credit"] }],
  ["stream-result", { kind: "stream-result", slots: ["id", "to", "from", "values"] }],
  ["stream-complete", { kind: "stream-complete", slots: ["id", "to", "from"] }],
  ["stream-error", { kind: "stream-error", slots: ["id", "to", "from", "error"] }],
  ["stream-cancel", { kind: "stream-cancel", slots: ["id", "to", "from"] }],
  ["stream-credit", { kind: "stream-credit", slots: ["id", "to", "from", "credit"] }],
]);

const kinds: ReadonlySet<MessageKind> = new Set([...layouts.values()].map((layout) => layout.kind));

/** Makes a JAMP codec with its own limits; {@link jampCodec} uses the defaults. */
export function createJampCodec(options: JampCodecOptions = {}): FrameCodec {
  const maxDepth = options.maxDepth ?? defaultMaxDepth;
  const read = (value: unknown): Message => readJamp(value, maxDepth);
  return {
    name: "jamp",
    kinds,
    encode: encodeJamp,
    decode: (frame) => read(parseFrame(frame, "JAMP")),
    recognizes: isJamp,
    read,
    answerInvalid: (error, self) => answerRecovered(error, self, true),
    answerUnrecognised: () => undefined,
  };
}

export const jampCodec: FrameCodec = createJampCodec();

/** An array whose type slot is a string and whose slot 1 is no headers object. */
function isJamp(value: unknown): boolean {
  if (!Array.isArray(value) || typeof value[0] !== "string") return false;
  const second: unknown = value[1];
  return typeof second !== "object" || Array.isArray(second);
}

function encodeJamp(message: Message): string {
  refuseHeaders(message, "JAMP");
  // What decode refuses is refused here, so that every frame this codec writes is one it reads.
  if ("id" in message && !isQueryId(message.id)) {
    throw unencodable(message, `query ids are integers from 0 to 2^53-1 or strings, got ${describe(message.id)}`);
  }
  if ("credit" in message && !isCredit(message.credit)) {
    throw unencodable(message, `credits are integers from 0 to 2^53-1, got ${describe(message.credit)}`);
  }
  let slots: unknown[];
  switch (message.kind) {
    case "send":
      slots = ["send", message.to, message.from, message.method, positional(message)];
      break;
    case "query":
      slots = ["query", message.id, message.to, message.from, message.method, positional(message)];
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
    case "stream":
      slots = ["stream", message.id, message.to, message.from, message.method, positional(message), message.credit];
      break;
    case "stream-result":
      slots = ["stream-result", message.id, message.to, message.from, message.values];
      break;
    case "stream-complete":
    case "stream-cancel":
      slots = [message.kind, message.id, message.to, message.from];
      break;
    case "stream-error":
      // Baratine's server sends a stream-error without detail; this layout always has it.
      slots = ["stream-error", message.id, message.to, message.from, wireErrorBody(message.error ?? noDetail)];
      break;
    case "stream-credit":
      slots = ["stream-credit", message.id, message.to, message.from, message.credit];
      break;
  }
  return stringify(slots, message.kind);
}

function unencodable(message: Message, reason: string): JampError {
  return new JampError("invalid-message", `cannot encode the ${message.kind} message in JAMP: ${reason}`);
}

const noDetail: ErrorBody = { type: "internal-error", message: "the stream failed" };

function positional(message: Message & { kind: "send" | "query" | "stream" }): readonly unknown[] {
  if (message.named === undefined) return message.args;
  throw new JampError("invalid-message", `JAMP passes arguments by position; this ${message.kind} has them by name`);
}

function wireErrorBody(error: ErrorBody): ErrorBody {
  const type = wireType(error);
  const { message, data } = error;
  return data === undefined ? { type, message } : { type, message, data };
}

function readJamp(m: unknown, maxDepth: number): Message {
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
    default:
      return readStreamMessage(m, layout);
  }
}

/** The stream messages: id, to and from in slots 1 to 3, as for queries. */
function readStreamMessage(m: unknown[], layout: Layout): Message {
  const id = readId(m, layout);
  const to = readString(m, 2, layout);
  const from = readString(m, 3, layout);
  switch (layout.kind) {
    case "stream":
      return {
        kind: "stream",
        id,
        to,
        from,
        method: readString(m, 4, layout),
        args: readArgs(m, 5, layout),
        credit: readCredit(m, 6, layout),
      };
    case "stream-result":
      return { kind: "stream-result", id, to, from, values: readArgs(m, 4, layout) };
    case "stream-complete":
      return { kind: "stream-complete", id, to, from };
    case "stream-error":
      return { kind: "stream-error", id, to, from, error: readErrorBody(m, 4, layout) };
    case "stream-cancel":
      return { kind: "stream-cancel", id, to, from };
    default:
      return { kind: "stream-credit", id, to, from, credit: readCredit(m, 4, layout) };
  }
}

function isCredit(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function readCredit(m: unknown[], index: number, layout: Layout): number {
  const value = m[index];
  if (isCredit(value)) return value;
  throw invalid(`${slotName(index, layout)} must be an integer from 0 to 2^53-1, got ${describe(value)}`, m, layout);
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
  if (!isRecord(value))
    throw invalid(`${slotName(index, layout)} must be an object, got ${describe(value)}`, m, layout);
  const type = ownValue(value, "type");
  if (typeof type !== "string" || type === "") {
    throw invalid(`${slotName(index, layout)} needs a non-empty string "type", got ${describe(type)}`, m, layout);
  }
  const message = ownValue(value, "message");
  if (typeof message !== "string") {
    throw invalid(`${slotName(index, layout)} needs a string "message", got ${describe(message)}`, m, layout);
  }
  if (Object.hasOwn(value, "data")) return { type, message, data: ownValue(value, "data") };
  const extra = otherMembers(value, ["type", "message"]);
  return extra === undefined ? { type, message } : { type, message, data: extra };
}

function invalid(reason: string, m?: unknown[], layout?: Layout): JampError {
  return invalidMessage("JAMP", reason, m === undefined || layout === undefined ? {} : recover(m, layout));
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
