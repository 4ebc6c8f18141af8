/**
 * The calling side of a service: generated clients delegate every method to one of these, as in
 * `return this.#client.query<number>("add", [a, b], options)`.
 */

import type { ClientDescriptor, ClientMethodDescriptor, ResultValidators, Reviver, Validator } from "./descriptor.js";
import { reasonOf } from "./codecs/json.js";
import { JampError } from "./errors.js";
import { checkValue, describeResultIssues } from "./issues.js";
import type { Headers } from "./message.js";
import type { CallOptions, CallTarget, SendOptions, StreamOptions } from "./peer.js";

/**
 * What generated clients call through: a `Peer` (from `connect`, `connectWebSocketPeer`, ...) or the
 * call-only `WebSocketCaller` of `connectCaller`. Each method is `Peer`'s of the same name; arguments and
 * results are in wire form (`createClient` encodes, validates and revives).
 */
export interface Caller {
  query(to: string, method: string, args: readonly unknown[], options?: CallOptions, target?: CallTarget): Promise<unknown>;
  send(to: string, method: string, args: readonly unknown[], options?: SendOptions, target?: CallTarget): void;
  stream(
    to: string,
    method: string,
    args: readonly unknown[],
    options?: StreamOptions,
    target?: CallTarget,
  ): AsyncIterable<unknown>;
}

export interface ServiceClient {
  /**
   * Queries `method` and resolves with its result, validated when the client was asked to and revived.
   * A result the validator rejects fails the call with `invalid-message` (the peer broke the contract),
   * its issues in `data.issues`.
   */
  query<T>(method: string, args: readonly unknown[], options?: CallOptions): Promise<T>;
  /** Sends `method` one way. */
  send(method: string, args: readonly unknown[], options?: SendOptions): void;
  /**
   * Streams `method`: its items, each validated when the client was asked to and revived, as they come.
   * Nothing is sent until the first `next()` (the first turn of a `for await` loop), and the iterable is
   * single use, like an async generator's. Leaving the loop early cancels the stream on the other side; an
   * item the validator rejects ends the loop with `invalid-message` and cancels the stream. It is an
   * `AsyncGenerator`, so it serves methods declared to return one as well as `AsyncIterable`s.
   */
  stream<T>(method: string, args: readonly unknown[], options?: StreamOptions): AsyncGenerator<T, void, undefined>;
}

export interface ClientOptions {
  /**
   * Check each result (each stream item) against its validator, and fail the call with `invalid-message`
   * when it does not match. A generated client takes its service's `ResultValidators`
   * (`validateResults: calculatorResultValidators`, from `calculator.validate.js`): its descriptor carries
   * none, so that a client that does not check bundles no validators. `true` checks with the validators the
   * descriptor carries (a `ServiceDescriptor`'s); with a descriptor that carries none it is a `TypeError`.
   * Default false.
   */
  readonly validateResults?: boolean | ResultValidators | undefined;
  /**
   * Headers every call of this client carries (a session id, say), under those a call gives in its own
   * options, which win key by key. Only for formats that carry headers: see `SendOptions.headers`.
   */
  readonly headers?: Headers | undefined;
}

/**
 * A client of the service `descriptor` at `address` through `peer` (a `Peer`, or any other `Caller`). Arguments are put in wire form: each is
 * encoded by its parameter's `encode` (the caller's values are never changed), trailing `undefined`s are
 * left out and any other `undefined` becomes `null` (which the server reads as "left out" for an optional
 * parameter that is not nullable). An argument that cannot be encoded (an invalid `Date`) fails the call
 * with `invalid-arguments`, and a method the descriptor lacks with `method-not-found`, without sending
 * anything.
 */
export function createClient(
  peer: Caller,
  descriptor: ClientDescriptor,
  address: string = descriptor.address,
  options: ClientOptions = {},
): ServiceClient {
  const checks = options.validateResults;
  if (checks === true && descriptor.resultValidators !== undefined) {
    throw new TypeError(
      `validateResults: ${descriptor.name}'s client descriptor carries no validators; ` +
        `pass ${descriptor.resultValidators} from its .validate module instead of true`,
    );
  }
  /** The validator of `method`'s result or items, when results are checked. */
  const checkOf = (method: string, spec: ClientMethodDescriptor, what: "result" | "item"): Validator | undefined =>
    checks === true ? spec[what] : checks && Object.hasOwn(checks, method) ? checks[method]![what] : undefined;
  const defaults = options.headers;
  /** Each method's plan, made on its first call. */
  const plans = new Map<string, MethodPlan>();

  /** What a call of `method` needs, worked out once: its descriptor, target, encoders and result handling. */
  function planOf(method: string): MethodPlan {
    const known = plans.get(method);
    if (known !== undefined) return known;
    const spec = Object.hasOwn(descriptor.methods, method) ? descriptor.methods[method] : undefined;
    if (spec === undefined)
      throw new JampError("method-not-found", `${descriptor.name} has no method ${JSON.stringify(method)}`);
    const check = checkOf(method, spec, "result");
    const revive = spec.reviveResult;
    const plan: MethodPlan = {
      spec,
      target: { service: descriptor.name, paramNames: spec.params.map((param) => param.name) },
      encodes: spec.params.some((param) => param.encode !== undefined),
      // Undefined when the result is handed over as it came, so a query returns the peer's own promise.
      finish:
        check === undefined && revive === undefined
          ? undefined
          : (result: unknown) => accept(method, "result", check, revive, result),
    };
    plans.set(method, plan);
    return plan;
  }

  /** The arguments of a call of `plan` in wire form. */
  function wireOf(method: string, plan: MethodPlan, args: readonly unknown[]): readonly unknown[] {
    return wireArguments(plan.encodes ? encodeArguments(method, plan.spec.params, args) : args);
  }

  /** The call's options with the client's headers under its own. */
  function withHeaders<O extends SendOptions>(callOptions: O | undefined): O | undefined {
    if (defaults === undefined) return callOptions;
    const own = callOptions?.headers;
    return { ...callOptions, headers: own === undefined ? defaults : { ...defaults, ...own } } as O;
  }

  return {
    query<T>(method: string, args: readonly unknown[], callOptions?: CallOptions): Promise<T> {
      let answer: Promise<unknown>;
      let plan: MethodPlan;
      try {
        plan = planOf(method);
        answer = peer.query(address, method, wireOf(method, plan, args), withHeaders(callOptions), plan.target);
      } catch (error) {
        return Promise.reject(error);
      }
      return (plan.finish === undefined ? answer : answer.then(plan.finish)) as Promise<T>;
    },
    stream<T>(method: string, args: readonly unknown[], callOptions?: StreamOptions): AsyncGenerator<T, void, undefined> {
      return streamItems<T>(method, args, callOptions);
    },
    send(method: string, args: readonly unknown[], sendOptions?: SendOptions): void {
      const plan = planOf(method);
      peer.send(address, method, wireOf(method, plan, args), withHeaders(sendOptions), plan.target);
    },
  };

  /** An async generator, so that the stream opens on the first `next()` and `return()` reaches the peer's. */
  async function* streamItems<T>(
    method: string,
    args: readonly unknown[],
    callOptions: StreamOptions | undefined,
  ): AsyncGenerator<T, void, undefined> {
    const plan = planOf(method);
    const spec = plan.spec;
    const items = peer.stream(address, method, wireOf(method, plan, args), withHeaders(callOptions), plan.target);
    const check = checkOf(method, spec, "item");
    const revive = spec.reviveItem;
    // `for await` returns `items` however this generator ends: a `break` in the caller's loop, an invalid item.
    for await (const item of items) yield accept(method, "item", check, revive, item) as T;
  }

  /** A result or a stream's item, checked by `check` if any (`invalid-message` when it fails) and revived. */
  function accept(
    method: string,
    what: "result" | "item",
    check: Validator | undefined,
    revive: Reviver | undefined,
    value: unknown,
  ): unknown {
    if (check !== undefined) {
      const issues = checkValue(check, value);
      if (issues !== undefined) {
        throw new JampError(
          "invalid-message",
          `Invalid ${what} from ${descriptor.name}.${method}: ${describeResultIssues(issues, what)}`,
          { data: { issues } },
        );
      }
    }
    return revive === undefined ? value : revive(value);
  }

  /** The arguments with each one whose parameter has an encoder encoded; `args` itself when none changed. */
  function encodeArguments(
    method: string,
    params: ClientMethodDescriptor["params"],
    args: readonly unknown[],
  ): readonly unknown[] {
    let copy: unknown[] | undefined;
    const length = Math.min(params.length, args.length);
    for (let i = 0; i < length; i++) {
      const param = params[i]!;
      const value = args[i];
      if (param.encode === undefined || value === undefined || value === null) continue;
      let encoded: unknown;
      try {
        encoded = param.encode(value);
      } catch (error) {
        const issue = { path: `/${i}`, param: param.name, keyword: "encode", message: `cannot be encoded: ${reasonOf(error)}` };
        // Worded as `describeArgumentIssues` words one issue, which a client would carry for this alone.
        throw new JampError(
          "invalid-arguments",
          `Invalid arguments for ${descriptor.name}.${method}: ${issue.param} (${issue.path}) ${issue.message}`,
          { data: { issues: [issue] }, cause: error },
        );
      }
      if (encoded !== value) (copy ??= args.slice())[i] = encoded;
    }
    return copy ?? args;
  }
}

interface MethodPlan {
  readonly spec: ClientMethodDescriptor;
  readonly target: CallTarget;
  /** Whether any parameter has an encoder; without one, arguments go out as given. */
  readonly encodes: boolean;
  /** Checks (with `validateResults`) and revives a result; absent when there is nothing to do. */
  readonly finish: ((result: unknown) => unknown) | undefined;
}

function wireArguments(args: readonly unknown[]): readonly unknown[] {
  let length = args.length;
  while (length > 0 && args[length - 1] === undefined) length--;
  let copy: unknown[] | undefined;
  for (let i = 0; i < length; i++) {
    if (args[i] === undefined) (copy ??= args.slice(0, length))[i] = null;
  }
  return copy ?? (length === args.length ? args : args.slice(0, length));
}
