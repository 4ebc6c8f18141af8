/**
 * Round trips through the generated code. For every method of every fixture service, argument values
 * generated from the model in their TypeScript form (Dates, bigints, Uint8Arrays, Maps, Sets where the
 * model says so) are passed to the generated client (`fixtures/<case>/expected/index.ts`), travel over a
 * loopback pair of peers as JSON text, and reach a generic implementation that records what it received
 * and answers with a generated result. The server must receive exactly the arguments, revived, and the
 * client exactly the result. Fixed seed, bounded runs.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoopbackPair, Peer, type ServiceBinding } from "jamp-gen/runtime";
import type { Method, Model, Service } from "../src/model/model.js";
import { camelCase } from "../src/model/names.js";
import { acceptsNull } from "../src/model/walk.js";
import { sampleOf, type Sample } from "./support/arbitrary.js";
import { findFixtures, type Fixture } from "./support/fixtures.js";

const SEED = 20_260_521;
/** Calls per method. */
const RUNS = 25;

const fixtures = findFixtures(path.resolve(import.meta.dirname, "../fixtures"));
const services = fixtures.flatMap((fixture) => fixture.model.services.map((service) => [`${fixture.name} ${service.name}`, fixture, service] as const));

/** What the generic implementation received, and what it answers next. */
interface Recorder {
  calls: { method: string; args: unknown[]; context: unknown }[];
  result: unknown;
  /** Resolves when the next call arrives (a send has no reply to wait for). */
  arrived: Promise<void>;
}

/** An implementation of every method of `service` that records its arguments and answers `recorder.result`. */
function recordingImpl(service: Service, recorder: Recorder, arrive: () => void): object {
  return Object.fromEntries(
    service.methods.map((method) => [
      method.name,
      (...args: unknown[]) => {
        // The last argument is the call's context, the method's own before it.
        const context = args.pop() as { method?: unknown } | undefined;
        recorder.calls.push({ method: method.name, args, context: context?.method });
        arrive();
        if (method.kind === "send") return undefined;
        if (method.kind === "stream") return yieldAll(recorder.result as unknown[]);
        return Promise.resolve(recorder.result);
      },
    ]),
  );
}

describe.each(services)("%s", (_label, fixture: Fixture, service: Service) => {
  let client: Record<string, (...args: unknown[]) => unknown>;
  let peers: Peer[];
  let arrive: () => void = () => {};
  const recorder: Recorder = { calls: [], result: undefined, arrived: Promise.resolve() };

  beforeAll(async () => {
    const generated = (await import(pathToFileURL(path.join(fixture.dir, "expected", "index.ts")).href)) as Record<string, unknown>;
    const serve = generated[`serve${service.name}`] as (impl: object, options?: object) => ServiceBinding;
    const Client = generated[`${service.name}Client`] as new (peer: Peer, address?: string, options?: object) => Record<string, (...args: unknown[]) => unknown>;
    const [serverEnd, clientEnd] = createLoopbackPair();
    const impl = recordingImpl(service, recorder, () => arrive());
    peers = [new Peer(serverEnd, { services: [serve(impl, { validateResults: true })] }), new Peer(clientEnd)];
    const results = generated[`${camelCase(service.name)}ResultValidators`];
    if (results === undefined) throw new Error(`${fixture.dir} exports no ResultValidators of ${service.name}`);
    client = new Client(peers[1]!, undefined, { validateResults: results });
  });

  afterAll(() => {
    for (const peer of peers) peer.close();
  });

  it.each(service.methods.map((m) => [m.name, m] as const))("carries %s's arguments and result unchanged", async (_name, method: Method) => {
    const options = { types: fixture.model.types };
    const args = fc.tuple(
      ...method.params.map((p) => {
        const sample = sampleOf(p.type, options, p.keywords).map((s: Sample) => s.value);
        return p.optional ? fc.option(sample, { nil: undefined }) : sample;
      }),
    );
    const item = method.result ? sampleOf(method.result, options).map((s) => s.value) : fc.constant(undefined);
    // A stream answers with several items (none at all included), each its own result.
    const result = method.kind === "stream" ? fc.array(item, { maxLength: 4 }) : item;
    const runs = fc.sample(fc.tuple(args, result), { seed: SEED, numRuns: RUNS });
    for (const [i, [values, answer]] of runs.entries()) {
      recorder.calls = [];
      recorder.result = answer;
      recorder.arrived = new Promise<void>((resolve) => (arrive = resolve));
      const call = `call ${i} of ${method.name}`;
      let returned: unknown;
      try {
        const called = client[method.name]!(...values);
        returned = method.kind === "stream" ? await collect(called as AsyncIterable<unknown>) : await called;
      } catch (error) {
        expect.fail(`${call} failed: ${String(error)}\nwith ${inspect(values, { depth: 8 })}`);
      }
      // A send that the server refuses never arrives: wait for it a bounded time.
      await Promise.race([recorder.arrived, new Promise((resolve) => setTimeout(resolve, 2000))]);
      const args = received(fixture.model, method, values);
      expect(recorder.calls, call).toEqual([{ method: method.name, args, context: method.name }]);
      if (method.kind === "send") expect(returned, call).toBeUndefined();
      else if (method.result === null) expect(returned ?? null, call).toBeNull();
      else expect(returned, call).toEqual(answer);
    }
  });
});

async function* yieldAll(items: readonly unknown[]): AsyncGenerator<unknown> {
  yield* items;
}

async function collect(items: AsyncIterable<unknown>): Promise<unknown[]> {
  const all: unknown[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * The arguments the implementation is called with, as the README says: the client leaves trailing
 * `undefined`s out and sends any other as `null`, which the server reads as "left out" unless the
 * parameter's type includes `null` (`note?: string | null` gets `null`); one per declared parameter, the
 * left-out ones `undefined`.
 */
function received(model: Model, method: Method, values: readonly unknown[]): unknown[] {
  let length = values.length;
  while (length > 0 && values[length - 1] === undefined) length--;
  return method.params.map((param, i) =>
    i >= length ? undefined : values[i] === undefined && acceptsNull(model, param.type) ? null : values[i],
  );
}
