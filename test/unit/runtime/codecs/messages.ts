/**
 * Arbitrary messages of every kind, with every member the model has, filled with awkward values (lone
 * surrogates, `__proto__` keys, ids and credits of every JSON type), and, per codec, what its format
 * cannot carry: the messages its `encode` refuses and the named changes `decode(encode(m))` makes to the
 * others. `properties.test.ts` checks the round trip against them and each of them against an example.
 */
import fc from "fast-check";
import type { FrameCodec } from "../../../../src/runtime/codecs/codec.js";
import {
  jampBCodec,
  jampCodec,
  jsonRpc1Codec,
  jsonRpc2Codec,
  soapjrCodec,
} from "../../../../src/runtime/codecs/index.js";
import type { ErrorBody } from "../../../../src/runtime/errors.js";
import { describeArgumentIssues, type ArgumentIssue } from "../../../../src/runtime/issues.js";
import type { Headers, Message, MessageByKind, MessageKind, QueryId } from "../../../../src/runtime/message.js";

/** Characters with a lone surrogate now and then. */
const char = fc.oneof(
  { weight: 9, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: "grapheme" }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)) },
);
export const text = fc.string({ maxLength: 10, unit: char });
/** Keys as hostile input has them: with `__proto__`, `constructor` and `prototype` often. */
export const key = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "") },
);

/** An object with `entries` as own data properties (assigning `__proto__` would run its setter instead). */
export function own(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [name, value] of entries) defineOwn(object, name, value);
  return object;
}

export function defineOwn(object: object, name: string, value: unknown): void {
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
}

const { value: jsonTree } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(2 ** 53, -(2 ** 53) - 2, 1e308, 5e-324),
    text,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 4 }).map(own),
  ),
}));

/** JSON values as `JSON.parse` returns them (so no `-0`), `__proto__` keys included as data. */
export const json: fc.Arbitrary<unknown> = jsonTree.map((value) => JSON.parse(JSON.stringify(value)) as unknown);
export const record = (values: fc.Arbitrary<unknown> = json): fc.Arbitrary<Record<string, unknown>> =>
  fc.array(fc.tuple(key, values), { maxLength: 4 }).map(own);

const natural = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
/** Ids of every kind: those some format takes, and those it cannot read back. */
export const anyId: fc.Arbitrary<QueryId> = fc.oneof(
  natural,
  text,
  fc.constant(null),
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: -1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom(2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, Infinity, Number.NaN),
);
const anyCredit = fc.oneof(natural, fc.integer({ min: 0, max: 64 }), fc.constantFrom(-1, 0.5, 2 ** 53, Infinity));

const errorType = fc.oneof(
  fc.constantFrom(
    "service-not-found",
    "method-not-found",
    "invalid-arguments",
    "invalid-message",
    "internal-error",
    "timeout",
    "cancelled",
    "connection-closed",
    "limit-exceeded",
    "application-error",
    "unauthorized",
    "forbidden",
  ),
  fc.constantFrom("division-by-zero", "UNKNOWN", "service_not_found", "illegal-state", ""),
  text,
);
const issue = fc.record(
  { path: text, param: key, keyword: text, message: text },
  { requiredKeys: ["path", "keyword", "message"] },
);
export const errorBody: fc.Arbitrary<ErrorBody> = fc.oneof(
  fc.record({ type: errorType, message: text, data: json }, { requiredKeys: ["type", "message"] }),
  fc.record({
    type: fc.constant("invalid-arguments"),
    message: text,
    data: fc.oneof(
      fc.record({ issues: fc.array(issue, { minLength: 1, maxLength: 4 }) }),
      fc.record({ issues: fc.array(issue, { maxLength: 2 }), more: json }),
    ),
  }),
);

/** Headers, sometimes named like the members of a SOAPjr `HEAD`. */
const headers: fc.Arbitrary<Headers> = fc
  .array(fc.tuple(fc.oneof(key, fc.constantFrom("result", "service_type", "action_type", "request_id")), json), {
    maxLength: 3,
  })
  .map(own);

/** A method name; dots now and then, as JSON-RPC names split at the last one. */
const name = fc.oneof(text, fc.tuple(text, text).map(([a, b]) => `${a}.${b}`));

/** The call part: positional arguments, or by name (then `args` is empty, as the model has it). */
const call = fc
  .record(
    {
      to: text,
      from: text,
      method: name,
      args: fc.array(json, { maxLength: 4 }),
      named: record(),
      service: name,
      paramNames: fc.uniqueArray(key, { maxLength: 5 }),
      headers,
    },
    { requiredKeys: ["to", "from", "method", "args"] },
  )
  .map((m) => (m.named === undefined ? m : { ...m, args: [] }));
const answer = fc.record({ id: anyId, to: text, from: text, headers }, { requiredKeys: ["id", "to", "from"] });

/** One arbitrary per kind; the type makes a new kind without one a compile error. */
const byKind: { readonly [K in MessageKind]: fc.Arbitrary<MessageByKind[K]> } = {
  send: call.map((m) => ({ kind: "send", ...m })),
  query: fc.tuple(call, anyId).map(([m, id]) => ({ kind: "query", id, ...m })),
  reply: fc
    .tuple(answer, fc.option(json, { nil: undefined, freq: 10 }))
    .map(([m, result]) => ({ kind: "reply", ...m, result })),
  "query-error": fc.tuple(answer, errorBody).map(([m, error]) => ({ kind: "query-error", ...m, error })),
  error: fc
    .record({ to: text, from: text, error: errorBody, headers }, { requiredKeys: ["to", "from", "error"] })
    .map((m) => ({ kind: "error", ...m })),
  stream: fc.tuple(call, anyId, anyCredit).map(([m, id, credit]) => ({ kind: "stream", id, ...m, credit })),
  "stream-result": fc
    .tuple(answer, fc.array(json, { maxLength: 4 }))
    .map(([m, values]) => ({ kind: "stream-result", ...m, values })),
  "stream-complete": answer.map((m) => ({ kind: "stream-complete", ...m })),
  "stream-error": fc
    .tuple(answer, fc.option(errorBody, { nil: undefined }))
    .map(([m, error]) =>
      error === undefined ? { kind: "stream-error", ...m } : { kind: "stream-error", ...m, error },
    ),
  "stream-cancel": answer.map((m) => ({ kind: "stream-cancel", ...m })),
  "stream-credit": fc.tuple(answer, anyCredit).map(([m, credit]) => ({ kind: "stream-credit", ...m, credit })),
};

export const allKinds = Object.keys(byKind) as MessageKind[];

/** Messages of the given kinds. */
export function messagesOf(kinds: Iterable<MessageKind>): fc.Arbitrary<Message> {
  return fc.oneof(...[...kinds].map((kind) => byKind[kind] as fc.Arbitrary<Message>));
}

/** A message `encode` must refuse: why (the test's name), when, and one message refused for that reason alone. */
export interface Refusal {
  readonly name: string;
  readonly refuses: (message: Message) => boolean;
  readonly example: Message;
}

/** A change `decode(encode(m))` makes: what the format cannot carry, precisely, and an example it changes. */
export interface Normalisation {
  readonly name: string;
  readonly apply: (message: Message) => Message;
  readonly example: Message;
}

export interface Carriage {
  readonly codec: FrameCodec;
  readonly refusals: readonly Refusal[];
  /** Applied in order. */
  readonly normalisations: readonly Normalisation[];
}

// Small pieces the tables below share.

type Call = Message & { kind: "send" | "query" | "stream" };
const isCall = (m: Message): m is Call => m.kind === "send" || m.kind === "query" || m.kind === "stream";
const hasId = (m: Message): m is Message & { id: QueryId } => "id" in m;
const isNatural = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;
/** What the JSON-RPC formats read back exactly: strings, `null`, finite numbers, integers within ±(2^53-1). */
const rpcIdOk = (id: QueryId): boolean =>
  typeof id === "string" || id === null || (Number.isFinite(id) && (!Number.isInteger(id) || Number.isSafeInteger(id)));

function without(m: Message, ...members: string[]): Message {
  const copy: Record<string, unknown> = { ...m };
  for (const member of members) delete copy[member];
  return copy as unknown as Message;
}

function mapError(m: Message, change: (error: ErrorBody) => ErrorBody): Message {
  return "error" in m && m.error !== undefined ? ({ ...m, error: change(m.error) } as Message) : m;
}

const base = { to: "/to", from: "/from" };
const sendExample: Message = { kind: "send", ...base, method: "m", args: [1] };
const queryExample: Message = { kind: "query", id: 1, ...base, method: "m", args: [1] };

const refuseKindsOutside = (codec: FrameCodec, example: Message): Refusal => ({
  name: `has no place for ${allKinds.filter((k) => !codec.kinds.has(k)).join(", ")} messages`,
  refuses: (m) => !codec.kinds.has(m.kind),
  example,
});
const refuseNamed = (format: string): Refusal => ({
  name: `${format} passes arguments by position: a call with arguments by name is refused`,
  refuses: (m) => isCall(m) && m.named !== undefined,
  example: { ...sendExample, args: [], named: { a: 1 } },
});

const queryErrorWithoutType: Message = { kind: "query-error", id: 1, ...base, error: { type: "", message: "m" } };

const refuseCredits = (example: number): Refusal => ({
  name: "credits are integers from 0 to 2^53-1",
  refuses: (m) => "credit" in m && !isNatural(m.credit),
  example: { kind: "stream-credit", id: 1, ...base, credit: example },
});

const refuseHeaders: Refusal = {
  name: "headers have no place: a message carrying some is refused rather than sent without them",
  refuses: (m) => m.headers !== undefined && Object.keys(m.headers).length > 0,
  example: { ...sendExample, headers: { h: 1 } },
};
const dropNoHeaders: Normalisation = {
  name: "headers have no place: empty ones are none",
  apply: (m) => without(m, "headers"),
  example: { ...sendExample, headers: {} },
};
const dropEmptyHeaders = (example: Message): Normalisation => ({
  name: "empty headers read as none",
  apply: (m) => (m.headers !== undefined && Object.keys(m.headers).length === 0 ? without(m, "headers") : m),
  example,
});
const dropCallTarget = (format: string): Normalisation => ({
  name: `${format} addresses services: a call's service and parameter names are not carried`,
  apply: (m) => (isCall(m) ? without(m, "service", "paramNames") : m),
  example: { ...sendExample, service: "Calculator", paramNames: ["a"] },
});
const dropParamNames: Normalisation = {
  name: "a call's parameter names are not carried",
  apply: (m) => (isCall(m) ? without(m, "paramNames") : m),
  example: { ...sendExample, paramNames: ["a"] },
};
const nullResult: Normalisation = {
  name: "a result left undefined reads as null",
  apply: (m) => (m.kind === "reply" && m.result === undefined ? { ...m, result: null } : m),
  example: { kind: "reply", id: 1, ...base, result: undefined },
};
const emptyType = (example: Message): Normalisation => ({
  name: "an error whose type is empty reads as internal-error",
  apply: (m) => mapError(m, (error) => (error.type === "" ? { ...error, type: "internal-error" } : error)),
  example,
});
const noAddresses = (format: string): Normalisation => ({
  name: `${format} has no addresses: to and from read as ""`,
  apply: (m) => ({ ...m, to: "", from: "" }),
  example: { kind: "reply", id: 1, ...base, result: 1 },
});
/** `Calculator.add` is written for service `Calculator`, method `add`, and split at the last dot when read. */
const splitName: Normalisation = {
  name: "the method name is written `Service.method` and split at its last dot",
  apply(m) {
    if (!isCall(m)) return m;
    const whole = m.service === undefined ? m.method : `${m.service}.${m.method}`;
    const dot = whole.lastIndexOf(".");
    const { service: _, ...rest } = m;
    if (dot <= 0 || dot === whole.length - 1) return { ...rest, method: whole };
    return { ...rest, method: whole.slice(dot + 1), service: whole.slice(0, dot) };
  },
  example: { ...sendExample, method: "a.b" },
};

const jamp: Carriage = {
  codec: jampCodec,
  refusals: [
    refuseHeaders,
    refuseNamed("JAMP"),
    {
      name: "query ids are integers from 0 to 2^53-1 or strings",
      refuses: (m) => hasId(m) && typeof m.id !== "string" && !isNatural(m.id),
      example: { ...queryExample, id: -1 },
    },
    refuseCredits(1.5),
  ],
  normalisations: [
    dropNoHeaders,
    dropCallTarget("JAMP"),
    nullResult,
    emptyType({ kind: "error", ...base, error: { type: "", message: "m" } }),
    {
      name: "a stream-error without detail gets one: internal-error, the stream failed",
      apply: (m) =>
        m.kind === "stream-error" && m.error === undefined
          ? { ...m, error: { type: "internal-error", message: "the stream failed" } }
          : m,
      example: { kind: "stream-error", id: 1, ...base },
    },
  ],
};

const jampB: Carriage = {
  codec: jampBCodec,
  refusals: [
    refuseKindsOutside(jampBCodec, { kind: "error", ...base, error: { type: "t", message: "m" } }),
    refuseNamed("JAMP/B"),
    {
      name: "query ids are integers from -(2^53-1) to 2^53-1",
      refuses: (m) => hasId(m) && !Number.isSafeInteger(m.id),
      example: { ...queryExample, id: "1" },
    },
    refuseCredits(-1),
  ],
  normalisations: [
    dropEmptyHeaders({ ...queryExample, headers: {} }),
    dropCallTarget("JAMP/B"),
    {
      name: 'the layout has no sender for send and answers, and no callee for stream-cancel and stream-credit: ""',
      apply: (m) =>
        m.kind === "stream-cancel" || m.kind === "stream-credit"
          ? { ...m, to: "" }
          : m.kind === "query" || m.kind === "stream"
            ? m
            : { ...m, from: "" },
      example: { kind: "stream-credit", id: 1, ...base, credit: 1 },
    },
    nullResult,
    emptyType(queryErrorWithoutType),
  ],
};

const jsonRpc2: Carriage = {
  codec: jsonRpc2Codec,
  refusals: [
    refuseHeaders,
    refuseKindsOutside(jsonRpc2Codec, { kind: "stream-cancel", id: 1, ...base }),
    {
      name: "ids are strings, null or numbers JavaScript reads back exactly",
      refuses: (m) => hasId(m) && !rpcIdOk(m.id),
      example: { ...queryExample, id: 2 ** 53 + 2 },
    },
  ],
  normalisations: [
    noAddresses("JSON-RPC 2.0"),
    dropNoHeaders,
    dropParamNames,
    splitName,
    nullResult,
    emptyType(queryErrorWithoutType),
  ],
};

const jsonRpc1: Carriage = {
  codec: jsonRpc1Codec,
  refusals: [
    refuseHeaders,
    refuseKindsOutside(jsonRpc1Codec, { kind: "error", ...base, error: { type: "t", message: "m" } }),
    refuseNamed("JSON-RPC 1.0"),
    {
      name: "ids are strings, null or numbers JavaScript reads back exactly",
      refuses: (m) => hasId(m) && !rpcIdOk(m.id),
      example: { kind: "reply", id: Number.NaN, ...base, result: 1 },
    },
    {
      name: "a query's id is not null (id null marks a notification)",
      refuses: (m) => m.kind === "query" && m.id === null,
      example: { ...queryExample, id: null },
    },
  ],
  normalisations: [
    noAddresses("JSON-RPC 1.0"),
    dropNoHeaders,
    dropParamNames,
    splitName,
    nullResult,
    emptyType(queryErrorWithoutType),
  ],
};

/** SOAPjr `HEAD` members a query's headers cannot be named. */
const soapjrHeadKeys = ["service_type", "action_type", "request_id", "result"];

/** What SOAPjr's `BODY` entries of an `invalid-arguments` read back as: one per parameter, in the object's order. */
function issuesRead(error: ErrorBody): ErrorBody {
  const data = error.data as { issues: ArgumentIssue[] };
  // An object, as the wire has it: its keys come back in the order objects keep (integer-like ones first).
  const byParam: Record<string, ArgumentIssue[]> = {};
  for (const issue of data.issues) {
    const param = issue.param as string;
    const earlier = Object.hasOwn(byParam, param) ? (byParam[param] as ArgumentIssue[]) : [];
    defineOwn(byParam, param, [...earlier, issue]);
  }
  const groups = Object.values(byParam);
  return {
    type: "invalid-arguments",
    message: groups.map((issues) => describeArgumentIssues(issues)).join("; "),
    data: { issues: groups.flat() },
  };
}
const splitsByParam = (error: ErrorBody): boolean => {
  if (error.type !== "invalid-arguments" || typeof error.data !== "object" || error.data === null) return false;
  const issues = (error.data as { issues?: unknown }).issues;
  const named = (i: unknown): boolean =>
    typeof i === "object" && i !== null && !Array.isArray(i) && Object.hasOwn(i, "param") &&
    typeof (i as { param: unknown }).param === "string";
  return Array.isArray(issues) && issues.length > 0 && issues.every(named);
};

const soapjr: Carriage = {
  codec: soapjrCodec,
  refusals: [
    refuseKindsOutside(soapjrCodec, sendExample),
    {
      name: "ids are strings, integers from -(2^53-1) to 2^53-1 or null (none)",
      refuses: (m) => hasId(m) && m.id !== null && typeof m.id !== "string" && !Number.isSafeInteger(m.id),
      example: { ...queryExample, id: 1.5, args: [], named: {} },
    },
    {
      name: "arguments go by name: a positional argument without a parameter name is refused",
      refuses: (m) => m.kind === "query" && m.named === undefined && m.args.length > (m.paramNames?.length ?? 0),
      example: { ...queryExample, paramNames: [] },
    },
    {
      name: `a query's headers cannot be named ${soapjrHeadKeys.join(", ")}`,
      refuses: (m) =>
        m.kind === "query" && m.headers !== undefined && soapjrHeadKeys.some((k) => Object.hasOwn(m.headers ?? {}, k)),
      example: { ...queryExample, args: [], named: {}, headers: { result: 1 } },
    },
  ],
  normalisations: [
    noAddresses("SOAPjr"),
    {
      name: "positional arguments travel by name, in BODY; the parameter names are not carried",
      apply(m) {
        if (m.kind !== "query") return m;
        const { paramNames, ...rest } = m;
        if (m.named !== undefined) return rest;
        return { ...rest, args: [], named: own(m.args.map((arg, i) => [(paramNames ?? [])[i] as string, arg])) };
      },
      example: { ...queryExample, paramNames: ["a"] },
    },
    {
      name: "answers carry no headers",
      apply: (m) => (m.kind === "query" ? m : without(m, "headers")),
      example: { kind: "reply", id: 1, ...base, result: 1, headers: { h: 1 } },
    },
    dropEmptyHeaders({ ...queryExample, args: [], named: {}, headers: {} }),
    nullResult,
    emptyType(queryErrorWithoutType),
    {
      name:
        "invalid-arguments whose issues all name a parameter: one BODY entry per parameter, " +
        "its message rebuilt from its issues",
      apply: (m) => mapError(m, (error) => (splitsByParam(error) ? issuesRead(error) : error)),
      example: {
        kind: "query-error",
        id: 1,
        ...base,
        error: {
          type: "invalid-arguments",
          message: "bad",
          data: { issues: [{ path: "/0", param: "a", keyword: "type", message: "must be number" }], more: 1 },
        },
      },
    },
  ],
};

/** Every codec's carriage, in the registry's order. */
export const carriages: readonly Carriage[] = [jamp, jampB, jsonRpc2, jsonRpc1, soapjr];

/** What `decode(encode(m))` should give for a message `carriage` does not refuse. */
export function expectedRoundTrip(carriage: Carriage, message: Message): Message {
  return carriage.normalisations.reduce((m, normalisation) => normalisation.apply(m), message);
}
