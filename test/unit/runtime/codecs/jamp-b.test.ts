import { describe, expect, it } from "vitest";
import { codecs } from "../../../../src/runtime/codecs/index.js";
import { createJampBCodec, jampBCodec } from "../../../../src/runtime/codecs/jamp-b.js";
import { JampError, knownErrorTypes } from "../../../../src/runtime/errors.js";
import type { Message } from "../../../../src/runtime/message.js";

/** The error `decode` threw, failing the test if it threw nothing or something else. */
function rejection(frame: string, codec = jampBCodec): JampError {
  try {
    codec.decode(frame);
  } catch (error) {
    expect(error).toBeInstanceOf(JampError);
    return error as JampError;
  }
  throw new Error(`decode accepted ${frame}`);
}

function encodeRejection(message: Message): JampError {
  try {
    jampBCodec.encode(message);
  } catch (error) {
    expect(error).toBeInstanceOf(JampError);
    return error as JampError;
  }
  throw new Error(`encode accepted a ${message.kind}`);
}

const body = { type: "division-by-zero", message: "cannot divide by zero" };

/** Each kind with its exact frame: the layouts of PROTOCOLS.md 1.4 (and `stream-credit`, ours). */
const layouts: { message: Message; frame: string }[] = [
  {
    message: { kind: "send", to: "/map/foo", from: "", method: "clear", args: [] },
    frame: '["send",{},"/map/foo","clear"]',
  },
  {
    message: { kind: "query", id: 1, to: "/calculator", from: "/client", method: "add", args: [1, 2] },
    frame: '["query",{},"/client",1,"/calculator","add",1,2]',
  },
  { message: { kind: "reply", id: 1, to: "/client", from: "", result: 3 }, frame: '["reply",{},"/client",1,3]' },
  {
    message: { kind: "query-error", id: 2, to: "/client", from: "", error: body },
    frame: '["error",{},"/client",2,{"code":"UNKNOWN","message":"cannot divide by zero","type":"division-by-zero"}]',
  },
  {
    message: { kind: "stream", id: 3, to: "/calculator", from: "/client", method: "count", args: [3], credit: 128 },
    frame: '["stream",{},"/client",3,128,"/calculator","count",3]',
  },
  {
    message: { kind: "stream-result", id: 3, to: "/client", from: "", values: [1, 2] },
    frame: '["stream-result",{},"/client",3,[1,2]]',
  },
  { message: { kind: "stream-complete", id: 3, to: "/client", from: "" }, frame: '["stream-complete",{},"/client",3]' },
  { message: { kind: "stream-error", id: 3, to: "/client", from: "" }, frame: '["stream-error",{},"/client",3]' },
  {
    message: {
      kind: "stream-error",
      id: 3,
      to: "/client",
      from: "",
      error: { type: "internal-error", message: "gone" },
    },
    frame: '["stream-error",{},"/client",3,{"code":"UNKNOWN","message":"gone"}]',
  },
  { message: { kind: "stream-cancel", id: 3, to: "", from: "/client" }, frame: '["stream-cancel",{},"/client",3]' },
  {
    message: { kind: "stream-credit", id: 3, to: "", from: "/client", credit: 64 },
    frame: '["stream-credit",{},"/client",3,64]',
  },
];

/** The runtime's error types and the Baratine code each travels as; `type` is added where the code is not enough. */
const codeTable: { type: string; code: string; typed: boolean }[] = [
  { type: "service-not-found", code: "service_not_found", typed: false },
  { type: "method-not-found", code: "method_not_found", typed: false },
  { type: "invalid-arguments", code: "illegal_argument", typed: false },
  { type: "limit-exceeded", code: "queue_full", typed: false },
  { type: "connection-closed", code: "connect_failed", typed: false },
  { type: "internal-error", code: "UNKNOWN", typed: false },
  { type: "unauthorized", code: "unauthorized", typed: false },
  { type: "forbidden", code: "forbidden", typed: false },
  { type: "invalid-message", code: "UNKNOWN", typed: true },
  { type: "timeout", code: "UNKNOWN", typed: true },
  { type: "cancelled", code: "UNKNOWN", typed: true },
  { type: "application-error", code: "UNKNOWN", typed: true },
  { type: "division-by-zero", code: "UNKNOWN", typed: true },
];

interface MalformedCase {
  readonly name: string;
  readonly frame: string;
  readonly reason: string;
  readonly data: object;
}

const malformed: MalformedCase[] = [
  { name: "an object", frame: '{"query": 1}', reason: "must be a JSON array, got an object", data: {} },
  {
    name: "an unknown type",
    frame: '["error-query",{},"/client",7,{}]',
    reason: 'unknown message type "error-query"',
    data: {},
  },
  {
    name: "a query id that is a string",
    frame: '["query",{},"/client","7","/foo","m"]',
    reason: 'slot 3 (id) must be an integer from -(2^53-1) to 2^53-1, got the string "7"',
    data: { kind: "query", to: "/foo", from: "/client" },
  },
  {
    name: "a query id that is a float",
    frame: '["query",{},"/client",1.5,"/foo","m"]',
    reason: "got number 1.5",
    data: { kind: "query", to: "/foo", from: "/client" },
  },
  {
    name: "a query without its method",
    frame: '["query",{},"/client",7,"/foo"]',
    reason: "a query message has at least 6 slots [type, headers, from, id, to, method, args, ...], got 5",
    data: { kind: "query", id: 7, to: "/foo", from: "/client" },
  },
  {
    name: "a reply with a trailing slot",
    frame: '["reply",{},"/client",7,3,4]',
    reason: "a reply message has 5 slots [type, headers, to, id, result], got 6",
    data: { kind: "reply", id: 7, to: "/client" },
  },
  {
    name: "headers that are an array",
    frame: '["send",[],"/foo","m"]',
    reason: "slot 1 (headers) must be an object or null, got an array",
    data: { kind: "send", to: "/foo" },
  },
  {
    name: "a stream without credit",
    frame: '["stream",{},"/client",3,"/test","helloStream","foo"]',
    reason: 'slot 4 (credit) must be an integer from 0 to 2^53-1, got the string "/test"',
    data: { kind: "stream", id: 3, from: "/client", to: "helloStream" },
  },
  {
    name: "a negative credit",
    frame: '["stream-credit",{},"/client",3,-1]',
    reason: "got number -1",
    data: { kind: "stream-credit", id: 3, from: "/client" },
  },
  {
    name: "stream values that are not an array",
    frame: '["stream-result",{},"/client",3,"hello"]',
    reason: "slot 4 (values) must be an array",
    data: { kind: "stream-result", id: 3, to: "/client" },
  },
  {
    name: "a method that is not a string",
    frame: '["send",{},"/foo",7]',
    reason: "slot 3 (method) must be a string, got number 7",
    data: { kind: "send", to: "/foo" },
  },
  {
    name: "arguments nested deeper than the limit",
    frame: `["send",{},"/foo","m",${"[".repeat(200)}${"]".repeat(200)}]`,
    reason: "nests deeper than 128 levels",
    data: { kind: "send", to: "/foo" },
  },
];

describe("jampBCodec", () => {
  it("is registered under its name", () => {
    expect(codecs["jamp-b"]).toBe(jampBCodec);
  });

  describe.each(layouts)("the $message.kind layout", ({ message, frame }) => {
    it("encodes to Baratine's layout", () => {
      expect(jampBCodec.encode(message)).toBe(frame);
    });

    it("decodes back to the message", () => {
      expect(jampBCodec.decode(frame)).toEqual(message);
    });
  });

  it("keeps headers that are not empty, and reads {} and null as none", () => {
    const headers = { auth: "t0k3n", trace: ["a", 1] };
    const message: Message = { kind: "send", to: "/log", from: "", method: "line", args: ["x"], headers };
    expect(jampBCodec.encode(message)).toBe('["send",{"auth":"t0k3n","trace":["a",1]},"/log","line","x"]');
    expect(jampBCodec.decode(jampBCodec.encode(message))).toEqual(message);
    expect(jampBCodec.decode('["send",null,"/log","line"]')).not.toHaveProperty("headers");
    expect(jampBCodec.decode('["send",{},"/log","line"]')).not.toHaveProperty("headers");
  });

  describe.each(codeTable)("the error type $type", ({ type, code, typed }) => {
    const error = { type, message: "it failed" };

    it(`travels as code ${code}${typed ? " with its type" : ""}`, () => {
      const frame = JSON.parse(jampBCodec.encode({ kind: "query-error", id: 9, to: "/c", from: "", error }));
      expect(frame[4]).toEqual(typed ? { code, message: "it failed", type } : { code, message: "it failed" });
    });

    it("is read back as itself", () => {
      const frame = jampBCodec.encode({ kind: "query-error", id: 9, to: "/c", from: "", error });
      expect(jampBCodec.decode(frame)).toMatchObject({ error });
    });
  });

  it("maps every error type the runtime knows", () => {
    expect(knownErrorTypes.filter((type) => !codeTable.some((row) => row.type === type))).toEqual([]);
  });

  it("reads Baratine's own codes, keeping its class name in data", () => {
    const read = (code: string) =>
      jampBCodec.decode(`["error",{},"/c",1,{"code":"${code}","message":"m","class":"io.baratine.X"}]`);
    expect(read("service_not_found")).toMatchObject({
      error: { type: "service-not-found", data: { class: "io.baratine.X" } },
    });
    expect(read("illegal_argument")).toMatchObject({ error: { type: "invalid-arguments" } });
    expect(read("execution_exception")).toMatchObject({ error: { type: "internal-error" } });
    expect(read("query_exception")).toMatchObject({ error: { type: "internal-error" } });
    expect(read("illegal_state")).toMatchObject({ error: { type: "illegal-state" } });
    expect(read("UNKNOWN")).toMatchObject({ error: { type: "internal-error", message: "m" } });
  });

  it("reads the older spread error form and bare error values", () => {
    expect(jampBCodec.decode('["error",{},"me",4,"service_not_found","gone","io.X"]')).toMatchObject({
      error: { type: "service-not-found", message: "gone", data: { class: "io.X" } },
    });
    expect(jampBCodec.decode('["error",{},"me",4,"boom"]')).toMatchObject({
      error: { type: "internal-error", message: "boom" },
    });
    expect(jampBCodec.decode('["error",{},"me",4,17]')).toMatchObject({ error: { type: "internal-error", data: 17 } });
    expect(jampBCodec.decode('["stream-error",{},"me",4,{"code":"queue_full","message":"full"}]')).toMatchObject({
      error: { type: "limit-exceeded", message: "full" },
    });
  });

  it("keeps an application error's data", () => {
    const error = { type: "out-of-stock", message: "none left", data: { sku: "A-1", left: 0 } };
    const frame = jampBCodec.encode({ kind: "query-error", id: 5, to: "/c", from: "", error });
    expect(JSON.parse(frame)[4]).toEqual({
      code: "UNKNOWN",
      message: "none left",
      type: "out-of-stock",
      data: error.data,
    });
    expect(jampBCodec.decode(frame)).toMatchObject({ error });
  });

  describe.each(malformed)("rejects $name", ({ frame, reason, data }) => {
    it("with invalid-message, the reason and what it could recover", () => {
      const error = rejection(frame);
      expect(error.type).toBe("invalid-message");
      expect(error.message).toContain(reason);
      expect(error.data).toEqual(data);
    });
  });

  it("honours a custom nesting limit", () => {
    const shallow = createJampBCodec({ maxDepth: 3 });
    expect(() => shallow.decode('["send",{},"/a","m",[[1]]]')).not.toThrow();
    expect(rejection('["send",{},"/a","m",[[[1]]]]', shallow).message).toContain("deeper than 3");
  });

  it("refuses to encode what the dialect has no place for", () => {
    expect(encodeRejection({ kind: "error", to: "/a", from: "/b", error: body }).message).toContain("no error message");
    expect(encodeRejection({ kind: "reply", id: "q-1", to: "/a", from: "", result: 1 }).message).toContain(
      "query ids are integers",
    );
    const named: Message = { kind: "query", id: 1, to: "/a", from: "/b", method: "m", args: [], named: { x: 1 } };
    expect(encodeRejection(named).message).toContain("by position");
  });

  it("sends an error whose type is empty as UNKNOWN, with no type member", () => {
    const error = { type: "", message: "m" };
    const frame = jampBCodec.encode({ kind: "query-error", id: 1, to: "/me", from: "", error });
    expect(frame).toBe('["error",{},"/me",1,{"code":"UNKNOWN","message":"m"}]');
  });

  it("refuses to encode a credit its decoder refuses", () => {
    for (const credit of [-1, 1.5, 2 ** 53]) {
      const grant: Message = { kind: "stream-credit", id: 1, to: "", from: "/me", credit };
      expect(encodeRejection(grant).message).toContain("credits are integers from 0 to 2^53-1");
      const open: Message = { kind: "stream", id: 1, to: "/t", from: "/me", method: "m", args: [], credit };
      expect(encodeRejection(open).message).toContain("credits are integers from 0 to 2^53-1");
    }
  });

  it("answers a broken query with an error, a broken stream with a stream-error, and nothing else", () => {
    const answer = (frame: string) => jampBCodec.answerInvalid(rejection(frame), "/self");
    expect(answer('["query",{},"/client",7,"/foo",3]')).toMatchObject({
      kind: "query-error",
      id: 7,
      to: "/client",
      from: "/foo",
      error: { type: "invalid-message" },
    });
    expect(answer('["stream",{},"/client",8,-1,"/foo","m"]')).toMatchObject({
      kind: "stream-error",
      id: 8,
      to: "/client",
    });
    expect(answer('["send",{},"/foo",7]')).toBeUndefined();
    expect(answer('["reply",{},"/client",7,3,4]')).toBeUndefined();
    expect(jampBCodec.answerUnrecognised(new JampError("invalid-message", "x"), false)).toBeUndefined();
  });

  it("recognises arrays whose slot 1 is an object or null, and nothing else", () => {
    expect(jampBCodec.recognizes(["send", {}, "/a", "m"])).toBe(true);
    expect(jampBCodec.recognizes(["send", null, "/a", "m"])).toBe(true);
    expect(jampBCodec.recognizes(["send", "/a", "/b", "m", []])).toBe(false);
    expect(jampBCodec.recognizes(["send", [], "/a", "m"])).toBe(false);
    expect(jampBCodec.recognizes({ HEAD: {} })).toBe(false);
    expect(jampBCodec.recognizes([{}, {}])).toBe(false);
  });
});
