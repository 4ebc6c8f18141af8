import { describe, expect, it } from "vitest";
import type { Batch } from "../../../../src/runtime/codecs/codec.js";
import { codecs } from "../../../../src/runtime/codecs/index.js";
import { createJsonRpc2Codec, jsonRpc2Codec } from "../../../../src/runtime/codecs/jsonrpc2.js";
import { JampError, knownErrorTypes } from "../../../../src/runtime/errors.js";
import type { Message } from "../../../../src/runtime/message.js";

const codec = jsonRpc2Codec;

function thrown(run: () => unknown): JampError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(JampError);
    return error as JampError;
  }
  throw new Error("nothing was thrown");
}

const read = (text: string): Message | Batch => codec.read(JSON.parse(text));

/** The runtime's error types and the code each travels as (json-rpc.ts). */
const codeTable: { type: string; code: number }[] = [
  { type: "invalid-message", code: -32600 },
  { type: "service-not-found", code: -32601 },
  { type: "method-not-found", code: -32601 },
  { type: "invalid-arguments", code: -32602 },
  { type: "internal-error", code: -32603 },
  { type: "unauthorized", code: -32001 },
  { type: "forbidden", code: -32003 },
  { type: "timeout", code: -32000 },
  { type: "cancelled", code: -32000 },
  { type: "connection-closed", code: -32000 },
  { type: "limit-exceeded", code: -32000 },
  { type: "application-error", code: -32000 },
  { type: "division-by-zero", code: -32000 },
];

describe("jsonRpc2Codec", () => {
  it("is registered under its name", () => {
    expect(codecs["jsonrpc2"]).toBe(codec);
  });

  describe("encodes", () => {
    it("a query as a request named Interface.method, params by position", () => {
      const query: Message = {
        kind: "query",
        id: 1,
        to: "/calculator",
        from: "/me",
        method: "add",
        args: [1, 2],
        service: "Calculator",
      };
      expect(codec.encode(query)).toBe('{"jsonrpc":"2.0","method":"Calculator.add","params":[1,2],"id":1}');
    });

    it("a send as a notification, without params when there are no arguments", () => {
      const send: Message = {
        kind: "send",
        to: "/calculator",
        from: "/me",
        method: "reset",
        args: [],
        service: "Calculator",
      };
      expect(codec.encode(send)).toBe('{"jsonrpc":"2.0","method":"Calculator.reset"}');
    });

    it("arguments given by name as a params object, and a call naming no service by its bare method", () => {
      const query: Message = {
        kind: "query",
        id: "a",
        to: "",
        from: "",
        method: "subtract",
        args: [],
        named: { minuend: 42 },
      };
      expect(codec.encode(query)).toBe('{"jsonrpc":"2.0","method":"subtract","params":{"minuend":42},"id":"a"}');
    });

    it("answers, ids with their JSON type", () => {
      expect(codec.encode({ kind: "reply", id: "1", to: "", from: "", result: null })).toBe(
        '{"jsonrpc":"2.0","result":null,"id":"1"}',
      );
      expect(codec.encode({ kind: "reply", id: null, to: "", from: "", result: [1] })).toBe(
        '{"jsonrpc":"2.0","result":[1],"id":null}',
      );
      const error = { type: "division-by-zero", message: "no", data: { a: 1 } };
      expect(JSON.parse(codec.encode({ kind: "query-error", id: 2.5, to: "", from: "", error }))).toEqual({
        jsonrpc: "2.0",
        error: { code: -32000, message: "no", data: { type: "division-by-zero", data: { a: 1 } } },
        id: 2.5,
      });
    });

    it("no id it could not read back exactly", () => {
      for (const id of [2 ** 53 + 2, -(2 ** 53) - 2, Number.NaN, Infinity]) {
        const query: Message = { kind: "query", id, to: "", from: "", method: "m", args: [] };
        expect(thrown(() => codec.encode(query)).message).toContain("ids are strings, null or numbers");
        const error = { type: "t", message: "m" };
        expect(thrown(() => codec.encode({ kind: "query-error", id, to: "", from: "", error })).type).toBe(
          "invalid-message",
        );
      }
    });

    it("nothing it has no place for", () => {
      const error = thrown(() => codec.encode({ kind: "error", to: "", from: "", error: { type: "x", message: "y" } }));
      expect(error.message).toContain("JSON-RPC 2.0 has no error message");
      expect(thrown(() => codec.encode({ kind: "stream-complete", id: 1, to: "", from: "" })).type).toBe(
        "invalid-message",
      );
    });
  });

  describe("decodes", () => {
    it("requests into the service and method they name", () => {
      expect(codec.decode('{"jsonrpc":"2.0","method":"Calculator.add","params":[1,2],"id":7}')).toEqual({
        kind: "query",
        id: 7,
        to: "",
        from: "",
        service: "Calculator",
        method: "add",
        args: [1, 2],
      });
      expect(codec.decode('{"jsonrpc":"2.0","method":"pkg.Calculator.add"}')).toMatchObject({
        kind: "send",
        service: "pkg.Calculator",
        method: "add",
      });
      for (const bare of ["add", ".add", "add."]) {
        expect(codec.decode(`{"jsonrpc":"2.0","method":"${bare}","id":1}`)).not.toHaveProperty("service");
      }
    });

    it("params by name, and params absent or null as no arguments", () => {
      expect(codec.decode('{"jsonrpc":"2.0","method":"s","params":{"b":1,"a":2},"id":1}')).toMatchObject({
        args: [],
        named: { b: 1, a: 2 },
      });
      expect(codec.decode('{"jsonrpc":"2.0","method":"s","id":1}')).toMatchObject({ args: [] });
      expect(codec.decode('{"jsonrpc":"2.0","method":"s","params":null,"id":1}')).toMatchObject({ args: [] });
    });

    it("ids of every allowed type, exactly", () => {
      for (const id of ['"1"', "1", "-3", "null", "1.5", "9007199254740991", '""']) {
        const message = codec.decode(`{"jsonrpc":"2.0","method":"m","id":${id}}`) as Message & { id: unknown };
        expect(message.id).toStrictEqual(JSON.parse(id));
        const reply = codec.encode({ kind: "reply", id: message.id as never, to: "", from: "", result: 0 });
        expect(reply).toBe(`{"jsonrpc":"2.0","result":0,"id":${JSON.stringify(JSON.parse(id))}}`);
      }
    });

    it("refuses ids it could not echo exactly, answering with id null", () => {
      for (const id of ["9007199254740993", "1e400", "{}", "[1]", "true"]) {
        const error = thrown(() => codec.decode(`{"jsonrpc":"2.0","method":"m","id":${id}}`));
        expect(error.data).toEqual({ kind: "query" });
        expect(codec.answerInvalid(error, "")).toMatchObject({
          kind: "query-error",
          id: null,
          error: { type: "invalid-message" },
        });
      }
    });

    it("responses", () => {
      expect(codec.decode('{"jsonrpc":"2.0","result":19,"id":1}')).toEqual({
        kind: "reply",
        id: 1,
        to: "",
        from: "",
        result: 19,
      });
      expect(codec.decode('{"jsonrpc":"2.0","result":null,"id":"x"}')).toMatchObject({ kind: "reply", result: null });
      expect(codec.decode('{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":"1"}')).toEqual({
        kind: "query-error",
        id: "1",
        to: "",
        from: "",
        error: { type: "method-not-found", message: "Method not found" },
      });
    });
  });

  describe.each(codeTable)("the error type $type", ({ type, code }) => {
    it(`travels as code ${code} with the type in data, and reads back as itself`, () => {
      const error = { type, message: "it failed" };
      const frame = codec.encode({ kind: "query-error", id: 1, to: "", from: "", error });
      expect(JSON.parse(frame).error).toEqual({ code, message: "it failed", data: { type } });
      expect(codec.decode(frame)).toMatchObject({ error });
    });
  });

  it("sends an error whose type is empty as internal-error, -32603", () => {
    const frame = codec.encode({ kind: "query-error", id: 1, to: "", from: "", error: { type: "", message: "m" } });
    expect(JSON.parse(frame).error).toEqual({ code: -32603, message: "m", data: { type: "internal-error" } });
    expect(codec.decode(frame)).toMatchObject({ error: { type: "internal-error", message: "m" } });
    expect((codec.decode(frame) as { error: object }).error).not.toHaveProperty("data");
  });

  it("maps every error type the runtime knows", () => {
    expect(knownErrorTypes.filter((type) => !codeTable.some((row) => row.type === type))).toEqual([]);
  });

  it("reads other implementations' errors by their code", () => {
    const error = (wire: string) =>
      (codec.decode(`{"jsonrpc":"2.0","error":${wire},"id":1}`) as { error: unknown }).error;
    expect(error('{"code":-32700,"message":"Parse error"}')).toEqual({
      type: "invalid-message",
      message: "Parse error",
    });
    expect(error('{"code":-32600,"message":"Invalid Request"}')).toMatchObject({ type: "invalid-message" });
    expect(error('{"code":-32602,"message":"Invalid params","data":"a"}')).toEqual({
      type: "invalid-arguments",
      message: "Invalid params",
      data: "a",
    });
    expect(error('{"code":-32603,"message":"Internal error"}')).toMatchObject({ type: "internal-error" });
    expect(error('{"code":-32050,"message":"Server error"}')).toMatchObject({ type: "internal-error" });
    expect(error('{"code":-32001,"message":"Who?"}')).toEqual({ type: "unauthorized", message: "Who?" });
    expect(error('{"code":-32003,"message":"No","data":7}')).toEqual({ type: "forbidden", message: "No", data: 7 });
    expect(error('{"code":42,"message":"Out of stock","data":{"sku":"A"}}')).toEqual({
      type: "application-error",
      message: "Out of stock",
      data: { code: 42, data: { sku: "A" } },
    });
    expect(error('{"code":7,"message":"m","data":{"type":""}}')).toEqual({
      type: "application-error",
      message: "m",
      data: { code: 7, data: { type: "" } },
    });
  });

  describe("batches", () => {
    it("reads each entry, an invalid one as its error", () => {
      const batch = read(
        '[{"jsonrpc":"2.0","method":"a","id":1},1,{"jsonrpc":"2.0","method":"b"},{"foo":"boo"}]',
      ) as Batch;
      expect(batch.kind).toBe("batch");
      expect(batch.entries.map((entry) => (entry instanceof JampError ? "invalid" : entry.kind))).toEqual([
        "query",
        "invalid",
        "send",
        "invalid",
      ]);
      for (const entry of batch.entries.filter((e) => e instanceof JampError)) {
        expect(codec.answerInvalid(entry as JampError, "")).toMatchObject({ kind: "query-error", id: null });
      }
    });

    it("refuses an empty batch as one invalid request", () => {
      const error = thrown(() => read("[]"));
      expect(error.message).toContain("an empty batch");
      expect(codec.answerInvalid(error, "")).toMatchObject({ kind: "query-error", id: null });
    });

    it("joins the frames of the answers into one array", () => {
      const frames = [
        codec.encode({ kind: "reply", id: 1, to: "", from: "", result: 1 }),
        codec.encode({ kind: "reply", id: 2, to: "", from: "", result: 2 }),
      ];
      expect(JSON.parse(codec.joinBatch?.(frames) ?? "")).toEqual([
        { jsonrpc: "2.0", result: 1, id: 1 },
        { jsonrpc: "2.0", result: 2, id: 2 },
      ]);
    });

    it("are refused whole past the limit on entries", () => {
      const small = createJsonRpc2Codec({ maxBatch: 2 });
      expect(small.read([1, 2])).toMatchObject({ kind: "batch" });
      const error = thrown(() => small.read([1, 2, 3]));
      expect(error.message).toContain("a batch holds at most 2 entries, this one 3");
      expect(small.answerInvalid(error, "")).toMatchObject({ kind: "query-error", id: null });
      expect(codec.read(Array.from({ length: 1000 }, () => 1))).toMatchObject({ kind: "batch" });
      expect(() => codec.read(Array.from({ length: 1001 }, () => 1))).toThrow(JampError);
    });

    it("are not single messages for decode", () => {
      expect(thrown(() => codec.decode('[{"jsonrpc":"2.0","method":"a"}]')).message).toContain(
        "a batch holds several messages",
      );
    });
  });

  interface MalformedCase {
    readonly name: string;
    readonly frame: string;
    readonly reason: string;
    readonly data: object;
  }

  const malformed: MalformedCase[] = [
    {
      name: "text that is not JSON",
      frame: '{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]',
      reason: "not JSON",
      data: {},
    },
    { name: "a number", frame: "1", reason: "a request must be a JSON object, got number 1", data: { kind: "query" } },
    {
      name: "a method that is a number",
      frame: '{"jsonrpc":"2.0","method":1,"params":"bar"}',
      reason: '"method" must be a string',
      data: { kind: "query" },
    },
    {
      name: "a missing version",
      frame: '{"method":"subtract","params":[5,3],"id":7}',
      reason: '"jsonrpc" must be "2.0", got undefined',
      data: { kind: "query", id: 7 },
    },
    {
      name: "version 1.0",
      frame: '{"jsonrpc":"1.0","method":"s","id":7}',
      reason: 'got the string "1.0"',
      data: { kind: "query", id: 7 },
    },
    {
      name: "scalar params",
      frame: '{"jsonrpc":"2.0","method":"s","params":5,"id":8}',
      reason: '"params" must be an array or an object, got number 5',
      data: { kind: "query", id: 8 },
    },
    {
      name: "an object that is neither request nor response",
      frame: '{"jsonrpc":"2.0","id":3}',
      reason: 'neither "method"',
      data: { kind: "query", id: 3 },
    },
    {
      name: "a response with both result and error",
      frame: '{"jsonrpc":"2.0","result":1,"error":{"code":1,"message":"m"},"id":4}',
      reason: "not both",
      data: { kind: "reply", id: 4 },
    },
    {
      name: "a response without id",
      frame: '{"jsonrpc":"2.0","result":1}',
      reason: 'needs an "id"',
      data: { kind: "reply" },
    },
    {
      name: "an error that is a string",
      frame: '{"jsonrpc":"2.0","error":"boom","id":5}',
      reason: 'an integer "code"',
      data: { kind: "reply", id: 5 },
    },
    {
      name: "an error with a fractional code",
      frame: '{"jsonrpc":"2.0","error":{"code":1.5,"message":"m"},"id":5}',
      reason: 'an integer "code"',
      data: { kind: "reply", id: 5 },
    },
    {
      name: "params nested deeper than the limit",
      frame: `{"jsonrpc":"2.0","method":"m","params":${"[".repeat(200)}${"]".repeat(200)},"id":6}`,
      reason: "nests deeper than 128 levels",
      data: { kind: "query", id: 6 },
    },
  ];

  describe.each(malformed)("rejects $name", ({ frame, reason, data }) => {
    it("with invalid-message, the reason and what it could recover", () => {
      const error = thrown(() => codec.decode(frame));
      expect(error.type).toBe("invalid-message");
      expect(error.message).toContain(reason);
      expect(error.data).toEqual(data);
    });
  });

  it("answers invalid requests and never invalid responses", () => {
    const answer = (frame: string) =>
      codec.answerInvalid(
        thrown(() => codec.decode(frame)),
        "/self",
      );
    expect(answer('{"jsonrpc":"2.0","method":"s","params":5,"id":8}')).toMatchObject({ kind: "query-error", id: 8 });
    expect(answer('{"jsonrpc":"2.0","result":1,"error":{"code":1,"message":"m"},"id":4}')).toBeUndefined();
  });

  it("answers a frame nobody recognised with Parse error or Invalid Request, id null", () => {
    const problem = new JampError("invalid-message", "the frame is not JSON");
    expect(JSON.parse(codec.answerUnrecognised(problem, false) ?? "")).toEqual({
      jsonrpc: "2.0",
      error: { code: -32700, message: "the frame is not JSON", data: { type: "invalid-message" } },
      id: null,
    });
    expect(JSON.parse(codec.answerUnrecognised(problem, true) ?? "")).toMatchObject({
      error: { code: -32600 },
      id: null,
    });
  });

  it("honours a custom nesting limit", () => {
    const shallow = createJsonRpc2Codec({ maxDepth: 3 });
    expect(() => shallow.decode('{"jsonrpc":"2.0","method":"m","params":[[1]]}')).not.toThrow();
    expect(thrown(() => shallow.decode('{"jsonrpc":"2.0","method":"m","params":[[[1]]]}')).message).toContain(
      "deeper than 3",
    );
  });

  it("recognises objects with a jsonrpc member and arrays that do not start with a string", () => {
    expect(codec.recognizes({ jsonrpc: "2.0" })).toBe(true);
    expect(codec.recognizes({ jsonrpc: 2 })).toBe(true);
    expect(codec.recognizes([])).toBe(true);
    expect(codec.recognizes([1, 2, 3])).toBe(true);
    expect(codec.recognizes([{ jsonrpc: "2.0" }])).toBe(true);
    expect(codec.recognizes(["send", "/a", "/b", "m", []])).toBe(false);
    expect(codec.recognizes({ method: "m", params: [], id: 1 })).toBe(false);
    expect(codec.recognizes("x")).toBe(false);
  });
});
