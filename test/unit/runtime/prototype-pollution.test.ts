/**
 * `__proto__`, `constructor` and `prototype` keys sent by a peer, in every place a wire puts them: in the
 * arguments (records, maps, objects with index signatures, open and stripped objects of the fixtures,
 * through their generated validators and revivers), in JAMP/B headers, as JSON-RPC parameter names, in
 * SOAPjr `HEAD` and `BODY`. Each call is refused with a clear error, or reaches the handler with such keys
 * as plain own data; no prototype ever changes: not `Object.prototype`, not that of a value the handler gets.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { serveDrawing } from "../../../fixtures/kind-structural/expected/index.js";
import { serveVault } from "../../../fixtures/kind-wire-values/expected/index.js";
import { serveRegistry } from "../../../fixtures/option-allow/expected/index.js";
import { serveCatalog } from "../../../fixtures/option-strip/expected/index.js";
import { codecs } from "../../../src/runtime/codecs/index.js";
import { JampError } from "../../../src/runtime/errors.js";
import { Peer } from "../../../src/runtime/peer.js";
import { createLoopbackPair } from "../../../src/runtime/transports/loopback.js";

/** What a handler was called with; every handler records its arguments, then fails with `recorded`. */
let received: { method: string; args: unknown[] } | undefined;
function recorder<T>(): T {
  return new Proxy(
    {},
    {
      get: (_, method) => (...args: unknown[]) => {
        received = { method: String(method), args };
        throw new JampError("recorded", "the handler ran");
      },
    },
  ) as T;
}

const [transport] = createLoopbackPair();
const peer = new Peer(transport, {
  accept: Object.values(codecs),
  services: [serveDrawing(recorder()), serveVault(recorder()), serveRegistry(recorder()), serveCatalog(recorder())],
});
afterAll(() => peer.close());

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  received = undefined;
});

/** Sends `frame` and returns the error type its answer carries (every call here fails: refused or recorded). */
async function call(frame: string): Promise<{ type: string; message: string }> {
  const [answer] = await peer.handle(frame);
  expect(answer, `no answer to ${frame}`).toBeDefined();
  const value: unknown = JSON.parse(answer as string);
  const codec = Object.values(codecs).find((c) => c.recognizes(value));
  const message = codec?.read(value);
  expect(message).toMatchObject({ kind: "query-error" });
  return (message as { error: { type: string; message: string } }).error;
}

/** Whether `value` has exactly the own keys `keys`, and the prototype of a plain object. */
function expectPlain(value: unknown, keys: string[]): Record<string, unknown> {
  expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  expect(Object.keys(value as object).sort()).toEqual([...keys].sort());
  expect((value as Record<string, unknown>)["polluted"]).toBeUndefined();
  return value as Record<string, unknown>;
}

/** `{"__proto__": {...}, "constructor": {...}, "prototype": {...}}` with `inner` as each value. */
const hostileMembers = (inner: string): string =>
  `"__proto__": ${inner}, "constructor": ${inner}, "prototype": ${inner}`;
const hostileKeys = (inner: string): string => `{${hostileMembers(inner)}}`;
const polluting = '{"polluted": true}';
const hostileNames = ["__proto__", "constructor", "prototype"];
const iso = "2026-11-21T12:00:00.000Z";
const address = '{"street": "Main", "city": "Springfield"}';

describe("in arguments", () => {
  it("a record's keys (JAMP): own data of the revived record, values revived", async () => {
    const person = `{"name": "Ann", "born": "${iso}", "addresses": [], "labels": ${hostileKeys(address)}}`;
    const error = await call(`["query", 1, "/registry", "/me", "register", [${person}]]`);
    expect(error.type).toBe("recorded");
    const [got] = received?.args as [Record<string, unknown>];
    expect(got["born"]).toBeInstanceOf(Date);
    const labels = expectPlain(got["labels"], hostileNames);
    for (const key of hostileNames) {
      expectPlain(Object.getOwnPropertyDescriptor(labels, key)?.value, ["street", "city"]);
    }
  });

  it("a record's and a Map's keys whose values are revived (JAMP): own data, entries, values revived", async () => {
    const bytes = hostileKeys('"aGk="');
    const document =
      `{"id": "1", "body": "aGk=", "created": "${iso}", "updated": null, "tags": [], ` +
      `"readers": ${hostileKeys(`"${iso}"`)}, "access": {}, "revisions": [], "attachments": ${bytes}, ` +
      `"meta": {"size": "1", "history": null, "encoding": "text"}, "priority": 1, "stamp": null, "events": []}`;
    expect((await call(`["query", 1, "/vault", "/me", "store", [${document}]]`)).type).toBe("recorded");
    const [got] = received?.args as [Record<string, unknown>];
    const attachments = expectPlain(got["attachments"], hostileNames);
    for (const key of hostileNames) {
      expect(Object.getOwnPropertyDescriptor(attachments, key)?.value).toEqual(new Uint8Array([104, 105]));
    }
    const readers = got["readers"] as Map<string, Date>;
    expect(Object.getPrototypeOf(readers)).toBe(Map.prototype);
    expect([...readers.keys()]).toEqual(hostileNames);
    expect(readers.get("__proto__")).toEqual(new Date(iso));
  });

  it("unknown keys of an open object (allow, JSON-RPC 2.0): kept as own data", async () => {
    const person = `{"name": "Ann", "born": "${iso}", "addresses": [], "labels": {}, ${hostileMembers(polluting)}}`;
    const frame = `{"jsonrpc": "2.0", "method": "Registry.register", "params": {"person": ${person}}, "id": 1}`;
    expect((await call(frame)).type).toBe("recorded");
    const [got] = received?.args as [Record<string, unknown>];
    expectPlain(got, ["name", "born", "addresses", "labels", "__proto__", "constructor", "prototype"]);
    expect(Object.getOwnPropertyDescriptor(got, "__proto__")?.value).toEqual({ polluted: true });
  });

  it("unknown keys of a stripped object (strip, SOAPjr): deleted, the record's own keys kept", async () => {
    const tag = `{"name": "t", "__proto__": {"polluted": true}}`;
    const item =
      `{"id": "i", "tags": [], "added": "${iso}", "labels": {"__proto__": ${tag}, "constructor": ${tag}}, ` +
      `"position": [1, ${tag}], "origin": {"country": "NZ", "site": {"code": "x", "__proto__": {}}}, ` +
      `"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}`;
    const head = `{"service_type": "Catalog", "action_type": "put", "request_id": 1}`;
    const frame = `{"HEAD": ${head}, "BODY": {"item": ${item}}}`;
    expect((await call(frame)).type).toBe("recorded");
    const [got] = received?.args as [Record<string, unknown>];
    expectPlain(got, ["id", "tags", "added", "labels", "position", "origin"]);
    const labels = expectPlain(got["labels"], ["__proto__", "constructor"]);
    expectPlain(Object.getOwnPropertyDescriptor(labels, "__proto__")?.value, ["name"]);
    expectPlain((got["position"] as unknown[])[1], ["name"]);
    expectPlain((got["origin"] as Record<string, unknown>)["site"], ["code"]);
  });

  it("a Map's keys (JAMP/B, headers too): entries of the Map", async () => {
    const index = `{"__proto__": "7", "constructor": "8", "prototype": "9"}`;
    const headers = hostileKeys(polluting);
    const args = `"1", "aGk=", "${iso}", ["__proto__"], ${index}`;
    const frame = `["query", ${headers}, "/me", 1, "/vault", "scalars", ${args}]`;
    expect((await call(frame)).type).toBe("recorded");
    const [, , , tags, map] = received?.args as [unknown, unknown, unknown, Set<string>, Map<string, bigint>];
    expect(Object.getPrototypeOf(map)).toBe(Map.prototype);
    expect([...map]).toEqual([
      ["__proto__", 7n],
      ["constructor", 8n],
      ["prototype", 9n],
    ]);
    expect([...tags]).toEqual(["__proto__"]);
  });

  it("an index signature of any JSON (JSON-RPC 1.0): own data at every depth", async () => {
    const note = hostileKeys(hostileKeys(polluting));
    expect((await call(`{"method": "Drawing.annotate", "params": ["s1", ${note}], "id": 1}`)).type).toBe("recorded");
    const [, got] = received?.args as [string, Record<string, unknown>];
    const inner = expectPlain(got, hostileNames);
    expectPlain(Object.getOwnPropertyDescriptor(inner, "__proto__")?.value, hostileNames);
  });

  it("keys of a closed object: refused as additional properties", async () => {
    const style = `{"stroke": "red", "fill": null, "__proto__": {"polluted": true}}`;
    const error = await call(`["query", 1, "/drawing", "/me", "restyle", ["s1", {}, {"stroke": "red"}, ${style}]]`);
    expect(error.type).toBe("invalid-arguments");
    expect(error.message).toContain("__proto__");
    expect(received).toBeUndefined();
  });

  it("keys of a record with number keys: refused by name", async () => {
    const touched = `{"before": "${iso}", "after": "${iso}"}`;
    const frame = `["query", 1, "/drawing", "/me", "layers", [${hostileKeys("1")}, ${touched}]]`;
    const error = await call(frame);
    expect(error.type).toBe("invalid-arguments");
    expect(error.message).toMatch(/__proto__|constructor|prototype/);
    expect(received).toBeUndefined();
  });
});

describe("as parameter names", () => {
  it.each(hostileNames)("JSON-RPC 2.0 params named %s are refused as unknown", async (key) => {
    const params = `{"person": {}, "${key}": {"polluted": true}}`;
    const error = await call(`{"jsonrpc": "2.0", "method": "Registry.register", "params": ${params}, "id": 1}`);
    expect(error.type).toBe("invalid-arguments");
    expect(error.message).toContain(`${key} (/${key}) is not a parameter`);
    expect(received).toBeUndefined();
  });

  it.each(hostileNames)("SOAPjr BODY members named %s are refused as unknown", async (key) => {
    const body = `{"root": {"label": "x", "children": []}, "${key}": {"polluted": true}}`;
    const error = await call(`{"HEAD": {"service_type": "Catalog", "action_type": "tree"}, "BODY": ${body}}`);
    expect(error.type).toBe("invalid-arguments");
    expect(error.message).toContain(`is not a parameter`);
    expect(received).toBeUndefined();
  });

  it("SOAPjr HEAD members named so are headers, and change nothing", async () => {
    const head = `{"service_type": "Catalog", "action_type": "tree", ${hostileMembers(polluting)}}`;
    const error = await call(`{"HEAD": ${head}, "BODY": {"root": {"label": "x", "children": []}}}`);
    expect(error.type).toBe("recorded");
  });
});
