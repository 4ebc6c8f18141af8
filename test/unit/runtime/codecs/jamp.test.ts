import { describe, expect, it } from "vitest";
import { createJampCodec, jampCodec } from "../../../../src/runtime/codecs/jamp.js";
import { codecs } from "../../../../src/runtime/codecs/index.js";
import { JampError, isJampError } from "../../../../src/runtime/errors.js";
import type { Message } from "../../../../src/runtime/message.js";

/** The `draft-*` conformance cases of PROTOCOLS.md 1.9, with `expect` in the runtime's field names. */
const draftCases: { case: string; input: string; expect: Message }[] = [
  {
    case: "draft-send",
    input:
      '["send", "jamp+ws://target.example.com/to-actor", "jamp+ws://source.example.com/from-actor", "my_action", ["arg1", "arg2"]]',
    expect: {
      kind: "send",
      to: "jamp+ws://target.example.com/to-actor",
      from: "jamp+ws://source.example.com/from-actor",
      method: "my_action",
      args: ["arg1", "arg2"],
    },
  },
  {
    case: "draft-query",
    input: '["query", 12345, "jamp+http://somehost/math-service", "jamp+ws://otherhost/client123", "add", [1, 2]]',
    expect: {
      kind: "query",
      id: 12345,
      to: "jamp+http://somehost/math-service",
      from: "jamp+ws://otherhost/client123",
      method: "add",
      args: [1, 2],
    },
  },
  {
    case: "draft-reply",
    input: '["reply", 12345, "jamp+ws://otherhost/client123", "jamp+http://somehost/math-service", 3]',
    expect: {
      kind: "reply",
      id: 12345,
      to: "jamp+ws://otherhost/client123",
      from: "jamp+http://somehost/math-service",
      result: 3,
    },
  },
  {
    case: "draft-error",
    input:
      '["error", "jamp+ws://source.example.com/my-actor", "jamp+ws://target.example.com/my-service", {"type": "service-not-found", "message": "\'my-service\' is an unknown service"}]',
    expect: {
      kind: "error",
      to: "jamp+ws://source.example.com/my-actor",
      from: "jamp+ws://target.example.com/my-service",
      error: { type: "service-not-found", message: "'my-service' is an unknown service" },
    },
  },
  {
    case: "draft-error-query",
    input:
      '["error-query", 12345, "jamp+ws://otherhost/client123", "jamp+http://somehost/math-service", {"type": "service-not-found", "message": "unknown service"}]',
    expect: {
      kind: "query-error",
      id: 12345,
      to: "jamp+ws://otherhost/client123",
      from: "jamp+http://somehost/math-service",
      error: { type: "service-not-found", message: "unknown service" },
    },
  },
  {
    case: "draft-query-forum",
    input:
      '["query", 8675309, "jamp+ws://example.com/service/actor13", "jamp+ws://example.com/client/ws513", "my_action", ["arg1", "arg2"]]',
    expect: {
      kind: "query",
      id: 8675309,
      to: "jamp+ws://example.com/service/actor13",
      from: "jamp+ws://example.com/client/ws513",
      method: "my_action",
      args: ["arg1", "arg2"],
    },
  },
];

/** The error `decode` threw, failing the test if it threw nothing or something else. */
function rejection(frame: unknown, codec = jampCodec): JampError {
  try {
    codec.decode(frame as string);
  } catch (error) {
    expect(error).toBeInstanceOf(JampError);
    return error as JampError;
  }
  throw new Error(`decode accepted ${String(frame)}`);
}

const nested = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);

interface MalformedCase {
  readonly name: string;
  readonly frame: unknown;
  /** A fragment of the error message. */
  readonly reason: string;
  /** What the codec recovered. */
  readonly data: object;
}

const malformed: MalformedCase[] = [
  { name: "text that is not JSON", frame: "hello", reason: "not JSON", data: {} },
  { name: "an empty frame", frame: "", reason: "not JSON", data: {} },
  { name: "a frame that is not text", frame: 42, reason: "must be text", data: {} },
  { name: "null", frame: "null", reason: "must be a JSON array, got null", data: {} },
  { name: "an object", frame: "{}", reason: "must be a JSON array, got an object", data: {} },
  {
    name: "an object with a __proto__ key",
    frame: '{"__proto__": ["query", 1, "/a", "/b", "m", []]}',
    reason: "got an object",
    data: {},
  },
  { name: "a number", frame: "7", reason: "got number 7", data: {} },
  { name: "an empty array", frame: "[]", reason: "empty array", data: {} },
  {
    name: "a type that is not a string",
    frame: '[1, "/a", "/b", "m", []]',
    reason: "slot 0 (message type) must be a string",
    data: {},
  },
  {
    name: "an unknown type",
    frame: '["publish", "/a", "/b", "m", []]',
    reason: 'unknown message type "publish"',
    data: {},
  },
  {
    name: "the type __proto__",
    frame: '["__proto__", "/a", "/b", "m", []]',
    reason: 'unknown message type "__proto__"',
    data: {},
  },
  {
    name: "json-amp's error_query spelling",
    frame: '["error_query", 1, "/a", "/b", {"type": "x", "message": "y"}]',
    reason: "unknown message type",
    data: {},
  },
  {
    name: "a send with too few slots",
    frame: '["send", "/calc", "/me", "add"]',
    reason: "has 5 slots [type, to, from, method, args], got 4",
    data: { kind: "send", to: "/calc", from: "/me" },
  },
  {
    name: "a query with too many slots",
    frame: '["query", 3, "/calc", "/me", "add", [1], "extra"]',
    reason: "has 6 slots",
    data: { kind: "query", id: 3, to: "/calc", from: "/me" },
  },
  {
    name: "a Baratine query (headers in slot 1)",
    frame: '["query",{},"/client",0,"/test","test","foo"]',
    reason: "has 6 slots",
    data: { kind: "query", to: "/client" },
  },
  {
    name: "an error-query with the arity of error",
    frame: '["error-query", 1, "/a", {"type": "x", "message": "y"}]',
    reason: "has 5 slots",
    data: { kind: "query-error", id: 1, to: "/a" },
  },
  {
    name: "an error with the arity of error-query",
    frame: '["error", 1, "/a", "/b", {"type": "x", "message": "y"}]',
    reason: "has 4 slots",
    data: { kind: "error", from: "/a" },
  },
  {
    name: "a query id that is a float",
    frame: '["query", 1.5, "/calc", "/me", "add", []]',
    reason: "slot 1 (id) must be an integer from 0 to 2^53-1 or a string, got number 1.5",
    data: { kind: "query", to: "/calc", from: "/me" },
  },
  {
    name: "a negative query id",
    frame: '["query", -1, "/calc", "/me", "add", []]',
    reason: "got number -1",
    data: { kind: "query", to: "/calc", from: "/me" },
  },
  {
    name: "a query id past 2^53-1",
    frame: '["query", 9007199254740992, "/calc", "/me", "add", []]',
    reason: "slot 1 (id)",
    data: { kind: "query", to: "/calc", from: "/me" },
  },
  {
    name: "a query id that is an object",
    frame: '["query", {"id": 1}, "/calc", "/me", "add", []]',
    reason: "got an object",
    data: { kind: "query", to: "/calc", from: "/me" },
  },
  {
    name: "a to that is not a string",
    frame: '["query", 4, 17, "/me", "add", []]',
    reason: "slot 2 (to) must be a string, got number 17",
    data: { kind: "query", id: 4, from: "/me" },
  },
  {
    name: "a from that is null",
    frame: '["send", "/calc", null, "add", []]',
    reason: "slot 2 (from) must be a string, got null",
    data: { kind: "send", to: "/calc" },
  },
  {
    name: "a method that is not a string",
    frame: '["query", "q-1", "/calc", "/me", ["add"], []]',
    reason: "slot 4 (method) must be a string, got an array",
    data: { kind: "query", id: "q-1", to: "/calc", from: "/me" },
  },
  {
    name: "args that are not an array",
    frame: '["query", 5, "/calc", "/me", "add", {"a": 1}]',
    reason: "slot 5 (args) must be an array, got an object",
    data: { kind: "query", id: 5, to: "/calc", from: "/me" },
  },
  {
    name: "send args that are a string",
    frame: '["send", "/calc", "/me", "log", "line"]',
    reason: 'slot 4 (args) must be an array, got the string "line"',
    data: { kind: "send", to: "/calc", from: "/me" },
  },
  {
    name: "an error body without type",
    frame: '["error-query", 6, "/me", "/calc", {"message": "no type"}]',
    reason: 'needs a non-empty string "type", got undefined',
    data: { kind: "query-error", id: 6, to: "/me", from: "/calc" },
  },
  {
    name: "an error body with an empty type",
    frame: '["error", "/me", "/calc", {"type": "", "message": "m"}]',
    reason: 'non-empty string "type"',
    data: { kind: "error", to: "/me", from: "/calc" },
  },
  {
    name: "an error body without message",
    frame: '["error", "/me", "/calc", {"type": "boom"}]',
    reason: 'needs a string "message"',
    data: { kind: "error", to: "/me", from: "/calc" },
  },
  {
    name: "an error body that is a string",
    frame: '["error-query", 6, "/me", "/calc", "boom"]',
    reason: "slot 4 (error) must be an object",
    data: { kind: "query-error", id: 6, to: "/me", from: "/calc" },
  },
  {
    name: "an error body whose type is only inherited through __proto__",
    frame: '["error", "/me", "/calc", {"__proto__": {"type": "x", "message": "y"}}]',
    reason: 'non-empty string "type"',
    data: { kind: "error", to: "/me", from: "/calc" },
  },
  {
    name: "args nested deeper than the limit",
    frame: `["query", 8, "/calc", "/me", "add", ${nested(200)}]`,
    reason: "nests deeper than 128 levels",
    data: { kind: "query", id: 8, to: "/calc", from: "/me" },
  },
  {
    name: "a result nested a hundred thousand levels deep",
    frame: `["reply", 9, "/me", "/calc", ${nested(100_000)}]`,
    reason: "nests deeper than 128 levels",
    data: { kind: "reply", id: 9, to: "/me", from: "/calc" },
  },
  {
    name: "objects nested deeper than the limit",
    frame: `["send", "/calc", "/me", "log", [${'{"a":'.repeat(300)}1${"}".repeat(300)}]]`,
    reason: "nests deeper than 128 levels",
    data: { kind: "send", to: "/calc", from: "/me" },
  },
  {
    name: "deep nesting that is not even an array",
    frame: `{"a":${nested(50_000)}}`,
    reason: "got an object",
    data: {},
  },
  { name: "unbalanced deep nesting", frame: "[".repeat(100_000), reason: "not JSON", data: {} },
];

describe("jampCodec", () => {
  it("is registered under its name", () => {
    expect(codecs["jamp"]).toBe(jampCodec);
    expect(codecs["__proto__"]).toBeUndefined();
  });

  describe.each(draftCases)("conformance case $case", ({ input, expect: expected }) => {
    it("decodes to the runtime's message", () => {
      expect(jampCodec.decode(input)).toEqual(expected);
    });

    it("re-encodes to the same JSON", () => {
      expect(JSON.parse(jampCodec.encode(jampCodec.decode(input)))).toEqual(JSON.parse(input));
    });
  });

  it("echoes string query ids exactly", () => {
    const frame = '["query", "1700000000-7-ab", "/calc", "/me", "add", [1, 2]]';
    const query = jampCodec.decode(frame);
    expect(query).toMatchObject({ kind: "query", id: "1700000000-7-ab" });
    const reply = jampCodec.encode({ kind: "reply", id: "1700000000-7-ab", to: "/me", from: "/calc", result: 3 });
    expect(reply).toBe('["reply","1700000000-7-ab","/me","/calc",3]');
  });

  it("accepts the largest safe integer and zero as query ids", () => {
    expect(jampCodec.decode('["reply", 9007199254740991, "/a", "/b", null]')).toMatchObject({ id: 9007199254740991 });
    expect(jampCodec.decode('["reply", 0, "/a", "/b", null]')).toMatchObject({ id: 0 });
  });

  it("accepts nesting up to the limit and honours a custom limit", () => {
    // The message array is level 1, args level 2: 126 more levels inside args make 128.
    expect(() => jampCodec.decode(`["send", "/a", "/b", "m", [${nested(126)}]]`)).not.toThrow();
    expect(rejection(`["send", "/a", "/b", "m", [${nested(127)}]]`).message).toContain("deeper than 128");
    const shallow = createJampCodec({ maxDepth: 3 });
    expect(() => shallow.decode('["send", "/a", "/b", "m", [[1]]]')).not.toThrow();
    expect(rejection('["send", "/a", "/b", "m", [[[1]]]]', shallow).message).toContain("deeper than 3");
  });

  it("keeps an error body's data member", () => {
    const message = jampCodec.decode(
      '["error", "/me", "/calc", {"type": "t", "message": "m", "data": {"n": 1}, "extra": 2}]',
    );
    expect(message).toEqual({
      kind: "error",
      to: "/me",
      from: "/calc",
      error: { type: "t", message: "m", data: { n: 1 } },
    });
  });

  it("keeps the other members of an error body in data when it has no data member", () => {
    const message = jampCodec.decode(
      '["error-query", 1, "/me", "/calc", {"type": "t", "message": "m", "code": 7, "__proto__": {"polluted": true}}]',
    );
    expect(message.kind).toBe("query-error");
    const data = (message as Extract<Message, { kind: "query-error" }>).error.data as Record<string, unknown>;
    expect(data["code"]).toBe(7);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(data, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("leaves __proto__ keys in arguments as plain data", () => {
    const message = jampCodec.decode('["send", "/calc", "/me", "log", [{"__proto__": {"polluted": true}}]]');
    const arg = (message as Extract<Message, { kind: "send" }>).args[0] as object;
    expect(Object.getPrototypeOf(arg)).toBe(Object.prototype);
    expect(Object.keys(arg)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  describe.each(malformed)("rejects $name", ({ frame, reason, data }) => {
    it("with invalid-message, the reason and what it could recover", () => {
      const error = rejection(frame);
      expect(isJampError(error)).toBe(true);
      expect(error.type).toBe("invalid-message");
      expect(error.message).toContain(reason);
      expect(error.data).toEqual(data);
    });
  });

  it("keeps error messages short for huge slots", () => {
    const error = rejection(`["send", "/a", "/b", "m", "${"x".repeat(1_000_000)}"]`);
    expect(error.message.length).toBeLessThan(200);
  });

  it("encodes every kind in the draft layout", () => {
    const error = { type: "boom", message: "it broke" };
    expect(jampCodec.encode({ kind: "send", to: "/a", from: "/b", method: "m", args: [1] })).toBe(
      '["send","/a","/b","m",[1]]',
    );
    expect(jampCodec.encode({ kind: "query", id: 1, to: "/a", from: "/b", method: "m", args: [] })).toBe(
      '["query",1,"/a","/b","m",[]]',
    );
    expect(jampCodec.encode({ kind: "reply", id: 1, to: "/b", from: "/a", result: { x: [1] } })).toBe(
      '["reply",1,"/b","/a",{"x":[1]}]',
    );
    expect(jampCodec.encode({ kind: "query-error", id: 1, to: "/b", from: "/a", error })).toBe(
      '["error-query",1,"/b","/a",{"type":"boom","message":"it broke"}]',
    );
    expect(jampCodec.encode({ kind: "error", to: "/b", from: "/a", error: { ...error, data: [1] } })).toBe(
      '["error","/b","/a",{"type":"boom","message":"it broke","data":[1]}]',
    );
  });

  describe("the stream extension", () => {
    const error = { type: "market-closed", message: "closed" };
    const cases: [Message, string][] = [
      [
        { kind: "stream", id: 3, to: "/ticker", from: "/me", method: "ticks", args: ["ACME"], credit: 16 },
        '["stream",3,"/ticker","/me","ticks",["ACME"],16]',
      ],
      [{ kind: "stream-result", id: 3, to: "/me", from: "/ticker", values: [1, 2] }, '["stream-result",3,"/me","/ticker",[1,2]]'],
      [{ kind: "stream-complete", id: 3, to: "/me", from: "/ticker" }, '["stream-complete",3,"/me","/ticker"]'],
      [
        { kind: "stream-error", id: "s-3", to: "/me", from: "/ticker", error },
        '["stream-error","s-3","/me","/ticker",{"type":"market-closed","message":"closed"}]',
      ],
      [{ kind: "stream-cancel", id: 3, to: "/ticker", from: "/me" }, '["stream-cancel",3,"/ticker","/me"]'],
      [{ kind: "stream-credit", id: 3, to: "/ticker", from: "/me", credit: 8 }, '["stream-credit",3,"/ticker","/me",8]'],
    ];

    it.each(cases)("encodes and decodes %j in the draft's layout", (message, frame) => {
      expect(jampCodec.encode(message)).toBe(frame);
      expect(jampCodec.decode(frame)).toEqual(message);
      expect(jampCodec.recognizes(JSON.parse(frame))).toBe(true);
    });

    it("gives a stream-error without detail (as Baratine sends it) a generic body", () => {
      expect(jampCodec.encode({ kind: "stream-error", id: 1, to: "/me", from: "/t" })).toBe(
        '["stream-error",1,"/me","/t",{"type":"internal-error","message":"the stream failed"}]',
      );
    });

    it.each([
      ['["stream",3,"/t","/me","m",[],-1]', "slot 6 (credit) must be an integer from 0"],
      ['["stream",3,"/t","/me","m",[]]', "a stream message has 7 slots"],
      ['["stream-result",3,"/me","/t",1]', "slot 4 (values) must be an array"],
      ['["stream-credit",3,"/t","/me",1.5]', "slot 4 (credit) must be an integer"],
    ])("rejects %s", (frame, reason) => {
      const problem = rejection(frame);
      expect(problem.type).toBe("invalid-message");
      expect(problem.message).toContain(reason);
    });

    it("answers a malformed stream whose id and sender it read with a stream-error", () => {
      const problem = rejection('["stream",3,"/t","/me","m",[],-1]');
      expect(jampCodec.answerInvalid(problem, "/self")).toMatchObject({ kind: "stream-error", id: 3, to: "/me", from: "/t" });
    });
  });

  it("encodes Dates as ISO strings", () => {
    const result = new Date("2024-02-29T08:30:00.000Z");
    expect(jampCodec.encode({ kind: "reply", id: 2, to: "/b", from: "/a", result })).toBe(
      '["reply",2,"/b","/a","2024-02-29T08:30:00.000Z"]',
    );
  });

  it("writes an error whose type is empty as internal-error, a body it reads back", () => {
    const error = { type: "", message: "m" };
    const frame = jampCodec.encode({ kind: "error", to: "/me", from: "/calc", error });
    expect(frame).toBe('["error","/me","/calc",{"type":"internal-error","message":"m"}]');
    expect(jampCodec.decode(frame)).toMatchObject({ error: { type: "internal-error", message: "m" } });
  });

  it("refuses to encode an id or a credit that decode would refuse", () => {
    const refused: Message[] = [
      { kind: "query", id: -1, to: "/calc", from: "/me", method: "add", args: [] },
      { kind: "reply", id: 1.5, to: "/me", from: "/calc", result: 1 },
      { kind: "query-error", id: null, to: "/me", from: "/calc", error: { type: "t", message: "m" } },
      { kind: "stream-complete", id: 2 ** 53, to: "/me", from: "/calc" },
      { kind: "stream-credit", id: 1, to: "/calc", from: "/me", credit: 1.5 },
      { kind: "stream", id: 1, to: "/calc", from: "/me", method: "ticks", args: [], credit: -1 },
    ];
    for (const message of refused) {
      expect(() => jampCodec.encode(message), JSON.stringify(message)).toThrow(
        expect.objectContaining({ type: "invalid-message", message: expect.stringMatching(/^cannot encode the /) }),
      );
    }
  });

  it("throws invalid-message for values JSON cannot encode", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    for (const value of [10n, cyclic]) {
      let thrown: unknown;
      try {
        jampCodec.encode({ kind: "reply", id: 1, to: "/b", from: "/a", result: value });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(JampError);
      expect((thrown as JampError).type).toBe("invalid-message");
      expect((thrown as JampError).message).toMatch(/^cannot encode the reply message as JSON: /);
    }
  });
});
