/**
 * The server side of a service: a binding that checks a call against the service's descriptor, revives
 * its arguments, runs the implementation and encodes its result. Generated `serve<Service>()` functions
 * return one.
 */

import type {
  Encoder,
  MethodDescriptor,
  ParamDescriptor,
  ServiceDescriptor,
  ValidationIssue,
  Validator,
} from "./descriptor.js";
import type { CallContext } from "./context.js";
import { JampError } from "./errors.js";
import type { NamedArguments } from "./message.js";
import { checkValue, describeArgumentIssues, describeResultIssues, type ArgumentIssue } from "./issues.js";

export type { ArgumentIssue } from "./issues.js";

/** A service implementation reachable at an address; what a `Peer` routes incoming calls to. */
export interface ServiceBinding {
  readonly descriptor: ServiceDescriptor;
  /** Matched exactly against a message's `to`, or against the path of a `to` that is a URL. */
  readonly address: string;
  /**
   * Runs `method` with the wire arguments `args` (freshly decoded: they may be revived in place) and
   * resolves with its result in wire form (encoded, for a query); for a `stream` method, with an
   * `AsyncIterator` of its items in wire form, whose `return()` closes the implementation's iterator. It may
   * give that result itself rather than a promise of it (as `bindService` does for a handler that returned a
   * plain value), which the peer answers at once. The peer calls it only for own methods of
   * `descriptor.methods`, with the call's `context`. Rejects with a `JampError` (`invalid-arguments`,
   * `method-not-found`, an application's own type), or with whatever the implementation threw.
   */
  dispatch(method: string, args: readonly unknown[], context?: CallContext): unknown;
}

export interface BindServiceOptions {
  /** Default `descriptor.address`. */
  readonly address?: string | undefined;
  /** Check results against the descriptor before they are sent; a bad one becomes `internal-error`. */
  readonly validateResults?: boolean | undefined;
}

/**
 * Binds `impl` (an object or class instance with the service's methods) to `descriptor`. Each call:
 * for an optional parameter that is not nullable, `null` stands for "left out"; arity is checked (missing
 * required or extra arguments); every present argument is validated with path `/<index>`; on any issue the
 * call fails with `invalid-arguments` and the implementation does not run. Then arguments are revived and
 * `impl[method]` is called with `this = impl`, one argument per declared parameter (`undefined` for those
 * left out) and then the call's context, when the peer gave one; a query's result is encoded (and then, with
 * `validateResults`, checked in that wire form). A stream method returns an `AsyncIterable` (an async
 * generator method, typically), whose items are encoded and checked in the same way, one by one, as the
 * peer pulls them. A declared method that `impl` lacks answers
 * `method-not-found`, so a partial implementation is usable.
 */
export function bindService(
  descriptor: ServiceDescriptor,
  impl: object,
  options: BindServiceOptions = {},
): ServiceBinding {
  const validateResults = options.validateResults === true;
  // What each call of a method needs besides its arguments, made once here rather than on every call.
  const plans = new Map<string, MethodPlan>();
  for (const method of Object.keys(descriptor.methods)) {
    const spec = descriptor.methods[method] as MethodDescriptor;
    plans.set(method, { spec, finish: finisher(descriptor, method, spec, validateResults) });
  }
  return {
    descriptor,
    address: options.address ?? descriptor.address,
    dispatch: (method, args, context) => dispatchCall(descriptor, impl, plans.get(method), method, args, context),
  };
}

/** A method of a bound service: its descriptor and what turns its handler's result into what is sent. */
interface MethodPlan {
  readonly spec: MethodDescriptor;
  /** `undefined` when the result goes as it is. */
  readonly finish: ((result: unknown) => unknown) | undefined;
}

/**
 * Runs one call. Not `async`: a query goes through the handler's own promise and, only when its result needs
 * encoding or checking, one `then`. A handler that returns a plain value (no promise or other thenable) is
 * answered with that value itself, finished at once, without a promise. What throws before the handler runs
 * or while it runs becomes a rejection all the same.
 */
function dispatchCall(
  descriptor: ServiceDescriptor,
  impl: object,
  plan: MethodPlan | undefined,
  method: string,
  args: readonly unknown[],
  context: CallContext | undefined,
): unknown {
  let result: unknown;
  try {
    if (plan === undefined)
      throw new JampError("method-not-found", `${descriptor.name} has no method ${JSON.stringify(method)}`);
    const handler: unknown = (impl as Record<string, unknown>)[method];
    if (typeof handler !== "function") {
      throw new JampError("method-not-found", `${descriptor.name}.${method} is declared but not implemented`);
    }
    result = Reflect.apply(handler, impl, prepareArguments(descriptor, method, plan.spec.params, args, context));
    if (!isThenable(result)) return plan.finish === undefined ? result : plan.finish(result);
  } catch (error) {
    return Promise.reject(error);
  }
  const finish = plan.finish;
  // A thenable of any kind is adopted, as `await` would.
  const settled = Promise.resolve(result);
  return finish === undefined ? settled : settled.then(finish);
}

/**
 * Whether a result is a promise or another thenable, to be waited for as `await` would. Reading `then` may
 * run a getter; what it throws is the caller's to catch.
 */
export function isThenable(value: unknown): boolean {
  if (value instanceof Promise) return true;
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return false;
  return typeof (value as { then?: unknown }).then === "function";
}

/** What turns a handler's result into what is sent, or `undefined` when it goes as it is. */
function finisher(
  descriptor: ServiceDescriptor,
  method: string,
  spec: MethodDescriptor,
  validateResults: boolean,
): ((result: unknown) => unknown) | undefined {
  if (spec.kind === "send") return undefined;
  if (spec.kind === "stream") return (result) => streamItems(descriptor, method, spec, validateResults, result);
  const encode = spec.encodeResult;
  if (encode === undefined && !validateResults) return undefined;
  return (result) => {
    const wire = encode === undefined ? result : encodeResult(descriptor, method, encode, result);
    if (validateResults) checkResult(descriptor, method, spec, wire);
    return wire;
  };
}

/**
 * The items of the iterable a stream method returned, each in wire form: encoded, then checked with
 * `validateResults`. An item that cannot be encoded or is invalid fails the stream with `internal-error`.
 */
function streamItems(
  descriptor: ServiceDescriptor,
  method: string,
  spec: MethodDescriptor,
  validateResults: boolean,
  iterable: unknown,
): AsyncIterator<unknown> {
  const open = (iterable as Partial<AsyncIterable<unknown>> | null | undefined)?.[Symbol.asyncIterator];
  if (typeof open !== "function") {
    throw new JampError("internal-error", `${descriptor.name}.${method} returned no AsyncIterable`);
  }
  const source = Reflect.apply(open, iterable, []) as AsyncIterator<unknown>;
  const { encodeItem, item } = spec;
  const check = validateResults ? item : undefined;
  if (encodeItem === undefined && check === undefined) return source;
  return {
    async next() {
      const step = await source.next();
      if (step.done === true) return step;
      let wire = step.value;
      if (encodeItem !== undefined) wire = encodeResult(descriptor, method, encodeItem, wire, "an item");
      if (check !== undefined) checkItem(descriptor, method, check, wire);
      return { done: false, value: wire };
    },
    async return() {
      return (await source.return?.()) ?? { done: true, value: undefined };
    },
  };
}

function checkItem(descriptor: ServiceDescriptor, method: string, validate: Validator, wire: unknown): void {
  const issues = checkValue(validate, wire);
  if (issues === undefined) return;
  throw new JampError(
    "internal-error",
    `${descriptor.name}.${method} yielded an invalid item: ${describeResultIssues(issues, "item")}`,
    { data: { issues } },
  );
}

/** The result in wire form; a result that cannot be encoded (an invalid `Date`) is an `internal-error`. */
function encodeResult(
  descriptor: ServiceDescriptor,
  method: string,
  encode: Encoder,
  result: unknown,
  what = "a result",
): unknown {
  if (result === undefined || result === null) return result;
  try {
    return encode(result);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JampError(
      "internal-error",
      `${descriptor.name}.${method} returned ${what} that cannot be encoded: ${reason}`,
      { cause: error },
    );
  }
}

const scratchIssues: ValidationIssue[] = [];

/**
 * Normalises, checks and revives the wire arguments into the handler's: up to the last one present, or with
 * a `context`, one per declared parameter (`undefined` for those left out) and the context after them.
 * Throws `invalid-arguments`.
 */
function prepareArguments(
  descriptor: ServiceDescriptor,
  method: string,
  params: readonly ParamDescriptor[],
  args: readonly unknown[],
  context: CallContext | undefined,
): unknown[] {
  if (args.length > params.length) {
    const names = params.map((param) => param.name).join(", ");
    throw invalidArguments(descriptor, method, [
      {
        path: "",
        keyword: "maxItems",
        message: `takes at most ${params.length} argument${params.length === 1 ? "" : "s"} (${names}), got ${args.length}`,
      },
    ]);
  }
  let length = args.length;
  while (length > 0 && argumentAt(params, args, length - 1) === undefined) length--;
  // Made at its final size, the context stored first: an array grown by one, or turned from numbers to
  // objects, is copied into a new one. Slots left out are holes, which the handler gets as `undefined`.
  const values: unknown[] = new Array(context === undefined ? length : params.length + 1);
  if (context !== undefined) values[params.length] = context;
  for (let i = 0; i < length; i++) values[i] = argumentAt(params, args, i);

  let issues: ArgumentIssue[] | undefined;
  // Validators add to it only what is wrong; it is emptied before each use and copied out, so one serves all calls.
  const found = scratchIssues;
  for (let i = 0; i < params.length; i++) {
    const param = params[i] as ParamDescriptor;
    const value = values[i];
    const path = pathOf(i);
    if (value === undefined) {
      if (!param.optional)
        (issues ??= []).push({ path, param: param.name, keyword: "required", message: "is required" });
      continue;
    }
    if (found.length > 0) found.length = 0;
    if (param.validate(value, path, found)) continue;
    if (found.length === 0) found.push({ path, keyword: "valid", message: "is not valid" });
    issues ??= [];
    for (const issue of found) issues.push({ ...issue, param: param.name });
    found.length = 0;
  }
  if (issues !== undefined) throw invalidArguments(descriptor, method, issues);

  for (let i = 0; i < length; i++) {
    const revive = (params[i] as ParamDescriptor).revive;
    if (revive !== undefined && values[i] !== undefined) values[i] = revive(values[i]);
  }
  return values;
}

/** Argument `index` as the handler gets it: `null` for an optional parameter that is not nullable is left out. */
function argumentAt(params: readonly ParamDescriptor[], args: readonly unknown[], index: number): unknown {
  const value = args[index];
  if (value !== null) return value;
  const param = params[index] as ParamDescriptor;
  return param.optional && !param.nullable ? undefined : null;
}

function invalidArguments(descriptor: ServiceDescriptor, method: string, issues: readonly ArgumentIssue[]): JampError {
  return new JampError(
    "invalid-arguments",
    `Invalid arguments for ${descriptor.name}.${method}: ${describeArgumentIssues(issues)}`,
    { data: { issues } },
  );
}

function checkResult(descriptor: ServiceDescriptor, method: string, spec: MethodDescriptor, result: unknown): void {
  if (spec.result === undefined) return;
  const issues = checkValue(spec.result, result);
  if (issues === undefined) return;
  throw new JampError(
    "internal-error",
    `${descriptor.name}.${method} returned an invalid result: ${describeResultIssues(issues)}`,
    { data: { issues } },
  );
}

/**
 * The arguments of a call made by name (a JSON-RPC `params` object, a SOAPjr `BODY`) in declaration order,
 * a left-out parameter as `undefined`, for `ServiceBinding.dispatch`. A name that is no parameter of the
 * method fails the call with `invalid-arguments` (JSON-RPC's -32602); a missing required one is reported by
 * the binding, as for positional calls. Own members only, so `__proto__` is an unknown name like any other.
 */
export function argumentsByName(descriptor: ServiceDescriptor, method: string, named: NamedArguments): unknown[] {
  const spec = Object.hasOwn(descriptor.methods, method) ? descriptor.methods[method] : undefined;
  const params = spec?.params ?? [];
  const unknown = Object.keys(named).filter((name) => !params.some((param) => param.name === name));
  if (unknown.length > 0) {
    const names = params.map((param) => param.name).join(", ");
    throw invalidArguments(
      descriptor,
      method,
      unknown.map((name) => ({
        path: `/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`,
        param: name,
        keyword: "additionalProperties",
        message: `is not a parameter (${names === "" ? "it takes none" : names})`,
      })),
    );
  }
  return params.map((param) => (Object.hasOwn(named, param.name) ? named[param.name] : undefined));
}

const paths = Array.from({ length: 16 }, (_, i) => `/${i}`);

function pathOf(index: number): string {
  return paths[index] ?? `/${index}`;
}
