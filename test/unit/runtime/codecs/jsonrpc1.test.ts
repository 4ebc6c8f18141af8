import { describe, expect, it } from "vitest";
import { codecs } from "../../../../src/runtime/codecs/index.js";
import { createJsonRpc1Codec, jsonRpc1Codec } from "../../../../src/runtime/codecs/jsonrpc1.js";
import { JampError, knownErrorTypes } from "../../../../src/runtime/errors.js";
import type { Message } from "../../../../src/runtime/message.js";

const codec = jsonRpc1Codec;

function thrown(run: () => unknown): JampError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(JampError);
    return error as JampError;
  }
  throw new Error("nothing was thrown");
}

describe("jsonRpc1Codec", () => {
  it("is registered under its name", () => {
    expect(codecs["jsonrpc1"]).toBe(codec);
  });

  it("encodes the request, notification and response forms of 1.0, every member present", () => {
    const query: Message = {
      kind: "query",
      id: 1,
      to: "/chat",
      from: "/me",
      method: "echo",
      args: ["Hello JSON-RPC"],
      service: "Chat",
    };
    expect(codec.encode(query)).toBe('{"method":"Chat.echo","params":["Hello JSON-RPC"],"id":1}');
    expect(codec.encode({ kind: "send", to: "", from: "", method: "userLeft", args: ["user3"] })).toBe(
      '{"method":"userLeft","params":["user3"],"id":null}',
    );
    expect(codec.encode({ kind: "reply", id: 99, to: "", from: "", result: 1 })).toBe(
      '{"result":1,"error":null,"id":99}',
    );
    expect(codec.encode({ kind: "reply", id: 99, to: "", from: "", result: undefined })).toBe(
      '{"result":null,"error":null,"id":99}',
    );
    expect(
      JSON.parse(
        codec.encode({ kind: "query-error", id: "x", to: "", from: "", error: { type: "timeout", message: "late" } }),
      ),
    ).toEqual({
      result: null,
      error: { code: -32000, message: "late", data: { type: "timeout" } },
      id: "x",
    });
  });

  it("decodes them, a request with id null being a notification", () => {
    expect(codec.decode('{"method": "postMessage", "params": ["Hello all!"], "id": 99}')).toEqual({
      kind: "query",
      id: 99,
      to: "",
      from: "",
      method: "postMessage",
      args: ["Hello all!"],
    });
    expect(codec.decode('{"method": "Chat.handleMessage", "params": ["user1", "hi"], "id": null}')).toEqual({
      kind: "send",
      to: "",
      from: "",
      service: "Chat",
      method: "handleMessage",
      args: ["user1", "hi"],
    });
    expect(codec.decode('{"result": null, "error": null, "id": 1}')).toEqual({
      kind: "reply",
      id: 1,
      to: "",
      from: "",
      result: null,
    });
    // As jayson writes them: members whose value is null left out.
    expect(codec.decode('{"id": 2, "error": {"code": -32603, "message": "no"}}')).toMatchObject({
      kind: "query-error",
      id: 2,
    });
    expect(codec.decode('{"id": 3, "result": 5}')).toMatchObject({ kind: "reply", id: 3, result: 5 });
  });

  it("reads errors of any shape", () => {
    const error = (wire: string) =>
      (codec.decode(`{"result":null,"error":${wire},"id":1}`) as { error: unknown }).error;
    expect(error('"disk full"')).toEqual({ type: "internal-error", message: "disk full" });
    expect(error('{"code":-32601,"message":"no"}')).toEqual({ type: "method-not-found", message: "no" });
    expect(error('{"message":"no code"}')).toEqual({
      type: "application-error",
      message: "no code",
      data: { code: undefined },
    });
    expect(error("[1]")).toMatchObject({ type: "internal-error", data: [1] });
  });

  it("maps every error type the runtime knows both ways", () => {
    for (const type of [...knownErrorTypes, "division-by-zero"]) {
      const error = { type, message: "m", data: { n: 1 } };
      expect(codec.decode(codec.encode({ kind: "query-error", id: 1, to: "", from: "", error }))).toMatchObject({
        error,
      });
    }
  });

  const malformed = [
    {
      name: "params by name",
      frame: '{"method":"m","params":{"a":1},"id":1}',
      reason: '"params" must be an array',
      data: { kind: "query", id: 1 },
    },
    {
      name: "missing params",
      frame: '{"method":"m","id":1}',
      reason: '"params" must be an array, got undefined',
      data: { kind: "query", id: 1 },
    },
    {
      name: "a notification with bad params",
      frame: '{"method":"m","params":3,"id":null}',
      reason: '"params"',
      data: { kind: "send" },
    },
    {
      name: "an id that is an object",
      frame: '{"method":"m","params":[],"id":{"a":1}}',
      reason: '"id" must be',
      data: { kind: "query" },
    },
    { name: "a missing id", frame: '{"method":"m","params":[]}', reason: '"id" must be', data: { kind: "query" } },
    {
      name: "a response without result or error",
      frame: '{"id":1}',
      reason: 'needs a "result" or an "error"',
      data: { kind: "reply", id: 1 },
    },
    {
      name: "a response without id",
      frame: '{"result":1,"error":null}',
      reason: 'needs an "id"',
      data: { kind: "reply" },
    },
    {
      name: "a response with result and error",
      frame: '{"result":1,"error":"x","id":1}',
      reason: "both are set",
      data: { kind: "reply", id: 1 },
    },
    { name: "an array", frame: "[1]", reason: "a message must be a JSON object, got an array", data: {} },
  ];

  describe.each(malformed)("rejects $name", ({ frame, reason, data }) => {
    it("with invalid-message, the reason and what it could recover", () => {
      const error = thrown(() => codec.decode(frame));
      expect(error.type).toBe("invalid-message");
      expect(error.message).toContain(reason);
      expect(error.data).toEqual(data);
    });
  });

  it("answers invalid requests with their id or null, and never notifications or responses", () => {
    const answer = (frame: string) =>
      codec.answerInvalid(
        thrown(() => codec.decode(frame)),
        "",
      );
    expect(answer('{"method":"m","params":{"a":1},"id":1}')).toMatchObject({ kind: "query-error", id: 1 });
    expect(answer('{"method":"m","params":[]}')).toMatchObject({ kind: "query-error", id: null });
    expect(answer('{"method":"m","params":3,"id":null}')).toBeUndefined();
    expect(answer('{"id":1}')).toBeUndefined();
    expect(JSON.parse(codec.answerUnrecognised(new JampError("invalid-message", "bad"), false) ?? "")).toEqual({
      result: null,
      error: { code: -32700, message: "bad", data: { type: "invalid-message" } },
      id: null,
    });
  });

  it("refuses to encode what 1.0 has no place for", () => {
    const named: Message = { kind: "query", id: 1, to: "", from: "", method: "m", args: [], named: { a: 1 } };
    expect(thrown(() => codec.encode(named)).message).toContain("by position");
    expect(
      thrown(() => codec.encode({ kind: "error", to: "", from: "", error: { type: "x", message: "y" } })).message,
    ).toContain("no error message");
  });

  it("refuses to encode an id it could not read back, and a query with id null, which reads as a notification", () => {
    for (const id of [2 ** 53 + 2, Number.NaN, Infinity]) {
      const reply: Message = { kind: "reply", id, to: "", from: "", result: 1 };
      expect(thrown(() => codec.encode(reply)).message).toContain("ids are strings, null or numbers");
    }
    const query: Message = { kind: "query", id: null, to: "", from: "", method: "m", args: [] };
    expect(thrown(() => codec.encode(query)).message).toContain("needs an id");
  });

  it("honours a custom nesting limit", () => {
    const shallow = createJsonRpc1Codec({ maxDepth: 2 });
    expect(() => shallow.decode('{"method":"m","params":[1],"id":1}')).not.toThrow();
    expect(thrown(() => shallow.decode('{"method":"m","params":[[1]],"id":1}')).message).toContain("deeper than 2");
  });

  it("recognises objects of 1.0 only: none with jsonrpc, HEAD or BODY", () => {
    expect(codec.recognizes({ method: "m", params: [], id: 1 })).toBe(true);
    expect(codec.recognizes({ result: 1, error: null, id: 1 })).toBe(true);
    expect(codec.recognizes({ jsonrpc: "2.0", method: "m" })).toBe(false);
    expect(codec.recognizes({ HEAD: {}, id: 1 })).toBe(false);
    expect(codec.recognizes({ foo: "boo" })).toBe(false);
    expect(codec.recognizes([{ method: "m" }])).toBe(false);
  });
});
