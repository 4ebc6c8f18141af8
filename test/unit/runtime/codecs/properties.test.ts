/**
 * Properties every codec keeps, over values fast-check makes: `decode(encode(m))` is `m` for every message
 * the format can carry, and any text at all decodes to a message or fails with `invalid-message`, whose
 * answer (if the codec gives one) can itself be encoded. Bounded: a few hundred runs per property.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FrameCodec } from "../../../../src/runtime/codecs/codec.js";
import {
  codecs,
  jampBCodec,
  jampCodec,
  jsonRpc1Codec,
  jsonRpc2Codec,
  soapjrCodec,
} from "../../../../src/runtime/codecs/index.js";
import { JampError, type ErrorBody } from "../../../../src/runtime/errors.js";
import type { Headers, Message, QueryId } from "../../../../src/runtime/message.js";

const runs = { numRuns: 300 };

/** JSON values as a parser returns them (no -0, which JSON writes as 0). */
const json: fc.Arbitrary<unknown> = fc
  .jsonValue({ maxDepth: 3 })
  .map((value) => JSON.parse(JSON.stringify(value)) as unknown);
const text = fc.string({ maxLength: 12 });
const address = fc.oneof(fc.constantFrom("/calculator", "/client/5f0c", "jamp+ws://host/x"), text);
const args = fc.array(json, { maxLength: 4 });
const safeInt = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const natural = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
/** Object keys without `__proto__`, which a literal `{...}` would not keep as data. */
const key = text.filter((k) => k !== "__proto__");
const record = (values: fc.Arbitrary<unknown> = json) => fc.dictionary(key, values, { maxKeys: 4 });

const errorBody = (types: fc.Arbitrary<string>): fc.Arbitrary<ErrorBody> =>
  fc.record({ type: types, message: text, data: json }, { requiredKeys: ["type", "message"] });
const anyType = fc.oneof(
  fc.constantFrom(
    "service-not-found",
    "method-not-found",
    "invalid-arguments",
    "invalid-message",
    "internal-error",
    "timeout",
  ),
  fc.constantFrom(
    "cancelled",
    "connection-closed",
    "limit-exceeded",
    "unauthorized",
    "forbidden",
    "division-by-zero",
    "UNKNOWN",
    "service_not_found",
  ),
  text.filter((type) => type !== ""),
);

/** Leaves out `field` when `value` is undefined, as the codecs do. */
function optional<T extends object>(message: T, field: string, value: unknown): T {
  return value === undefined ? message : { ...message, [field]: value };
}

const jampMessage: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ to: address, from: address, method: text, args }).map((m) => ({ kind: "send", ...m }) as const),
  fc
    .record({ id: fc.oneof(natural, text), to: address, from: address, method: text, args })
    .map((m) => ({ kind: "query", ...m }) as const),
  fc
    .record({ id: fc.oneof(natural, text), to: address, from: address, result: json })
    .map((m) => ({ kind: "reply", ...m }) as const),
  fc
    .record({ id: fc.oneof(natural, text), to: address, from: address, error: errorBody(anyType) })
    .map((m) => ({ kind: "query-error", ...m }) as const),
  fc.record({ to: address, from: address, error: errorBody(anyType) }).map((m) => ({ kind: "error", ...m }) as const),
);

const headers: fc.Arbitrary<Headers | undefined> = fc.option(
  record().filter((h) => Object.keys(h).length > 0),
  { nil: undefined },
);

const jampBMessage: fc.Arbitrary<Message> = fc
  .tuple(
    fc.oneof(
      fc.record({ to: address, method: text, args }).map((m) => ({ kind: "send", from: "", ...m }) as const),
      fc
        .record({ id: safeInt, to: address, from: address, method: text, args })
        .map((m) => ({ kind: "query", ...m }) as const),
      fc.record({ id: safeInt, to: address, result: json }).map((m) => ({ kind: "reply", from: "", ...m }) as const),
      fc
        .record({ id: safeInt, to: address, error: errorBody(anyType) })
        .map((m) => ({ kind: "query-error", from: "", ...m }) as const),
      fc
        .record({ id: safeInt, to: address, from: address, method: text, args, credit: natural })
        .map((m) => ({ kind: "stream", ...m }) as const),
      fc
        .record({ id: safeInt, to: address, values: args })
        .map((m) => ({ kind: "stream-result", from: "", ...m }) as const),
      fc.record({ id: safeInt, to: address }).map((m) => ({ kind: "stream-complete", from: "", ...m }) as const),
      fc
        .record({ id: safeInt, to: address, error: errorBody(anyType) }, { requiredKeys: ["id", "to"] })
        .map((m) => ({ kind: "stream-error", from: "", ...m }) as const),
      fc.record({ id: safeInt, from: address }).map((m) => ({ kind: "stream-cancel", to: "", ...m }) as const),
      fc
        .record({ id: safeInt, from: address, credit: natural })
        .map((m) => ({ kind: "stream-credit", to: "", ...m }) as const),
    ),
    headers,
  )
  .map(([message, h]) => optional(message, "headers", h) as Message);

/** JSON-RPC ids: strings, integers a double holds exactly, fractions, null. */
const rpcId: fc.Arbitrary<QueryId> = fc.oneof(
  text,
  safeInt,
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  fc.constant(null),
);
/** A method name and service that `Interface.method` splits back into the same two. */
const callName = fc.oneof(
  fc.record({ method: text.filter((m) => !m.includes(".")) }),
  fc.record({ method: text.filter((m) => m !== "" && !m.includes(".")), service: text.filter((s) => s !== "") }),
);
const rpcArgs = fc.oneof(
  args.map((a) => ({ args: a })),
  record().map((named) => ({ args: [], named })),
);

const rpcMessage = (ids: fc.Arbitrary<QueryId>, byName: boolean): fc.Arbitrary<Message> =>
  fc.oneof(
    fc
      .tuple(callName, byName ? rpcArgs : args.map((a) => ({ args: a })))
      .map(([name, a]) => ({ kind: "send", to: "", from: "", ...name, ...a }) as const),
    fc
      .tuple(ids, callName, byName ? rpcArgs : args.map((a) => ({ args: a })))
      .map(([id, name, a]) => ({ kind: "query", id, to: "", from: "", ...name, ...a }) as const),
    fc
      .record({ id: fc.oneof(ids, fc.constant(null)), result: json })
      .map((m) => ({ kind: "reply", to: "", from: "", ...m }) as const),
    fc
      .record({ id: fc.oneof(ids, fc.constant(null)), error: errorBody(anyType) })
      .map((m) => ({ kind: "query-error", to: "", from: "", ...m }) as const),
  );

const soapjrId: fc.Arbitrary<QueryId> = fc.oneof(text, safeInt, fc.constant(null));
const soapjrHeaders = headers.map((h) =>
  h === undefined
    ? undefined
    : Object.fromEntries(
        Object.entries(h).filter(([k]) => !["service_type", "action_type", "request_id", "result"].includes(k)),
      ),
);
/** What SOAPjr splits into one entry per parameter, and so reads back with a message of its own making. */
const issuesByParam = (error: ErrorBody) =>
  error.type === "invalid-arguments" && typeof error.data === "object" && error.data !== null && "issues" in error.data;

const soapjrMessage: fc.Arbitrary<Message> = fc.oneof(
  fc
    .record(
      { id: soapjrId, service: text, method: text, named: record(), headers: soapjrHeaders },
      { requiredKeys: ["id", "method", "named"] },
    )
    .map(({ headers: h, ...m }): Message => {
      const query: Message = { kind: "query", to: "", from: "", args: [], ...m };
      return h === undefined || Object.keys(h).length === 0 ? query : { ...query, headers: h };
    }),
  fc.record({ id: soapjrId, result: json }).map((m) => ({ kind: "reply", to: "", from: "", ...m }) as const),
  fc
    .record({ id: soapjrId, error: errorBody(anyType).filter((e) => !issuesByParam(e)) })
    .map((m) => ({ kind: "query-error", to: "", from: "", ...m }) as const),
);

/** Removes members whose value is undefined, which no wire carries. */
function defined(message: Message): Message {
  return JSON.parse(JSON.stringify(message)) as Message;
}

const carried: [FrameCodec, fc.Arbitrary<Message>][] = [
  [jampCodec, jampMessage],
  [jampBCodec, jampBMessage],
  [jsonRpc2Codec, rpcMessage(rpcId, true)],
  [jsonRpc1Codec, rpcMessage(fc.oneof(text, safeInt), false)],
  [soapjrCodec, soapjrMessage],
];

/** Frames of every shape the formats use, filled with anything: the inputs a codec must survive. */
const frames: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  json.map((value) => JSON.stringify(value)),
  fc
    .tuple(
      fc.constantFrom("send", "query", "reply", "error", "error-query", "stream", "stream-result", "stream-error"),
      fc.array(json, { maxLength: 8 }),
    )
    .map(([type, rest]) => JSON.stringify([type, ...rest])),
  fc
    .tuple(
      fc.constantFrom("send", "query", "reply", "error", "stream", "stream-credit"),
      record(),
      fc.array(json, { maxLength: 8 }),
    )
    .map(([type, h, rest]) => JSON.stringify([type, h, ...rest])),
  fc
    .record(
      { jsonrpc: fc.oneof(fc.constant("2.0"), json), method: json, params: json, id: json, result: json, error: json },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.array(record(json), { maxLength: 3 }).map((batch) => JSON.stringify(batch)),
  fc.record({ HEAD: fc.oneof(record(), json), BODY: json }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
);

describe.each(carried)("%o", (codec, messages) => {
  it("decodes what it encodes to the same message", () => {
    fc.assert(
      fc.property(messages, (message) => {
        expect(codec.decode(codec.encode(message))).toEqual(defined(message));
      }),
      runs,
    );
  });

  it("decodes any text to a message or an invalid-message error, whose answer it can encode", () => {
    fc.assert(
      fc.property(frames, (frame) => {
        let message: Message | undefined;
        try {
          message = codec.decode(frame);
        } catch (error) {
          expect(error).toBeInstanceOf(JampError);
          expect((error as JampError).type).toBe("invalid-message");
          const answer = codec.answerInvalid(error as JampError, "/self");
          if (answer !== undefined) expect(typeof codec.encode(answer)).toBe("string");
        }
        if (message !== undefined) expect(typeof codec.encode(message)).toBe("string");
      }),
      { numRuns: 1000 },
    );
  });
});

describe("recognition", () => {
  it("never has two registered formats claim the same frame", () => {
    fc.assert(
      fc.property(frames, (frame) => {
        let value: unknown;
        try {
          value = JSON.parse(frame);
        } catch {
          return;
        }
        expect(Object.values(codecs).filter((codec) => codec.recognizes(value)).length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });

  it("has each format recognise what it encodes", () => {
    for (const [codec, messages] of carried) {
      fc.assert(
        fc.property(messages, (message) => {
          const value: unknown = JSON.parse(codec.encode(message));
          expect(Object.values(codecs).filter((c) => c.recognizes(value))).toEqual([codec]);
        }),
        { numRuns: 100 },
      );
    }
  });
});
