/**
 * The calling side of a service: generated clients delegate every method to one of these, as in
 * `return this.#client.query<number>("add", [a, b], options)`.
 */

import type { ParamDescriptor, ServiceDescriptor } from "./descriptor.js";
import { JampError } from "./errors.js";
import { checkValue, describeArgumentIssues, describeResultIssues } from "./issues.js";
import type { Headers } from "./message.js";
import type { CallOptions, CallTarget, Peer, SendOptions, StreamOptions } from "./peer.js";

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
  /** Check each result against the method's result validator. Default false. */
  readonly validateResults?: boolean | undefined;
  /**
   * Headers every call of this client carries (a session id, say), under those a call gives in its own
   * options, which win key by key. Only for formats that carry headers: see `SendOptions.headers`.
   */
  readonly headers?: Headers | undefined;
}

/**
 * A client of the service `descriptor` at `address` over `peer`. Arguments are put in wire form: each is
 * encoded by its parameter's `encode` (the caller's values are never changed), trailing `undefined`s are
 * left out and any other `undefined` becomes `null` (which the server reads as "left out" for an optional
 * parameter that is not nullable). An argument that cannot be encoded (an invalid `Date`) fails the call
 * with `invalid-arguments`, and a method the descriptor lacks with `method-not-found`, without sending
 * anything.
 */
export function createClient(
  peer: Peer,
  descriptor: ServiceDescriptor,
  address: string = descriptor.address,
  options: ClientOptions = {},
): ServiceClient {
  const validateResults = options.validateResults === true;
  const defaults = options.headers;
  /** Each method's target, made on its first call: wires that name services and parameters need them. */
  const targets = new Map<string, CallTarget>();

  function methodOf(method: string) {
    const spec = Object.hasOwn(descriptor.methods, method) ? descriptor.methods[method] : undefined;
    if (spec === undefined)
      throw new JampError("method-not-found", `${descriptor.name} has no method ${JSON.stringify(method)}`);
    return spec;
  }

  function targetOf(method: string, params: readonly ParamDescriptor[]): CallTarget {
    let target = targets.get(method);
    if (target === undefined) {
      target = { service: descriptor.name, paramNames: params.map((param) => param.name) };
      targets.set(method, target);
    }
    return target;
  }

  /** The call's options with the client's headers under its own. */
  function withHeaders<O extends SendOptions>(callOptions: O | undefined): O | undefined {
    if (defaults === undefined) return callOptions;
    const own = callOptions?.headers;
    return { ...callOptions, headers: own === undefined ? defaults : { ...defaults, ...own } } as O;
  }

  return {
    async query<T>(method: string, args: readonly unknown[], callOptions?: CallOptions): Promise<T> {
      const spec = methodOf(method);
      const result = await peer.query(
        address,
        method,
        wireArguments(encodeArguments(method, spec.params, args)),
        withHeaders(callOptions),
        targetOf(method, spec.params),
      );
      if (validateResults && spec.result !== undefined) {
        const issues = checkValue(spec.result, result);
        if (issues !== undefined) {
          throw new JampError(
            "invalid-message",
            `Invalid result from ${descriptor.name}.${method}: ${describeResultIssues(issues)}`,
            { data: { issues } },
          );
        }
      }
      return (spec.reviveResult === undefined ? result : spec.reviveResult(result)) as T;
    },
    stream<T>(method: string, args: readonly unknown[], callOptions?: StreamOptions): AsyncGenerator<T, void, undefined> {
      return streamItems<T>(method, args, callOptions);
    },
    send(method: string, args: readonly unknown[], sendOptions?: SendOptions): void {
      const spec = methodOf(method);
      peer.send(
        address,
        method,
        wireArguments(encodeArguments(method, spec.params, args)),
        withHeaders(sendOptions),
        targetOf(method, spec.params),
      );
    },
  };

  /** An async generator, so that the stream opens on the first `next()` and `return()` reaches the peer's. */
  async function* streamItems<T>(
    method: string,
    args: readonly unknown[],
    callOptions: StreamOptions | undefined,
  ): AsyncGenerator<T, void, undefined> {
    const spec = methodOf(method);
    const items = peer.stream(
      address,
      method,
      wireArguments(encodeArguments(method, spec.params, args)),
      withHeaders(callOptions),
      targetOf(method, spec.params),
    );
    const check = validateResults ? spec.item : undefined;
    const revive = spec.reviveItem;
    // `for await` returns `items` however this generator ends: a `break` in the caller's loop, an invalid item.
    for await (const item of items) {
      if (check !== undefined) {
        const issues = checkValue(check, item);
        if (issues !== undefined) {
          throw new JampError(
            "invalid-message",
            `Invalid item from ${descriptor.name}.${method}: ${describeResultIssues(issues, "item")}`,
            { data: { issues } },
          );
        }
      }
      yield (revive === undefined ? item : revive(item)) as T;
    }
  }

  /** The arguments with each one whose parameter has an encoder encoded; `args` itself when none changed. */
  function encodeArguments(
    method: string,
    params: readonly ParamDescriptor[],
    args: readonly unknown[],
  ): readonly unknown[] {
    let copy: unknown[] | undefined;
    const length = Math.min(params.length, args.length);
    for (let i = 0; i < length; i++) {
      const param = params[i] as ParamDescriptor;
      const value = args[i];
      if (param.encode === undefined || value === undefined || value === null) continue;
      let encoded: unknown;
      try {
        encoded = param.encode(value);
      } catch (error) {
        const issue = {
          path: `/${i}`,
          param: param.name,
          keyword: "encode",
          message: `cannot be encoded: ${messageOf(error)}`,
        };
        throw new JampError(
          "invalid-arguments",
          `Invalid arguments for ${descriptor.name}.${method}: ${describeArgumentIssues([issue])}`,
          { data: { issues: [issue] }, cause: error },
        );
      }
      if (encoded !== value) (copy ??= args.slice())[i] = encoded;
    }
    return copy ?? args;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
