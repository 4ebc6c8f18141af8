/**
 * The services the conformance cases call, and how their answers are compared, shared by the replays over
 * WebSocket and over HTTP.
 */
import type { CallContext } from "../../src/runtime/context.js";
import type { ParamDescriptor, ServiceDescriptor, Validator } from "../../src/runtime/descriptor.js";
import { JampError } from "../../src/runtime/errors.js";
import { isNumber, isString } from "../unit/runtime/support/calculator.js";

const anything: Validator = () => true;
const number = (name: string, optional = false): ParamDescriptor => ({
  name,
  optional,
  nullable: false,
  validate: isNumber,
});
const numbers = (prefix: string): ParamDescriptor[] =>
  Array.from({ length: 8 }, (_, i) => number(`${prefix}${i}`, true));

/** The methods the 2.0 specification's examples call, bound at address "" so their bare names reach them. */
export const specService: ServiceDescriptor = {
  name: "Spec",
  address: "",
  methods: {
    subtract: { kind: "query", params: [number("minuend"), number("subtrahend")] },
    sum: { kind: "query", params: numbers("n") },
    update: {
      kind: "send",
      params: Array.from({ length: 8 }, (_, i) => ({
        name: `u${i}`,
        optional: true,
        nullable: true,
        validate: anything,
      })),
    },
    notify_hello: { kind: "send", params: [number("n")] },
    notify_sum: { kind: "send", params: numbers("n") },
    get_data: { kind: "query", params: [] },
  },
};

export const spec = {
  calls: 0,
  subtract: (minuend: number, subtrahend: number) => minuend - subtrahend,
  // Its eight optional parameters, then the call's context.
  sum: (...values: unknown[]) =>
    values.slice(0, 8).reduce<number>((total, value) => total + ((value as number | undefined) ?? 0), 0),
  update() {
    spec.calls++;
  },
  notify_hello() {
    spec.calls++;
  },
  notify_sum() {
    spec.calls++;
  },
  get_data: () => ["hello", 5],
};

/** A response with its error reduced to the code: the rest of an error is the server's to word. */
export function comparable(response: unknown): unknown {
  if (Array.isArray(response)) return response.map(comparable);
  if (typeof response !== "object" || response === null || !("error" in response)) return response;
  const { error } = response as { error: unknown };
  return typeof error === "object" && error !== null
    ? { ...response, error: { code: (error as { code?: unknown }).code } }
    : response;
}

export function sorted(responses: unknown): unknown {
  return Array.isArray(responses)
    ? [...responses].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
    : responses;
}

/** baratine-js's README service: `test(value)` answers `test[value]`. */
export const testService: ServiceDescriptor = {
  name: "Test",
  address: "/test",
  methods: {
    test: { kind: "query", params: [{ name: "value", optional: false, nullable: false, validate: isString }] },
  },
};

/** The draft's `math-service`, reached by the path of a `jamp+http://` address. */
export const mathService: ServiceDescriptor = {
  name: "MathService",
  address: "/math-service",
  methods: {
    add: {
      kind: "query",
      params: ["a", "b"].map((name) => ({ name, optional: false, nullable: false, validate: isNumber })),
    },
  },
};

const contact = {
  fn: "Joe Bloggs",
  kind: "individual",
  email: [{ type: ["internet", "pref"], value: "jbloggs@SOAPjr.org" }],
};
const text = (name: string) => ({ name, optional: false, nullable: false, validate: isString });

/** The "SOAPjr demos" contacts service, named as its `service_type`. */
export const contactsService: ServiceDescriptor = {
  name: "contacts",
  address: "/contacts",
  methods: {
    view: { kind: "query", params: [text("username")] },
    rename: { kind: "query", params: [text("a"), text("b")] },
  },
};

/** The sessions the contacts service knows: S-1's `sid`. */
const sessions = new Set(["80e5b8a8b9cbf3a79fe8d624628a0fe5"]);

/**
 * The contacts server's `authorize` hook: a call whose `sid` it does not know is refused, naming the header
 * (S-2); a call without one is let through as anonymous (S-6 carries none).
 */
export function authorizeContacts(ctx: CallContext): void {
  const sid = ctx.headers["sid"];
  if (sid !== undefined && (typeof sid !== "string" || !sessions.has(sid))) {
    throw new JampError("unauthorized", "Invalid session ID", { data: { header: "sid" } });
  }
}

export const contacts = {
  view: (username: string) => (username === "jbloggs" ? contact : null),
  rename(a: string, b: string): never {
    const renamed = { ...contact, fn: `${a} ${b}` };
    throw new Error(`cannot store ${renamed.fn}`);
  },
};
