/**
 * JSON-RPC 1.0 (PROTOCOLS.md 2.1): one JSON object per message, every member always present.
 *
 *   {"method": "Calculator.add", "params": [1, 2], "id": 1}                        query
 *   {"method": "Calculator.reset", "params": [], "id": null}                       send (a notification)
 *   {"result": 3, "error": null, "id": 1}                                          reply
 *   {"result": null, "error": {"code": -32000, "message": "...", "data": {...}}, "id": 1}
 *
 * Method names and errors as JSON-RPC 2.0 (`json-rpc.ts`): 1.0 gives errors no shape, so the 2.0 error
 * object is written, and any value is read (a string is the message). Responses are written with every
 * member and read with `result` or `error` left out as `null`, as some implementations write them.
 * Parameters are positional only; a message with headers, which 1.0 has no place for, is refused. Ids are
 * strings or numbers (1.0 allows any value but `null`; objects and arrays are refused here), echoed
 * exactly. A failed notification is never answered; an invalid request is answered when its id was
 * readable, or missing (then with id `null`), but not when it was `null` (a notification).
 *
 * Recognised by a server: an object without `jsonrpc`, `HEAD` or `BODY` members, with a `method`, `params`,
 * `id`, `result` or `error` member.
 */

import { JampError } from "../errors.js";
import type { Message, MessageKind } from "../message.js";
import { recoveredData, type FrameCodec, type InvalidMessageData } from "./codec.js";
import {
  invalidRequest,
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

/** Members that mark another format's object. */
const foreign = ["jsonrpc", "HEAD", "BODY"];
const own = ["method", "params", "id", "result", "error"];

export interface JsonRpc1CodecOptions {
  /** The deepest nesting of arrays and objects a frame may hold, the message object counting as 1. Default 128. */
  readonly maxDepth?: number;
}

/** Makes a JSON-RPC 1.0 codec with its own limits; {@link jsonRpc1Codec} uses the defaults. */
export function createJsonRpc1Codec(options: JsonRpc1CodecOptions = {}): FrameCodec {
  const maxDepth = options.maxDepth ?? defaultMaxDepth;
  const read = (value: unknown): Message => readMessage(value, maxDepth);
  return {
    name: "jsonrpc1",
    kinds,
    encode: (message) => {
      refuseHeaders(message, "JSON-RPC 1.0");
      return stringify(wireObject(message), message.kind);
    },
    decode: (frame) => read(parseFrame(frame, "JSON-RPC 1.0")),
    recognizes: (value) =>
      isRecord(value) &&
      !foreign.some((key) => Object.hasOwn(value, key)) &&
      own.some((key) => Object.hasOwn(value, key)),
    read,
    answerInvalid(error, self) {
      const { kind, id } = recoveredData(error.data);
      if (kind !== "query") return undefined;
      return {
        kind: "query-error",
        id: id ?? null,
        to: "",
        from: self,
        error: { type: error.type, message: error.message },
      };
    },
    answerUnrecognised(error, parsed) {
      return JSON.stringify({ result: null, error: wireError(error, parsed ? invalidRequest : parseError), id: null });
    },
  };
}

export const jsonRpc1Codec: FrameCodec = createJsonRpc1Codec();

function wireObject(message: Message): object {
  switch (message.kind) {
    case "send":
    case "query":
      if (message.named !== undefined) {
        throw new JampError(
          "invalid-message",
          `JSON-RPC 1.0 passes arguments by position; this ${message.kind} has them by name`,
        );
      }
      if (message.kind === "query" && message.id === null) {
        throw new JampError("invalid-message", "a JSON-RPC 1.0 query needs an id: id null marks a notification");
      }
      return {
        method: methodName(message.method, message.service),
        params: message.args,
        id: message.kind === "query" ? writableId(message.id, message.kind, "JSON-RPC 1.0") : null,
      };
    case "reply":
      return {
        result: message.result === undefined ? null : message.result,
        error: null,
        id: writableId(message.id, message.kind, "JSON-RPC 1.0"),
      };
    case "query-error":
      return {
        result: null,
        error: wireError(message.error),
        id: writableId(message.id, message.kind, "JSON-RPC 1.0"),
      };
    default:
      throw new JampError("invalid-message", `JSON-RPC 1.0 has no ${message.kind} message`);
  }
}

function readMessage(o: unknown, maxDepth: number): Message {
  if (!isRecord(o)) throw invalid(`a message must be a JSON object, got ${describe(o)}`);
  const message = Object.hasOwn(o, "method") ? readRequest(o) : readResponse(o);
  if (exceedsDepth(o, maxDepth)) throw invalid(`the message nests deeper than ${maxDepth} levels`, recover(o));
  return message;
}

function readRequest(o: Record<string, unknown>): Message {
  const method = ownValue(o, "method");
  if (typeof method !== "string") throw invalid(`"method" must be a string, got ${describe(method)}`, recover(o));
  const params = ownValue(o, "params");
  if (!Array.isArray(params)) throw invalid(`"params" must be an array, got ${describe(params)}`, recover(o));
  const call = { to: "", from: "", ...splitMethodName(method), args: params };
  const id = readId(ownValue(o, "id"));
  if (id === null) return { kind: "send", ...call };
  if (id === undefined) {
    throw invalid(
      `"id" must be a string, a number JavaScript reads exactly or null, got ${describe(o["id"])}`,
      recover(o),
    );
  }
  return { kind: "query", id, ...call };
}

/** Read leniently: a member left out counts as `null` (jayson leaves `result` out of its 1.0 errors). */
function readResponse(o: Record<string, unknown>): Message {
  if (!Object.hasOwn(o, "id")) throw invalid('a response needs an "id"', recover(o));
  if (!Object.hasOwn(o, "result") && !Object.hasOwn(o, "error")) {
    throw invalid('a response needs a "result" or an "error"', recover(o));
  }
  const id = readId(o["id"]);
  if (id === undefined) throw invalid(`"id" must be a string, a number or null, got ${describe(o["id"])}`, recover(o));
  const result = ownValue(o, "result") ?? null;
  const error = ownValue(o, "error") ?? null;
  if (error === null) return { kind: "reply", id, to: "", from: "", result };
  if (result !== null) throw invalid('a response has a null "result" or a null "error"; both are set', recover(o));
  return { kind: "query-error", id, to: "", from: "", error: readWireError(error) };
}

/**
 * What the peer needs to answer a rejected message: its kind (a request with id `null` is a notification,
 * which is never answered) and its id when readable.
 */
function recover(o: Record<string, unknown>): InvalidMessageData {
  if (!Object.hasOwn(o, "method")) {
    const id = readId(o["id"]);
    return id === undefined ? { kind: "reply" } : { kind: "reply", id };
  }
  if (!Object.hasOwn(o, "id")) return { kind: "query" };
  const id = readId(o["id"]);
  if (id === null) return { kind: "send" };
  return id === undefined ? { kind: "query" } : { kind: "query", id };
}

function invalid(reason: string, data: InvalidMessageData = {}): JampError {
  return invalidMessage("JSON-RPC 1.0", reason, data);
}
