/**
 * SOAPjr (PROTOCOLS.md 3): a JSON object with a `HEAD` and a `BODY`, request and response.
 *
 *   {"HEAD": {"service_type": "Calculator", "action_type": "add", "sid": "..."}, "BODY": {"a": 1, "b": 2}}
 *   {"HEAD": {"result": 1}, "BODY": {"value": 3}}
 *   {"HEAD": {"result": 0, "errors": {"BODY": {"b": {"code": 400, "message": "..."}}}}, "BODY": {}}
 *
 * A request names its service by interface name (`service_type`; without one, the service bound at address
 * `""`) and its method (`action_type`), and passes arguments by name in `BODY`; the calling side gives the
 * parameter names (`paramNames`). Every other `HEAD` member (`sid`, paging keys) is a header, and a header
 * named like a member SOAPjr gives a meaning (`service_type`, `action_type`, `request_id`, `result`) cannot
 * be sent (`invalid-message`). SOAPjr has no
 * one-way call: every request is a `query`, and the answer to a method that returns nothing is `null`.
 *
 * A result that is a JSON object is the `BODY` itself, as in SOAPjr's examples, unless its only member is
 * `value`; any other result is wrapped, `{"value": result}`. Read back, a `BODY` whose only member is `value`
 * is unwrapped; any other is the result.
 *
 * Errors: `HEAD.result` 0, `BODY` `{}`, and `HEAD.errors` grouped by context (`ENVELOPE`, `HEAD`, `BODY`),
 * then by the property concerned, each `{code, message}` with HTTP-like codes, plus our `type` (and `data`)
 * so that the runtime's error types survive:
 *
 *   invalid-message     ENVELOPE.json 400         service-not-found   HEAD.service_type 404
 *   invalid-arguments   BODY.<param> 400, one entry per parameter named by `data.issues` (with its issues),
 *                       else HEAD.action_type 400
 *   method-not-found    HEAD.action_type 404      timeout             HEAD.action_type 504
 *   limit-exceeded      HEAD.action_type 429      any other type      HEAD.action_type 500
 *   unauthorized        HEAD.<data.header> 401, else HEAD.sid 401 (SOAPjr's session id)
 *   forbidden           HEAD.<data.header> 403, else HEAD.action_type 403
 *
 * Read back: the first entry's `type` gives the type, else its place and code do: `ENVELOPE` entries
 * `invalid-message`, any 5xx `internal-error`, other `BODY` entries `invalid-arguments`, 404 on
 * `service_type` or `action_type` as above, 401 `unauthorized` and 403 `forbidden` anywhere else, anything
 * else `application-error`. `BODY`
 * entries make one `invalid-arguments` listing all their issues; other errors take the first entry's
 * message and `data`, or, from another implementation, `data: {errors}` with the whole grouping. Answers
 * do not repeat the request's `service_type` and `action_type`, as SOAPjr's examples do not.
 *
 * Ids: SOAPjr correlates by HTTP request and has none. So that it also works over a WebSocket, a request
 * may carry `HEAD.request_id` (a string or an integer; our extension), echoed in the answer's `HEAD`; a
 * request without one is a query with id `null`, answered without one.
 *
 * Recognised by a server: an object with a `HEAD` or a `BODY` member and no `jsonrpc` member.
 */

import type { ErrorBody } from "../errors.js";
import { JampError } from "../errors.js";
import { describeArgumentIssues, type ArgumentIssue } from "../issues.js";
import type { Message, MessageKind, QueryId } from "../message.js";
import { recoveredData, wireType, type FrameCodec, type InvalidMessageData } from "./codec.js";
import {
  defaultMaxDepth,
  describe,
  exceedsDepth,
  invalidMessage,
  isRecord,
  otherMembers,
  ownValue,
  parseFrame,
  setMember,
  stringify,
} from "./json.js";

const kinds: ReadonlySet<MessageKind> = new Set(["query", "reply", "query-error"]);

/** `HEAD` members of a request that are not headers. */
const requestKeys = ["service_type", "action_type", "request_id"];
/** What no header may be named: the request's own members, and `result`, which makes a `HEAD` a response's. */
const reservedKeys = [...requestKeys, "result"];

interface Place {
  readonly context: string;
  readonly property: string;
  readonly code: number;
}

const placeOfType = new Map<string, Place>([
  ["invalid-message", { context: "ENVELOPE", property: "json", code: 400 }],
  ["service-not-found", { context: "HEAD", property: "service_type", code: 404 }],
  ["method-not-found", { context: "HEAD", property: "action_type", code: 404 }],
  ["invalid-arguments", { context: "HEAD", property: "action_type", code: 400 }],
  ["timeout", { context: "HEAD", property: "action_type", code: 504 }],
  ["limit-exceeded", { context: "HEAD", property: "action_type", code: 429 }],
  ["unauthorized", { context: "HEAD", property: "sid", code: 401 }],
  ["forbidden", { context: "HEAD", property: "action_type", code: 403 }],
]);
/** The types whose entry goes under the header `data.header` names, when it names one. */
const headerTypes = new Set(["unauthorized", "forbidden"]);
const otherPlace: Place = { context: "HEAD", property: "action_type", code: 500 };

type Entry = Record<string, unknown>;
type Errors = Record<string, Record<string, Entry>>;

export interface SoapjrCodecOptions {
  /** The deepest nesting of arrays and objects a frame may hold, the message object counting as 1. Default 128. */
  readonly maxDepth?: number;
}

/** Makes a SOAPjr codec with its own limits; {@link soapjrCodec} uses the defaults. */
export function createSoapjrCodec(options: SoapjrCodecOptions = {}): FrameCodec {
  const maxDepth = options.maxDepth ?? defaultMaxDepth;
  const read = (value: unknown): Message => readMessage(value, maxDepth);
  return {
    name: "soapjr",
    kinds,
    encode: (message) => stringify(wireObject(message), message.kind),
    decode: (frame) => read(parseFrame(frame, "SOAPjr")),
    recognizes: (value) =>
      isRecord(value) &&
      !Object.hasOwn(value, "jsonrpc") &&
      (Object.hasOwn(value, "HEAD") || Object.hasOwn(value, "BODY")),
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
    answerUnrecognised: (error) => JSON.stringify(failure(null, { type: error.type, message: error.message })),
  };
}

export const soapjrCodec: FrameCodec = createSoapjrCodec();

/**
 * The SOAPjr message of an HTTP request's parameters (`json=<URL-encoded object>`, in a GET query string
 * or an `application/x-www-form-urlencoded` POST body), as text for the peer. Throws `invalid-message`
 * unless `json` occurs exactly once; answer that with `soapjrCodec.answerUnrecognised`.
 */
export function soapjrFormFrame(form: string): string {
  const values = new URLSearchParams(form.startsWith("?") ? form.slice(1) : form).getAll("json");
  if (values.length === 1) return values[0] as string;
  throw invalidMessage("SOAPjr", `a request has exactly one "json" parameter, this one has ${values.length}`, {
    kind: "query",
  });
}

function wireObject(message: Message): object {
  switch (message.kind) {
    case "query": {
      const taken = Object.keys(message.headers ?? {}).filter((key) => reservedKeys.includes(key));
      if (taken.length > 0) {
        throw new JampError("invalid-message", `SOAPjr gives HEAD.${taken[0]} its own meaning: it cannot be a header`);
      }
      const head: Record<string, unknown> = { ...message.headers, action_type: message.method };
      if (message.service !== undefined) head["service_type"] = message.service;
      return { HEAD: withId(head, message.id), BODY: argumentsOf(message) };
    }
    case "reply": {
      const { result } = message;
      const sole = isRecord(result) && Object.keys(result).length === 1 && Object.hasOwn(result, "value");
      return {
        HEAD: withId({ result: 1 }, message.id),
        BODY: isRecord(result) && !sole ? result : { value: result ?? null },
      };
    }
    case "query-error":
      return failure(message.id, message.error);
    default:
      throw new JampError("invalid-message", `SOAPjr has no ${message.kind} message (every request is answered)`);
  }
}

/** `head` with `request_id` when there is an id; one the decoder would refuse is refused here. */
function withId(head: Record<string, unknown>, id: QueryId): Record<string, unknown> {
  if (id === null) return head;
  if (typeof id !== "string" && !Number.isSafeInteger(id)) {
    throw new JampError("invalid-message", `SOAPjr request ids are strings or integers, got ${describe(id)}`);
  }
  head["request_id"] = id;
  return head;
}

/** `BODY`: the arguments by name, from `named`, or from `args` and the parameter names the caller gave. */
function argumentsOf(message: Message & { kind: "query" }): Record<string, unknown> {
  if (message.named !== undefined) return { ...message.named };
  const body: Record<string, unknown> = {};
  const names = message.paramNames ?? [];
  message.args.forEach((arg, i) => {
    const name = names[i];
    if (name === undefined) {
      throw new JampError(
        "invalid-message",
        `SOAPjr passes arguments by name; argument ${i} of ${message.method} has none`,
      );
    }
    if (arg !== undefined) setMember(body, name, arg);
  });
  return body;
}

function failure(id: QueryId, error: ErrorBody): object {
  return { HEAD: withId({ result: 0, errors: errorsOf(error) }, id), BODY: {} };
}

function errorsOf(error: ErrorBody): Errors {
  const type = wireType(error);
  const byParam = type === "invalid-arguments" ? issuesByParam(error.data) : undefined;
  if (byParam !== undefined) {
    const body: Record<string, Entry> = {};
    for (const [param, issues] of byParam) {
      setMember(body, param, { code: 400, message: describeArgumentIssues(issues), type, issues });
    }
    return { BODY: body };
  }
  const place = placeOf(error, type);
  const entry: Entry = { code: place.code, message: error.message, type };
  if (error.data !== undefined) entry["data"] = error.data;
  return { [place.context]: { [place.property]: entry } };
}

/** Where an error of `type` (the error's type as the wire gives it) goes in `errors`. */
function placeOf(error: ErrorBody, type: string): Place {
  const place = placeOfType.get(type) ?? otherPlace;
  const header = headerTypes.has(type) && isRecord(error.data) ? ownValue(error.data, "header") : undefined;
  return typeof header === "string" && header !== "" ? { ...place, context: "HEAD", property: header } : place;
}

/** The issues of `data.issues` by the parameter they name, or `undefined` unless every issue names one. */
function issuesByParam(data: unknown): Map<string, ArgumentIssue[]> | undefined {
  const issues = isRecord(data) ? ownValue(data, "issues") : undefined;
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  const byParam = new Map<string, ArgumentIssue[]>();
  for (const issue of issues) {
    const param = isRecord(issue) ? ownValue(issue, "param") : undefined;
    if (typeof param !== "string") return undefined;
    byParam.set(param, [...(byParam.get(param) ?? []), issue as ArgumentIssue]);
  }
  return byParam;
}

function readMessage(o: unknown, maxDepth: number): Message {
  if (!isRecord(o)) throw invalid(`a message must be a JSON object, got ${describe(o)}`);
  const head = ownValue(o, "HEAD");
  if (!isRecord(head)) throw invalid(`"HEAD" must be an object, got ${describe(head)}`, { kind: "query" });
  const message = Object.hasOwn(head, "result") ? readResponse(head, o) : readRequest(head, o);
  if (exceedsDepth(o, maxDepth)) throw invalid(`the message nests deeper than ${maxDepth} levels`, recover(head));
  return message;
}

function readRequest(head: Record<string, unknown>, o: Record<string, unknown>): Message {
  const id = readId(head);
  const method = ownValue(head, "action_type");
  if (typeof method !== "string")
    throw invalid(`"HEAD.action_type" must be a string, got ${describe(method)}`, recover(head));
  const service = ownValue(head, "service_type");
  if (service !== undefined && typeof service !== "string") {
    throw invalid(`"HEAD.service_type" must be a string, got ${describe(service)}`, recover(head));
  }
  const body = ownValue(o, "BODY");
  if (!isRecord(body)) throw invalid(`"BODY" must be an object, got ${describe(body)}`, recover(head));
  // Defined, not assigned, so that a `__proto__` member is a header like any other.
  const headers = otherMembers(head, requestKeys);
  return {
    kind: "query",
    id,
    to: "",
    from: "",
    method,
    args: [],
    named: body,
    ...(service === undefined ? {} : { service }),
    ...(headers === undefined ? {} : { headers }),
  };
}

function readResponse(head: Record<string, unknown>, o: Record<string, unknown>): Message {
  const id = readId(head);
  const result = head["result"];
  const body = ownValue(o, "BODY");
  if (result === 1 || result === true) {
    if (!Object.hasOwn(o, "BODY")) throw invalid('a response needs a "BODY"', recover(head));
    const sole = isRecord(body) && Object.keys(body).length === 1 && Object.hasOwn(body, "value");
    return { kind: "reply", id, to: "", from: "", result: sole ? body["value"] : body };
  }
  if (result === 0 || result === false)
    return { kind: "query-error", id, to: "", from: "", error: readErrors(head["errors"]) };
  throw invalid(`"HEAD.result" must be 1 or 0, got ${describe(result)}`, recover(head));
}

function readId(head: Record<string, unknown>): QueryId {
  const id = ownValue(head, "request_id");
  if (id === undefined) return null;
  if (typeof id === "string" || Number.isSafeInteger(id)) return id as QueryId;
  throw invalid(`"HEAD.request_id" must be a string or an integer, got ${describe(id)}`, { kind: "query" });
}

function readErrors(errors: unknown): ErrorBody {
  const entries: [context: string, property: string, entry: Entry][] = [];
  if (isRecord(errors)) {
    for (const [context, group] of Object.entries(errors)) {
      if (!isRecord(group)) continue;
      for (const [property, entry] of Object.entries(group))
        if (isRecord(entry)) entries.push([context, property, entry]);
    }
  }
  const first = entries[0];
  if (first === undefined) return { type: "internal-error", message: "the service reported a failure without errors" };
  const [context, property, entry] = first;
  const named = ownValue(entry, "type");
  const type = typeof named === "string" && named !== "" ? named : typeOf(context, property, ownValue(entry, "code"));
  if (type === "invalid-arguments" && context === "BODY") return readArgumentErrors(entries);
  const message = messageOf(entry);
  if (Object.hasOwn(entry, "data")) return { type, message, data: entry["data"] };
  return entries.length === 1 && typeof named === "string" ? { type, message } : { type, message, data: { errors } };
}

/** One `invalid-arguments` from the `BODY` entries: their messages joined, their issues listed. */
function readArgumentErrors(entries: readonly [string, string, Entry][]): ErrorBody {
  const body = entries.filter(([context]) => context === "BODY");
  const issues: unknown[] = [];
  for (const [, property, entry] of body) {
    const listed = ownValue(entry, "issues");
    if (Array.isArray(listed)) issues.push(...listed);
    else issues.push({ path: `/${property}`, param: property, keyword: "soapjr", message: messageOf(entry) });
  }
  return {
    type: "invalid-arguments",
    message: body.map(([, , entry]) => messageOf(entry)).join("; "),
    data: { issues },
  };
}

function typeOf(context: string, property: string, code: unknown): string {
  if (context === "ENVELOPE") return "invalid-message";
  if (typeof code === "number" && code >= 500 && code <= 599) return "internal-error";
  if (context === "BODY") return "invalid-arguments";
  if (code === 404 && property === "service_type") return "service-not-found";
  if (code === 404 && property === "action_type") return "method-not-found";
  if (code === 401) return "unauthorized";
  if (code === 403) return "forbidden";
  return "application-error";
}

function messageOf(entry: Entry): string {
  const message = ownValue(entry, "message");
  return typeof message === "string" ? message : "the service reported an error without a message";
}

function recover(head: Record<string, unknown>): InvalidMessageData {
  const kind = Object.hasOwn(head, "result") ? "reply" : "query";
  const id = ownValue(head, "request_id");
  return typeof id === "string" || Number.isSafeInteger(id) ? { kind, id: id as QueryId } : { kind };
}

function invalid(reason: string, data: InvalidMessageData = {}): JampError {
  return invalidMessage("SOAPjr", reason, data);
}
