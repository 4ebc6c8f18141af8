import { describe, expect, it } from "vitest";
import { codecs } from "../../../../src/runtime/codecs/index.js";
import { createSoapjrCodec, soapjrCodec, soapjrFormFrame } from "../../../../src/runtime/codecs/soapjr.js";
import { JampError, knownErrorTypes } from "../../../../src/runtime/errors.js";
import type { Message } from "../../../../src/runtime/message.js";

const codec = soapjrCodec;

function thrown(run: () => unknown): JampError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(JampError);
    return error as JampError;
  }
  throw new Error("nothing was thrown");
}

/** The wire object of a failure answer. */
const failure = (error: { type: string; message: string; data?: unknown }, id: number | null = 4): unknown =>
  JSON.parse(codec.encode({ kind: "query-error", id, to: "", from: "", error }));

describe("soapjrCodec", () => {
  it("is registered under its name", () => {
    expect(codecs["soapjr"]).toBe(codec);
  });

  describe("requests", () => {
    it("name the service and action, pass arguments by name and headers in HEAD", () => {
      const query: Message = {
        kind: "query",
        id: 3,
        to: "/contacts",
        from: "/me",
        method: "view",
        args: ["jbloggs", undefined, null],
        service: "contacts",
        paramNames: ["username", "fields", "since"],
        headers: { sid: "80e5b8a8b9cbf3a79fe8d624628a0fe5" },
      };
      expect(JSON.parse(codec.encode(query))).toEqual({
        HEAD: { service_type: "contacts", action_type: "view", sid: "80e5b8a8b9cbf3a79fe8d624628a0fe5", request_id: 3 },
        BODY: { username: "jbloggs", since: null },
      });
    });

    it("are read as queries with their arguments by name, other HEAD members as headers", () => {
      const frame =
        '{"HEAD":{"service_type":"contacts","action_type":"view","sid":"s1","page":2},"BODY":{"username":"jbloggs"}}';
      expect(codec.decode(frame)).toEqual({
        kind: "query",
        id: null,
        to: "",
        from: "",
        service: "contacts",
        method: "view",
        args: [],
        named: { username: "jbloggs" },
        headers: { sid: "s1", page: 2 },
      });
      expect(codec.decode('{"HEAD":{"action_type":"view","request_id":"r-1"},"BODY":{}}')).toEqual({
        kind: "query",
        id: "r-1",
        to: "",
        from: "",
        method: "view",
        args: [],
        named: {},
      });
    });

    it("keep a __proto__ member of HEAD as a header, polluting nothing", () => {
      const frame = '{"HEAD":{"action_type":"view","__proto__":{"admin":true}},"BODY":{}}';
      const { headers } = codec.decode(frame) as { headers: Record<string, unknown> };
      expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
      expect(Object.hasOwn(headers, "__proto__")).toBe(true);
      expect(Object.getOwnPropertyDescriptor(headers, "__proto__")?.value).toEqual({ admin: true });
      expect(headers["admin"]).toBeUndefined();
      expect(({} as Record<string, unknown>)["admin"]).toBeUndefined();
    });

    it("refuse headers named like the members SOAPjr gives a meaning", () => {
      for (const name of ["service_type", "action_type", "request_id", "result"]) {
        const headers = { [name]: "x" };
        const query: Message = { kind: "query", id: 1, to: "", from: "", method: "view", args: [], named: {}, headers };
        const error = thrown(() => codec.encode(query));
        expect([error.type, error.message]).toEqual([
          "invalid-message",
          `SOAPjr gives HEAD.${name} its own meaning: it cannot be a header`,
        ]);
      }
    });

    it("need parameter names for positional arguments", () => {
      const query: Message = { kind: "query", id: 1, to: "", from: "", method: "add", args: [1] };
      expect(thrown(() => codec.encode(query)).message).toContain("argument 0 of add has none");
    });

    it("refuse headers named like HEAD's own members, which would read back as something else", () => {
      const call = { kind: "query", id: null, to: "", from: "", method: "add", args: [], named: {} } as const;
      // A "result" header made the query read back as a reply; the others changed its service or id.
      for (const key of ["result", "service_type", "action_type", "request_id"]) {
        const query: Message = { ...call, headers: { [key]: 1 } };
        expect(thrown(() => codec.encode(query)).message).toContain(`HEAD.${key} its own meaning`);
      }
    });
  });

  describe("__proto__ keys", () => {
    it("in HEAD are headers, kept as data without changing a prototype", () => {
      const query = codec.decode('{"HEAD":{"action_type":"m","__proto__":{"polluted":true},"sid":"s"},"BODY":{}}');
      const headers = (query as { headers: Record<string, unknown> }).headers;
      expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
      expect(Object.keys(headers)).toEqual(["__proto__", "sid"]);
      expect(Object.getOwnPropertyDescriptor(headers, "__proto__")?.value).toEqual({ polluted: true });
      expect(headers["polluted"]).toBeUndefined();
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    });

    it("as a parameter name travel in BODY, and its invalid-arguments entry too", () => {
      const args = [{ polluted: true }];
      const query: Message = { kind: "query", id: 1, to: "", from: "", method: "m", args, paramNames: ["__proto__"] };
      const body = JSON.parse(codec.encode(query)).BODY as object;
      expect(Object.getOwnPropertyDescriptor(body, "__proto__")?.value).toEqual({ polluted: true });
      const issues = [{ path: "/0", param: "__proto__", keyword: "type", message: "must be number" }];
      const error = { type: "invalid-arguments", message: "bad", data: { issues } };
      const frame = codec.encode({ kind: "query-error", id: 1, to: "", from: "", error });
      const entry = Object.getOwnPropertyDescriptor(JSON.parse(frame).HEAD.errors.BODY, "__proto__")?.value;
      expect(entry).toEqual({ code: 400, message: "__proto__ (/0) must be number", type: error.type, issues });
      expect(codec.decode(frame)).toMatchObject({ error: { type: "invalid-arguments", data: { issues } } });
    });
  });

  describe("ids", () => {
    it("are refused when the decoder could not read them back", () => {
      for (const id of [1.5, 2 ** 53, Number.NaN]) {
        const reply: Message = { kind: "reply", id, to: "", from: "", result: 1 };
        expect(thrown(() => codec.encode(reply)).message).toContain("request ids are strings or integers");
        const query: Message = { kind: "query", id, to: "", from: "", method: "m", args: [], named: {} };
        expect(thrown(() => codec.encode(query)).type).toBe("invalid-message");
      }
    });
  });

  describe("results", () => {
    const cases: { result: unknown; body: unknown }[] = [
      { result: 3, body: { value: 3 } },
      { result: null, body: { value: null } },
      { result: [1, 2], body: { value: [1, 2] } },
      { result: "x", body: { value: "x" } },
      { result: { fn: "Joe Bloggs", kind: "individual" }, body: { fn: "Joe Bloggs", kind: "individual" } },
      { result: {}, body: {} },
      { result: { value: 1 }, body: { value: { value: 1 } } },
    ];

    describe.each(cases)("$result", ({ result, body }) => {
      it("travels as its BODY and back", () => {
        const frame = codec.encode({ kind: "reply", id: 7, to: "", from: "", result });
        expect(JSON.parse(frame)).toEqual({ HEAD: { result: 1, request_id: 7 }, BODY: body });
        expect(codec.decode(frame)).toEqual({ kind: "reply", id: 7, to: "", from: "", result });
      });
    });

    it("accept true and false for 1 and 0, and any BODY from another implementation", () => {
      expect(codec.decode('{"HEAD":{"result":true},"BODY":[1,2]}')).toMatchObject({
        kind: "reply",
        id: null,
        result: [1, 2],
      });
      expect(codec.decode('{"HEAD":{"result":false},"BODY":{}}')).toMatchObject({
        kind: "query-error",
        error: { type: "internal-error" },
      });
    });
  });

  describe("errors", () => {
    const places: { type: string; at: [string, string]; code: number }[] = [
      { type: "invalid-message", at: ["ENVELOPE", "json"], code: 400 },
      { type: "service-not-found", at: ["HEAD", "service_type"], code: 404 },
      { type: "method-not-found", at: ["HEAD", "action_type"], code: 404 },
      { type: "invalid-arguments", at: ["HEAD", "action_type"], code: 400 },
      { type: "timeout", at: ["HEAD", "action_type"], code: 504 },
      { type: "limit-exceeded", at: ["HEAD", "action_type"], code: 429 },
      { type: "internal-error", at: ["HEAD", "action_type"], code: 500 },
      { type: "unauthorized", at: ["HEAD", "sid"], code: 401 },
      { type: "forbidden", at: ["HEAD", "action_type"], code: 403 },
      { type: "cancelled", at: ["HEAD", "action_type"], code: 500 },
      { type: "connection-closed", at: ["HEAD", "action_type"], code: 500 },
      { type: "application-error", at: ["HEAD", "action_type"], code: 500 },
      { type: "division-by-zero", at: ["HEAD", "action_type"], code: 500 },
    ];

    it("place every error type the runtime knows", () => {
      expect(knownErrorTypes.filter((type) => !places.some((row) => row.type === type))).toEqual([]);
    });

    describe.each(places)("$type", ({ type, at: [context, property], code }) => {
      it(`goes under ${context}.${property} with code ${code}, an empty BODY, and reads back as itself`, () => {
        const error = { type, message: "it failed", data: { n: 1 } };
        expect(failure(error)).toEqual({
          HEAD: {
            result: 0,
            errors: { [context]: { [property]: { code, message: "it failed", type, data: { n: 1 } } } },
            request_id: 4,
          },
          BODY: {},
        });
        expect(codec.decode(JSON.stringify(failure(error)))).toEqual({
          kind: "query-error",
          id: 4,
          to: "",
          from: "",
          error,
        });
      });
    });

    it("put a refused call under the header its data names, and read it back as itself", () => {
      for (const [type, code] of [["unauthorized", 401], ["forbidden", 403]] as const) {
        const error = { type, message: "unknown session", data: { header: "token" } };
        expect(failure(error, null)).toEqual({
          HEAD: {
            result: 0,
            errors: { HEAD: { token: { code, message: "unknown session", type, data: { header: "token" } } } },
          },
          BODY: {},
        });
        expect(codec.decode(JSON.stringify(failure(error)))).toMatchObject({ error });
      }
    });

    it("list invalid arguments under BODY, one entry per parameter, and read them back as one error", () => {
      const issues = [
        { path: "/0", param: "a", keyword: "type", message: "must be number" },
        { path: "/1", param: "b", keyword: "type", message: "must be number" },
        { path: "/1", param: "b", keyword: "minimum", message: "must be >= 0" },
      ];
      const wire = failure(
        { type: "invalid-arguments", message: "Invalid arguments for Pair.add: ...", data: { issues } },
        null,
      );
      expect(wire).toEqual({
        HEAD: {
          result: 0,
          errors: {
            BODY: {
              a: { code: 400, message: "a (/0) must be number", type: "invalid-arguments", issues: [issues[0]] },
              b: {
                code: 400,
                message: "b (/1) must be number; b (/1) must be >= 0",
                type: "invalid-arguments",
                issues: issues.slice(1),
              },
            },
          },
        },
        BODY: {},
      });
      expect(codec.decode(JSON.stringify(wire))).toEqual({
        kind: "query-error",
        id: null,
        to: "",
        from: "",
        error: {
          type: "invalid-arguments",
          message: "a (/0) must be number; b (/1) must be number; b (/1) must be >= 0",
          data: { issues },
        },
      });
    });

    it("read other implementations' errors by place and code, keeping the whole grouping", () => {
      const read = (errors: unknown) =>
        (codec.decode(JSON.stringify({ HEAD: { result: 0, errors }, BODY: {} })) as { error: unknown }).error;
      const session = { HEAD: { sid: { code: 401, message: "Invalid session ID" } } };
      expect(read(session)).toEqual({
        type: "unauthorized",
        message: "Invalid session ID",
        data: { errors: session },
      });
      const refused = { HEAD: { action_type: { code: 403, message: "Not for you" } } };
      expect(read(refused)).toMatchObject({ type: "forbidden", message: "Not for you" });
      const quota = { HEAD: { action_type: { code: 402, message: "Pay first" } } };
      expect(read(quota)).toMatchObject({ type: "application-error", data: { errors: quota } });
      const missing = { BODY: { id: { code: 500, message: "7 does not exist" } } };
      expect(read(missing)).toMatchObject({ type: "internal-error", message: "7 does not exist" });
      expect(read({ BODY: { a: { code: 400, message: "bad a" }, b: { code: 400, message: "bad b" } } })).toEqual({
        type: "invalid-arguments",
        message: "bad a; bad b",
        data: {
          issues: [
            { path: "/a", param: "a", keyword: "soapjr", message: "bad a" },
            { path: "/b", param: "b", keyword: "soapjr", message: "bad b" },
          ],
        },
      });
      expect(read({ HEAD: { action_type: { code: 404, message: "no" } } })).toMatchObject({ type: "method-not-found" });
      expect(read({ HEAD: { service_type: { code: 404, message: "no" } } })).toMatchObject({
        type: "service-not-found",
      });
      expect(read({ ENVELOPE: { json: { code: 400, message: "no" } } })).toMatchObject({ type: "invalid-message" });
      expect(read("nonsense")).toMatchObject({ type: "internal-error" });
    });
  });

  const malformed = [
    {
      name: "a missing HEAD",
      frame: '{"BODY":{}}',
      reason: '"HEAD" must be an object, got undefined',
      data: { kind: "query" },
    },
    {
      name: "a missing action",
      frame: '{"HEAD":{"service_type":"s","request_id":2},"BODY":{}}',
      reason: '"HEAD.action_type" must be a string',
      data: { kind: "query", id: 2 },
    },
    {
      name: "a BODY that is an array",
      frame: '{"HEAD":{"action_type":"a"},"BODY":[1]}',
      reason: '"BODY" must be an object, got an array',
      data: { kind: "query" },
    },
    {
      name: "a service that is a number",
      frame: '{"HEAD":{"action_type":"a","service_type":3},"BODY":{}}',
      reason: '"HEAD.service_type" must be a string',
      data: { kind: "query" },
    },
    {
      name: "a fractional request id",
      frame: '{"HEAD":{"action_type":"a","request_id":1.5},"BODY":{}}',
      reason: '"HEAD.request_id" must be a string or an integer',
      data: { kind: "query" },
    },
    {
      name: "a result of 2",
      frame: '{"HEAD":{"result":2,"request_id":9},"BODY":{}}',
      reason: '"HEAD.result" must be 1 or 0',
      data: { kind: "reply", id: 9 },
    },
    {
      name: "a success without BODY",
      frame: '{"HEAD":{"result":1}}',
      reason: 'needs a "BODY"',
      data: { kind: "reply" },
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

  it("sends an error whose type is empty as internal-error", () => {
    const frame = codec.encode({ kind: "query-error", id: 4, to: "", from: "", error: { type: "", message: "m" } });
    expect(JSON.parse(frame)).toEqual(failure({ type: "internal-error", message: "m" }));
  });

  it("answers an invalid request under ENVELOPE.json, never an invalid response", () => {
    const error = thrown(() => codec.decode('{"HEAD":{"request_id":2},"BODY":{}}'));
    const answer = codec.answerInvalid(error, "") as Message;
    expect(JSON.parse(codec.encode(answer))).toEqual({
      HEAD: {
        result: 0,
        errors: { ENVELOPE: { json: { code: 400, message: error.message, type: "invalid-message" } } },
        request_id: 2,
      },
      BODY: {},
    });
    expect(
      codec.answerInvalid(
        thrown(() => codec.decode('{"HEAD":{"result":2},"BODY":{}}')),
        "",
      ),
    ).toBeUndefined();
    expect(JSON.parse(codec.answerUnrecognised(new JampError("invalid-message", "not JSON"), false) ?? "")).toEqual({
      HEAD: { result: 0, errors: { ENVELOPE: { json: { code: 400, message: "not JSON", type: "invalid-message" } } } },
      BODY: {},
    });
  });

  it("has no one-way message and no error without a request", () => {
    expect(codec.kinds.has("send")).toBe(false);
    expect(thrown(() => codec.encode({ kind: "send", to: "", from: "", method: "m", args: [] })).message).toContain(
      "no send message",
    );
  });

  it("honours a custom nesting limit", () => {
    const shallow = createSoapjrCodec({ maxDepth: 3 });
    expect(() => shallow.decode('{"HEAD":{"action_type":"a"},"BODY":{"x":[1]}}')).not.toThrow();
    expect(thrown(() => shallow.decode('{"HEAD":{"action_type":"a"},"BODY":{"x":[[1]]}}')).message).toContain(
      "deeper than 3",
    );
  });

  it("recognises objects with HEAD or BODY and no jsonrpc", () => {
    expect(codec.recognizes({ HEAD: {}, BODY: {} })).toBe(true);
    expect(codec.recognizes({ BODY: {} })).toBe(true);
    expect(codec.recognizes({ HEAD: {}, jsonrpc: "2.0" })).toBe(false);
    expect(codec.recognizes({ method: "m" })).toBe(false);
    expect(codec.recognizes([{ HEAD: {} }])).toBe(false);
  });

  describe("soapjrFormFrame", () => {
    const request = '{"HEAD":{"service_type":"contacts","action_type":"view"},"BODY":{"username":"j bloggs"}}';

    it("reads the json parameter of a query string or a form body, URL-decoded", () => {
      expect(soapjrFormFrame(`json=${encodeURIComponent(request)}`)).toBe(request);
      expect(soapjrFormFrame(`?page=2&json=${encodeURIComponent(request)}`)).toBe(request);
      expect(soapjrFormFrame(`json=${encodeURIComponent(request).replaceAll("%20", "+")}`)).toBe(request);
      expect(codec.decode(soapjrFormFrame(`json=${encodeURIComponent(request)}`))).toMatchObject({ method: "view" });
    });

    it("refuses a form without exactly one json parameter", () => {
      expect(thrown(() => soapjrFormFrame("page=2")).message).toContain('exactly one "json" parameter, this one has 0');
      expect(thrown(() => soapjrFormFrame("json=1&json=2")).message).toContain("has 2");
    });
  });
});
