/**
 * JAMP as Caucho Baratine speaks it ("JAMP/B", PROTOCOLS.md 1.4): one JSON array per message, slot 0 the
 * type, slot 1 a headers object, arguments spread inline after the method.
 *
 *   ["send",            H, to, method, arg1, ...]
 *   ["query",           H, from, id, to, method, arg1, ...]
 *   ["reply",           H, to, id, result]
 *   ["error",           H, to, id, {code, message, ...}]          (kind "query-error")
 *   ["stream",          H, from, id, credit, to, method, arg1, ...]
 *   ["stream-result",   H, to, id, [value1, ...]]
 *   ["stream-complete", H, to, id]
 *   ["stream-error",    H, to, id, {code, message, ...}?]
 *   ["stream-cancel",   H, from, id]
 *   ["stream-credit",   H, from, id, credit]                       (ours: Baratine has no credit refill)
 *
 * Addresses the layout lacks (a send's sender, an answer's responder) are `""`. Headers `{}` and `null` read
 * as none. Query ids are JSON integers, as Baratine's parser demands; credits are integers from 0. There is
 * no error without a query id, so a failed send is not answered.
 *
 * Errors carry Baratine's codes, mapped both ways to the runtime's types (table below); a type no code
 * stands for travels as `UNKNOWN` plus a `type` member, and `data` as a `data` member. Read back, `type` wins
 * over `code`, and members other than code, message and type (Baratine's `class`) are kept in `data` when
 * there is no `data` member. The older spread form `["error", H, to, id, code, message, class]` is read too.
 *
 * Recognised by a server (PROTOCOLS.md 1.7): an array whose slot 0 is a string and whose slot 1 is an object
 * or `null`.
 */

import { JampError, type ErrorBody } from "../errors.js";
import type { Headers, Message, MessageKind, QueryId } from "../message.js";
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
  stringify,
} from "./json.js";

/**
 * Baratine's error code for each runtime error type that has one (ErrorCodesAmp), and ours for a refused
 * call, which Baratine has no code for (read back by the kebab-case rule below too).
 */
const codeOfType = new Map<string, string>([
  ["service-not-found", "service_not_found"],
  ["method-not-found", "method_not_found"],
  ["invalid-arguments", "illegal_argument"],
  ["limit-exceeded", "queue_full"],
  ["connection-closed", "connect_failed"],
  ["internal-error", "UNKNOWN"],
  ["unauthorized", "unauthorized"],
  ["forbidden", "forbidden"],
]);

/** The runtime error type of each Baratine code; others become their kebab-case (`illegal_state`: `illegal-state`). */
const typeOfCode = new Map<string, string>([
  ...[...codeOfType].map(([type, code]): [string, string] => [code, type]),
  ["execution_exception", "internal-error"],
  ["query_exception", "internal-error"],
]);

interface Layout {
  readonly kind: MessageKind;
  /** Slot names after the headers; `args` takes every slot from there on. */
  readonly slots: readonly string[];
  /** The fewest slots, type and headers included. */
  readonly least: number;
  /** The most slots; absent where arguments are spread, or an error detail may be (older servers spread it too). */
  readonly most?: number;
}

const layouts = new Map<string, Layout>([
  ["send", { kind: "send", slots: ["to", "method", "args"], least: 4 }],
  ["query", { kind: "query", slots: ["from", "id", "to", "method", "args"], least: 6 }],
  ["reply", { kind: "reply", slots: ["to", "id", "result"], least: 5, most: 5 }],
  ["error", { kind: "query-error", slots: ["to", "id", "error"], least: 5 }],
  ["stream", { kind: "stream", slots: ["from", "id", "credit", "to", "method", "args"], least: 7 }],
  ["stream-result", { kind: "stream-result", slots: ["to", "id", "values"], least: 5, most: 5 }],
  ["stream-complete", { kind: "stream-complete", slots: ["to", "id"], least: 4, most: 4 }],
  ["stream-error", { kind: "stream-error", slots: ["to", "id", "error"], least: 4 }],
  ["stream-cancel", { kind: "stream-cancel", slots: ["from", "id"], least: 4, most: 4 }],
  ["stream-credit", { kind: "stream-credit", slots: ["from", "id", "credit"], least: 5, most: 5 }],
]);

const kinds: ReadonlySet<MessageKind> = new Set([...layouts.values()].map((layout) => layout.kind));

export interface JampBCodecOptions {
  /** The deepest nesting of arrays and objects a frame may hold, the message array counting as 1. Default 128. */
  readonly maxDepth?: number;
}

/** Makes a JAMP/B codec with its own limits; {@link jampBCodec} uses the defaults. */
export function createJampBCodec(options: JampBCodecOptions = {}): FrameCodec {
  const maxDepth = options.maxDepth ?? defaultMaxDepth;
  const read = (value: unknown): Message => readJampB(value, maxDepth);
  return {
    name: "jamp-b",
    kinds,
    encode: encodeJampB,
    decode: (frame) => read(parseFrame(frame, "JAMP/B")),
    recognizes: isJampB,
    read,
    answerInvalid,
    answerUnrecognised: () => undefined,
  };
}

export const jampBCodec: FrameCodec = createJampBCodec();

/** An array whose type slot is a string and whose slot 1 is an object or `null`: the headers. */
function isJampB(value: unknown): boolean {
  if (!Array.isArray(value) || typeof value[0] !== "string") return false;
  const second: unknown = value[1];
  return second === null || isRecord(second);
}

function encodeJampB(message: Message): string {
  const h = message.headers ?? {};
  let slots: unknown[];
  switch (message.kind) {
    case "send":
      slots = ["send", h, message.to, message.method, ...positional(message)];
      break;
    case "query":
      slots = ["query", h, message.from, id(message), message.to, message.method, ...positional(message)];
      break;
    case "reply":
      slots = ["reply", h, message.to, id(message), message.result];
      break;
    case "query-error":
      slots = ["error", h, message.to, id(message), detailOf(message.error)];
      break;
    case "stream":
      slots = [
        "stream",
        h,
        message.from,
        id(message),
        credit(message),
        message.to,
        message.method,
        ...positional(message),
      ];
      break;
    case "stream-result":
      slots = ["stream-result", h, message.to, id(message), message.values];
      break;
    case "stream-complete":
      slots = ["stream-complete", h, message.to, id(message)];
      break;
    case "stream-error":
      slots = ["stream-error", h, message.to, id(message)];
      if (message.error !== undefined) slots.push(detailOf(message.error));
      break;
    case "stream-cancel":
      slots = ["stream-cancel", h, message.from, id(message)];
      break;
    case "stream-credit":
      slots = ["stream-credit", h, message.from, id(message), credit(message)];
      break;
    default:
      throw new JampError("invalid-message", `JAMP/B has no ${message.kind} message (no error without a query id)`);
  }
  return stringify(slots, message.kind);
}

/** A stream's credit; one decode would refuse (negative, fractional) is refused here too. */
function credit(message: Message & { credit: number }): number {
  if (isCredit(message.credit)) return message.credit;
  throw new JampError(
    "invalid-message",
    `JAMP/B credits are integers from 0 to 2^53-1, this ${message.kind} has ${describe(message.credit)}`,
  );
}

function id(message: Message & { id: QueryId }): number {
  if (Number.isSafeInteger(message.id)) return message.id as number;
  throw new JampError(
    "invalid-message",
    `JAMP/B query ids are integers, this ${message.kind} has ${describe(message.id)}`,
  );
}

function positional(message: Message & { kind: "send" | "query" | "stream" }): readonly unknown[] {
  if (message.named === undefined) return message.args;
  throw new JampError("invalid-message", `JAMP/B passes arguments by position; this ${message.kind} has them by name`);
}

/** Baratine's error object for `error`: its code, plus our type where the code does not give it back. */
function detailOf(error: ErrorBody): Record<string, unknown> {
  const type = wireType(error);
  const code = codeOfType.get(type) ?? "UNKNOWN";
  const detail: Record<string, unknown> = { code, message: error.message };
  if (typeOfCode.get(code) !== type) detail["type"] = type;
  if (error.data !== undefined) detail["data"] = error.data;
  return detail;
}

function readJampB(m: unknown, maxDepth: number): Message {
  if (!Array.isArray(m)) throw invalid(`a JAMP/B message must be a JSON array, got ${describe(m)}`);
  const type: unknown = m[0];
  if (typeof type !== "string") throw invalid(`slot 0 (message type) must be a string, got ${describe(type)}`);
  const layout = layouts.get(type);
  if (layout === undefined) throw invalid(`unknown message type ${JSON.stringify(type.slice(0, 40))}`);
  const { least, most } = layout;
  if (m.length < least || m.length > (most ?? Infinity)) {
    const shape = `[${["type", "headers", ...layout.slots].join(", ")}${most === undefined ? ", ..." : ""}]`;
    const count = most === undefined ? `at least ${least}` : `${least}`;
    throw invalid(`a ${type} message has ${count} slots ${shape}, got ${m.length}`, m, layout);
  }
  const message = readMessage(m, layout);
  if (exceedsDepth(m, maxDepth)) throw invalid(`the message nests deeper than ${maxDepth} levels`, m, layout);
  return message;
}

/** Reads the slots of a message whose arity was checked. */
function readMessage(m: unknown[], layout: Layout): Message {
  const slot = new Slots(m, layout);
  const headers = slot.headers();
  const carried = headers === undefined ? {} : { headers };
  switch (layout.kind) {
    case "send":
      return {
        kind: "send",
        to: slot.string("to"),
        from: "",
        method: slot.string("method"),
        args: m.slice(4),
        ...carried,
      };
    case "query":
      return {
        kind: "query",
        id: slot.id(),
        to: slot.string("to"),
        from: slot.string("from"),
        method: slot.string("method"),
        args: m.slice(6),
        ...carried,
      };
    case "reply":
      return { kind: "reply", id: slot.id(), to: slot.string("to"), from: "", result: m[4], ...carried };
    case "query-error":
      return {
        kind: "query-error",
        id: slot.id(),
        to: slot.string("to"),
        from: "",
        error: readDetail(m, 4),
        ...carried,
      };
    case "stream":
      return {
        kind: "stream",
        id: slot.id(),
        to: slot.string("to"),
        from: slot.string("from"),
        method: slot.string("method"),
        args: m.slice(7),
        credit: slot.credit(),
        ...carried,
      };
    case "stream-result":
      return {
        kind: "stream-result",
        id: slot.id(),
        to: slot.string("to"),
        from: "",
        values: slot.array("values"),
        ...carried,
      };
    case "stream-complete":
      return { kind: "stream-complete", id: slot.id(), to: slot.string("to"), from: "", ...carried };
    case "stream-error": {
      const message = { kind: "stream-error", id: slot.id(), to: slot.string("to"), from: "", ...carried } as const;
      return m.length === 4 ? message : { ...message, error: readDetail(m, 4) };
    }
    case "stream-cancel":
      return { kind: "stream-cancel", id: slot.id(), to: "", from: slot.string("from"), ...carried };
    default:
      return {
        kind: "stream-credit",
        id: slot.id(),
        to: "",
        from: slot.string("from"),
        credit: slot.credit(),
        ...carried,
      };
  }
}

/** Typed access to the named slots of one message, failing with the slot's name and what it held. */
class Slots {
  constructor(
    readonly m: unknown[],
    readonly layout: Layout,
  ) {}

  headers(): Headers | undefined {
    const value = this.m[1];
    if (value === null) return undefined;
    if (!isRecord(value)) throw this.#wrong(1, "headers", "must be an object or null", value);
    return Object.keys(value).length === 0 ? undefined : value;
  }

  string(name: string): string {
    const [index, value] = this.#at(name);
    if (typeof value === "string") return value;
    throw this.#wrong(index, name, "must be a string", value);
  }

  id(): number {
    const [index, value] = this.#at("id");
    if (isId(value)) return value;
    throw this.#wrong(index, "id", "must be an integer from -(2^53-1) to 2^53-1", value);
  }

  credit(): number {
    const [index, value] = this.#at("credit");
    if (isCredit(value)) return value;
    throw this.#wrong(index, "credit", "must be an integer from 0 to 2^53-1", value);
  }

  array(name: string): readonly unknown[] {
    const [index, value] = this.#at(name);
    if (Array.isArray(value)) return value;
    throw this.#wrong(index, name, "must be an array", value);
  }

  #at(name: string): [number, unknown] {
    const index = this.layout.slots.indexOf(name) + 2;
    return [index, this.m[index]];
  }

  #wrong(index: number, name: string, rule: string, value: unknown): JampError {
    return invalid(`slot ${index} (${name}) ${rule}, got ${describe(value)}`, this.m, this.layout);
  }
}

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

function isCredit(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * The error detail from slot `index` on: an object `{code, message, ...}`, a bare value (client parsers
 * accept any), or the older spread form `code, message, class`.
 */
function readDetail(m: unknown[], index: number): ErrorBody {
  if (m.length > index + 1) {
    const [code, message, className] = m.slice(index);
    return readDetailObject(className === undefined ? { code, message } : { code, message, class: className });
  }
  const value = m[index];
  if (isRecord(value)) return readDetailObject(value);
  if (typeof value === "string") return { type: "internal-error", message: value };
  return { type: "internal-error", message: "the peer sent an error without a message", data: value };
}

function readDetailObject(detail: Record<string, unknown>): ErrorBody {
  const code = ownValue(detail, "code");
  const named = ownValue(detail, "type");
  const text = ownValue(detail, "message");
  const type = typeof named === "string" && named !== "" ? named : typeOf(code);
  const message = typeof text === "string" ? text : "the peer sent an error without a message";
  if (Object.hasOwn(detail, "data")) return { type, message, data: ownValue(detail, "data") };
  const others = otherMembers(detail, ["code", "message", "type"]);
  return others === undefined ? { type, message } : { type, message, data: others };
}

function typeOf(code: unknown): string {
  if (typeof code !== "string" || code === "") return "internal-error";
  return typeOfCode.get(code) ?? code.toLowerCase().replaceAll("_", "-");
}

function invalid(reason: string, m?: unknown[], layout?: Layout): JampError {
  return invalidMessage("JAMP/B", reason, m === undefined || layout === undefined ? {} : recover(m, layout));
}

/** The addressing slots of a rejected message that are well formed, so the peer can answer it. */
function recover(m: unknown[], layout: Layout): InvalidMessageData {
  const data: { kind: MessageKind; id?: QueryId; to?: string; from?: string } = { kind: layout.kind };
  const at = (name: string): unknown => (layout.slots.includes(name) ? m[layout.slots.indexOf(name) + 2] : undefined);
  const [id, to, from] = [at("id"), at("to"), at("from")];
  if (isId(id)) data.id = id;
  if (typeof to === "string") data.to = to;
  if (typeof from === "string") data.from = from;
  return data;
}

/** A query or stream with a readable id and sender gets an `error` or `stream-error`; nothing else is answered. */
function answerInvalid(error: JampError, self: string): Message | undefined {
  return answerRecovered(error, self, false);
}
