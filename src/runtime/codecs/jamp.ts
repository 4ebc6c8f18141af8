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
import { answerRecovered, wireType, type Codec, type FrameCodec, type InvalidMessageData } from "./codec.js";
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

/** What a slot is named after the message field it holds; its name says how it is checked. */
type Slot = "id" | "to" | "from" | "method" | "args" | "result" | "error" | "values" | "credit";

interface Layout {
  /** The type in slot 0. */
  readonly type: string;
  readonly kind: MessageKind;
  /** The slots after the type, each named as the message field it holds (also in error messages). */
  readonly slots: readonly Slot[];
}

/** Each message's type on the wire, its kind and its slots: reading and writing both follow this table. */
const layouts: readonly Layout[] = [
  layout("send", "to from method args"),
  layout("query", "id to from method args"),
  layout("reply", "id to from result"),
  layout("error-query", "id to from error", "query-error"),
  layout("error", "to from error"),
  layout("stream", "id to from method args credit"),
  layout("stream-result", "id to from values"),
  layout("stream-complete", "id to from"),
  layout("stream-error", "id to from error"),
  layout("stream-cancel", "id to from"),
  layout("stream-credit", "id to from credit"),
];

/** A row of the table: the type, the slots after it (space-separated), the kind when it is not the type. */
/* @__NO_SIDE_EFFECTS__ */
function layout(type: string, slots: string, kind = type): Layout {
  return { type, kind: kind as MessageKind, slots: slots.split(" ") as Slot[] };
}

const byType: ReadonlyMap<string, Layout> = /* @__PURE__ */ new Map(layouts.map((layout) => [layout.type, layout]));

const byKind: ReadonlyMap<string, Layout> = /* @__PURE__ */ new Map(layouts.map((layout) => [layout.kind, layout]));

/** Makes a JAMP codec with its own limits; {@link jampCodec} uses the defaults. */
export function createJampCodec(options: JampCodecOptions = {}): FrameCodec {
  return {
    ...readerWriter(options.maxDepth ?? defaultMaxDepth),
    kinds: new Set(byKind.keys() as Iterable<MessageKind>),
    recognizes: isJamp,
    answerInvalid: (error, self) => answerRecovered(error, self, true),
    answerUnrecognised: () => undefined,
  };
}

/** The codec's reading and writing, without what only a side recognising formats or answering calls needs. */
function readerWriter(maxDepth: number): Codec & { read(value: unknown): Message } {
  const read = (value: unknown): Message => readJamp(value, maxDepth);
  return { name: "jamp", encode: encodeJamp, decode: (frame) => read(parseFrame(frame, "JAMP")), read };
}

export const jampCodec: FrameCodec = /* @__PURE__ */ createJampCodec();

/**
 * @internal {@link jampCodec} as a plain `Codec`: the same reading and writing, without recognising frames
 * among formats or answering rejected calls, which a side that only calls never does. `connectCaller`'s
 * default, so that a page calling in JAMP carries no more of the codec than it runs.
 */
export const jampCallCodec: Codec = /* @__PURE__ */ readerWriter(defaultMaxDepth);

/** An array whose type slot is a string and whose slot 1 is no headers object. */
function isJamp(value: unknown): boolean {
  if (!Array.isArray(value) || typeof value[0] !== "string") return false;
  const second: unknown = value[1];
  return typeof second !== "object" || Array.isArray(second);
}

function encodeJamp(message: Message): string {
  refuseHeaders(message, "JAMP");
  // What decode refuses is refused here, so that every frame this codec writes is one it reads.
  for (const slot of ["id", "credit"] as const) {
    const value: unknown = (message as Partial<Record<Slot, unknown>>)[slot];
    const want = slot in message ? expected(slot, value) : undefined;
    if (want !== undefined) throw unencodable(message, `its ${slot} must be ${want}, got ${describe(value)}`);
  }
  const layout = byKind.get(message.kind);
  if (layout === undefined) throw unencodable(message, "the format has no such message");
  const slots: unknown[] = [layout.type];
  const fields = message as unknown as Record<Slot, unknown>;
  for (const slot of layout.slots) {
    // Baratine's server sends a stream-error without detail; this layout always has it.
    if (slot === "error") slots.push(wireErrorBody((fields.error as ErrorBody | undefined) ?? noDetail));
    else slots.push(slot === "args" ? positional(message as Message & { kind: "send" | "query" | "stream" }) : fields[slot]);
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
  if (!Array.isArray(m)) throw invalid(`must be a JSON array, got ${describe(m)}`);
  if (m.length === 0) throw invalid("must not be an empty array");
  const type: unknown = m[0];
  if (typeof type !== "string") throw invalid(`slot 0 (message type) must be a string, got ${describe(type)}`);
  const layout = byType.get(type);
  if (layout === undefined) throw invalid(`unknown message type ${JSON.stringify(type.slice(0, 40))}`);
  if (m.length !== layout.slots.length + 1) {
    const shape = `[${["type", ...layout.slots].join(", ")}]`;
    throw invalid(`a ${type} message has ${layout.slots.length + 1} slots ${shape}, got ${m.length}`, m, layout);
  }
  const message = readMessage(m, layout);
  if (exceedsDepth(m, maxDepth)) throw invalid(`nests deeper than ${maxDepth} levels`, m, layout);
  return message;
}

function readMessage(m: unknown[], layout: Layout): Message {
  const message: Record<string, unknown> = { kind: layout.kind };
  for (let index = 1; index < m.length; index++) message[layout.slots[index - 1]!] = readSlot(m, index, layout);
  return message as unknown as Message;
}

/** The value of slot `index`, checked as its name says: ids, strings, arrays, credits, error bodies, any result. */
function readSlot(m: unknown[], index: number, layout: Layout): unknown {
  const value = m[index];
  const slot = layout.slots[index - 1]!;
  if (slot === "result") return value;
  if (slot === "error") return readErrorBody(m, index, layout);
  const want = expected(slot, value);
  if (want === undefined) return value;
  throw slotError(m, index, layout, `must be ${want}`, value);
}

/** What a slot other than a result or an error must hold, or `undefined` when `value` is that. */
function expected(slot: Slot, value: unknown): string | undefined {
  const natural = Number.isSafeInteger(value) && (value as number) >= 0;
  switch (slot) {
    case "id":
      return natural || typeof value === "string" ? undefined : "an integer from 0 to 2^53-1 or a string";
    case "credit":
      return natural ? undefined : "an integer from 0 to 2^53-1";
    case "args":
    case "values":
      return Array.isArray(value) ? undefined : "an array";
    default:
      return typeof value === "string" ? undefined : "a string";
  }
}

function slotError(m: unknown[], index: number, layout: Layout, problem: string, value: unknown): JampError {
  return invalid(`slot ${index} (${layout.slots[index - 1]}) ${problem}, got ${describe(value)}`, m, layout);
}

function isQueryId(value: unknown): value is QueryId {
  return expected("id", value) === undefined;
}

function readErrorBody(m: unknown[], index: number, layout: Layout): ErrorBody {
  const value = m[index];
  if (!isRecord(value)) throw slotError(m, index, layout, "must be an object", value);
  const type = ownValue(value, "type");
  if (typeof type !== "string" || type === "") throw slotError(m, index, layout, 'needs a non-empty string "type"', type);
  const message = ownValue(value, "message");
  if (typeof message !== "string") throw slotError(m, index, layout, 'needs a string "message"', message);
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
