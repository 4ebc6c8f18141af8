/**
 * JSON-RPC 2.0 (PROTOCOLS.md 2.2-2.4): one JSON object per message, or a batch, an array of them.
 *
 *   {"jsonrpc": "2.0", "method": "Calculator.add", "params": [1, 2], "id": 1}     query
 *   {"jsonrpc": "2.0", "method": "Calculator.reset"}                               send (a notification)
 *   {"jsonrpc": "2.0", "result": 3, "id": 1}                                       reply
 *   {"jsonrpc": "2.0", "error": {"code": -32601, "message": "...", "data": {"type": "method-not-found"}}, "id": 1}
 *
 * Nothing is addressed: `to` and `from` are `""`, and the method name `Interface.method` names the service
 * (`service`) and its method; a name without a dot names a method of the service bound at address `""`.
 * `params` may be an array (by position) or an object (by name, `named`); absent or `null` means none. Ids
 * are strings, numbers or `null`, echoed exactly (see `readId` for the numbers that cannot be). Errors map
 * as `json-rpc.ts` describes. There is no error without an id: a failed notification is never answered.
 * There are no headers either: a message with headers is refused (`invalid-message`), not sent without them.
 *
 * Batches: an empty one is answered by one Invalid Request object; each entry that is not a request is
 * answered by an Invalid Request of its own (id `null` unless its id was readable); the answers go back
 * together in one array, and a batch of notifications only is answered by nothing at all.
 *
 * Recognised by a server: an object with a `jsonrpc` member, or an array whose first element is not a
 * string (a batch; JAMP arrays start with their type string).
 */

import { JampError } from "../errors.js";
import type { Message, MessageKind, QueryId } from "../message.js";
import type { Batch, FrameCodec, InvalidMessageData } from "./codec.js";
import { recoveredData } from "./codec.js";
import {
  invalidRequest,
  isWireError,
  methodName,
  parseError,
  readId,
  readWireError,
  splitMethodName,
  wireError,
  writableId,
} from "./json-rpc.js";
import {
  defaultMaxDepth,
  describe,
  exceedsDepth,
  invalidMessage,
  isRecord,
  ownValue,
  parseFrame,
  refuseHeaders,
  stringify,
} from "./json.js";

const kinds: ReadonlySet<MessageKind> = new Set(["send", "query", "reply", "query-error"]);
const defaultMaxBatch = 1000;

export interface JsonRpc2CodecOptions {
  /** The deepest nesting of arrays and objects a frame may hold, a batch array counting as 1. Default 128. */
  readonly maxDepth?: number;
  /**
   * The most entries a batch may hold; a longer one is refused whole, with one Invalid Request. Default
   * 1000: each entry may start a handler, and the frame size limit alone would let one frame start 100,000.
   */
  readonly maxBatch?: number;
}

/** Makes a JSON-RPC 2.0 codec with its own limits; {@link jsonRpc2Codec} uses the defaults. */
export function createJsonRpc2Codec(options: JsonRpc2CodecOptions = {}): FrameCodec {
  const maxDepth = options.maxDepth ?? defaultMaxDepth;
  const maxBatch = options.maxBatch ?? defaultMaxBatch;
  const read = (value: unknown): Message | Batch => readFrame(value, maxDepth, maxBatch);
  return {
    name: "jsonrpc2",
    kinds,
    encode: (message) => {
      refuseHeaders(message, "JSON-RPC 2.0");
      return stringify(wireObject(message), message.kind);
    },
    decode(frame) {
      const message = read(parseFrame(frame, "JSON-RPC 2.0"));
      if (message.kind !== "batch") return message;
      throw invalid("a batch holds several messages; a peer reads it with read()");
    },
    recognizes: isJsonRpc2,
    read,
    joinBatch: (frames) => `[${frames.join(",")}]`,
    answerInvalid(error, self) {
      const { kind, id } = recoveredData(error.data);
      if (kind === "reply" || kind === "query-error") return undefined;
      return {
        kind: "query-error",
        id: id ?? null,
        to: "",
        from: self,
        error: { type: error.type, message: error.message },
      };
    },
    answerUnrecognised(error, parsed) {
      const code = parsed ? invalidRequest : parseError;
      return JSON.stringify({ jsonrpc: "2.0", error: wireError(error, code), id: null });
    },
  };
}

export const jsonRpc2Codec: FrameCodec = createJsonRpc2Codec();

function isJsonRpc2(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0 || typeof value[0] !== "string";
  return isRecord(value) && Object.hasOwn(value, "jsonrpc");
}

/** The JSON object of `message`, members in the order the specification's examples use. */
function wireObject(message: Message): object {
  switch (message.kind) {
    case "send":
    case "query": {
      const method = methodName(message.method, message.service);
      const params = message.named ?? (message.args.length === 0 ? undefined : message.args);
      const request: Record<string, unknown> = { jsonrpc: "2.0", method };
      if (params !== undefined) request["params"] = params;
      if (message.kind === "query") request["id"] = writableId(message.id, message.kind, "JSON-RPC 2.0");
      return request;
    }
    case "reply":
      return {
        jsonrpc: "2.0",
        result: message.result === undefined ? null : message.result,
        id: writableId(message.id, message.kind, "JSON-RPC 2.0"),
      };
    case "query-error":
      return {
        jsonrpc: "2.0",
        error: wireError(message.error),
        id: writableId(message.id, message.kind, "JSON-RPC 2.0"),
      };
    default:
      throw new JampError("invalid-message", `JSON-RPC 2.0 has no ${message.kind} message`);
  }
}

function readFrame(value: unknown, maxDepth: number, maxBatch: number): Message | Batch {
  if (Array.isArray(value)) {
    if (value.length === 0) throw invalid("an empty batch", { kind: "query" });
    if (value.length > maxBatch) {
      throw invalid(`a batch holds at most ${maxBatch} entries, this one ${value.length}`, { kind: "query" });
    }
    if (exceedsDepth(value, maxDepth))
      throw invalid(`the batch nests deeper than ${maxDepth} levels`, { kind: "query" });
    return { kind: "batch", entries: value.map(readEntry) };
  }
  const message = readObject(value);
  if (exceedsDepth(value, maxDepth)) {
    throw invalid(`the message nests deeper than ${maxDepth} levels`, recover(value as Record<string, unknown>));
  }
  return message;
}

function readEntry(entry: unknown): Message | JampError {
  try {
    return readObject(entry);
  } catch (error) {
    return error as JampError;
  }
}

function readObject(o: unknown): Message {
  if (!isRecord(o)) throw invalid(`a request must be a JSON object, got ${describe(o)}`, { kind: "query" });
  const jsonrpc = ownValue(o, "jsonrpc");
  if (jsonrpc !== "2.0") throw invalid(`"jsonrpc" must be "2.0", got ${describe(jsonrpc)}`, recover(o));
  if (Object.hasOwn(o, "method")) return readRequest(o);
  if (Object.hasOwn(o, "result") || Object.hasOwn(o, "error")) return readResponse(o);
  throw invalid('an object with neither "method" nor "result" nor "error"', recover(o));
}

function readRequest(o: Record<string, unknown>): Message {
  const method = ownValue(o, "method");
  if (typeof method !== "string") throw invalid(`"method" must be a string, got ${describe(method)}`, recover(o));
  const hasId = Object.hasOwn(o, "id");
  const id = hasId ? readId(o["id"]) : undefined;
  if (hasId && id === undefined) {
    throw invalid(
      `"id" must be a string, null or a number JavaScript reads exactly, got ${describe(o["id"])}`,
      recover(o),
    );
  }
  const params = ownValue(o, "params");
  const call = { to: "", from: "", ...splitMethodName(method) };
  let args: Pick<Message & { kind: "query" }, "args" | "named">;
  if (params === undefined || params === null) args = { args: [] };
  else if (Array.isArray(params)) args = { args: params };
  else if (isRecord(params)) args = { args: [], named: params };
  else throw invalid(`"params" must be an array or an object, got ${describe(params)}`, recover(o));
  return hasId ? { kind: "query", id: id as QueryId, ...call, ...args } : { kind: "send", ...call, ...args };
}

function readResponse(o: Record<string, unknown>): Message {
  const id = readId(ownValue(o, "id"));
  if (!Object.hasOwn(o, "id") || id === undefined) {
    throw invalid(`a response needs an "id" that is a string, a number or null, got ${describe(o["id"])}`, recover(o));
  }
  if (Object.hasOwn(o, "result") && Object.hasOwn(o, "error")) {
    throw invalid('a response has "result" or "error", not both', recover(o));
  }
  if (Object.hasOwn(o, "result")) return { kind: "reply", id, to: "", from: "", result: o["result"] };
  const error = o["error"];
  if (!isWireError(error)) {
    throw invalid(`"error" must be an object with an integer "code" and a string "message"`, recover(o));
  }
  return { kind: "query-error", id, to: "", from: "", error: readWireError(error) };
}

/** The kind an object was meant to be and its id, when readable, so that the peer can answer it. */
function recover(o: Record<string, unknown>): InvalidMessageData {
  const isResponse = !Object.hasOwn(o, "method") && (Object.hasOwn(o, "result") || Object.hasOwn(o, "error"));
  const id = Object.hasOwn(o, "id") ? readId(o["id"]) : undefined;
  const kind = isResponse ? "reply" : "query";
  return id === undefined ? { kind } : { kind, id };
}

function invalid(reason: string, data: InvalidMessageData = {}): JampError {
  return invalidMessage("JSON-RPC 2.0", reason, data);
}
