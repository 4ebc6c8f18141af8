/**
 * `--emit openrpc`: every fixture service's OpenRPC document is valid under the OpenRPC meta-schema from
 * npm (`@open-rpc/meta-schema`); its schemas, rewritten for OpenRPC's draft-07 dialect, give the same
 * verdicts as the 2020-12 schema file on generated values and their mutations; the golden document of
 * `fixtures/openrpc-contract` is committed; and requests built from a document's methods and params,
 * by position and by name, are answered by a live jamp-gen server over a WebSocket on 127.0.0.1.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { connect, listen, type Server } from "jamp-gen/runtime";
import { openrpcDocument, toDraft07 } from "../src/emitters/openrpc.js";
import { TypeRenderer } from "../src/emitters/type-renderer.js";
import { defaultSchemaOptions, type SchemaOptions } from "../src/kinds/index.js";
import { generate } from "../src/pipeline.js";
import type { AccountId, Ledger, Receipt, Transfer } from "../fixtures/openrpc-contract/ledger.js";
import { LedgerClient, serveLedger } from "../fixtures/openrpc-contract/expected/index.js";
import { mutate, sampleOf } from "./support/arbitrary.js";
import { findFixtures, type Fixture } from "./support/fixtures.js";

const require = createRequire(import.meta.url);
const draft07 = require("ajv/dist/refs/json-schema-draft-07.json") as { definitions: Record<string, unknown> };
// The package's .d.ts declares the document's types only; its JavaScript exports the meta-schema itself.
const { openrpcDocument: openrpcMetaSchema } = require("@open-rpc/meta-schema") as { openrpcDocument: Record<string, unknown> };
const addFormats = addFormatsModule as unknown as <T>(ajv: T) => T;
const root = path.resolve(import.meta.dirname, "..");
const fixtures = findFixtures(path.join(root, "fixtures"));

interface ContentDescriptor {
  name: string;
  required?: boolean;
  schema: unknown;
}
interface MethodObject {
  name: string;
  params: ContentDescriptor[];
  result?: ContentDescriptor;
  errors?: { code: number; message: string }[];
  "x-jamp-kind": string;
}
interface OpenRpc {
  methods: MethodObject[];
  components?: { schemas: Record<string, unknown> };
  [key: string]: unknown;
}

function optionsOf(fixture: Fixture): Readonly<SchemaOptions> {
  const file = path.join(fixture.dir, "options.json");
  const given = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { schema?: Partial<SchemaOptions> }).schema : undefined;
  return { ...defaultSchemaOptions, ...given };
}

/** The OpenRPC documents of a fixture's services, emitted from its committed model. */
function documentsOf(fixture: Fixture): { service: string; doc: OpenRpc }[] {
  const options = optionsOf(fixture);
  return fixture.model.services.map((s) => ({ service: s.name, doc: openrpcDocument(fixture.model, s, new TypeRenderer(fixture.model, options)) as OpenRpc }));
}

/**
 * The OpenRPC meta-schema, compiled by ajv. It is written in draft-07 (its `$schema` names JSON Schema
 * Tools' copy of the draft-07 meta-schema, which the package refers to by URL without shipping): ajv's
 * own draft-07 meta-schema stands in for it, with the one definition the OpenRPC schema points into.
 */
function metaSchemaValidator(): ValidateFunction {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  const { $schema: _dialect, ...metaSchema } = openrpcMetaSchema;
  // Referred to as `https://meta.json-schema.tools` and as `https://meta.json-schema.tools/`, which ajv keeps apart.
  for (const $id of ["https://meta.json-schema.tools", "https://meta.json-schema.tools/"]) {
    const definitions = { ...draft07.definitions, JSONSchemaObject: { properties: { $ref: { type: "string", format: "uri-reference" } } } };
    ajv.addSchema({ ...draft07, $id, definitions });
  }
  return ajv.compile(metaSchema);
}

/** A draft-07 validator of one schema of an OpenRPC document, its `#/components/schemas` refs resolved. */
function draft07Validator(doc: OpenRpc) {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  ajv.addSchema({ $id: "urn:jamp-gen:openrpc", components: doc.components ?? { schemas: {} } });
  return (schema: unknown) => ajv.compile(rebase(schema, "#/components/schemas/", "urn:jamp-gen:openrpc#/components/schemas/") as object);
}

function rebase(schema: unknown, from: string, to: string): unknown {
  return typeof schema === "object" ? JSON.parse(JSON.stringify(schema).replaceAll(`"${from}`, `"${to}`)) : schema;
}

/** Every key used anywhere in a JSON value. */
function keysIn(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysIn(v, out);
  else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysIn(v, out);
    }
  return out;
}

describe("every fixture's OpenRPC document", () => {
  const validate = metaSchemaValidator();
  const cases = fixtures.flatMap((f) => documentsOf(f).map(({ service, doc }) => ({ name: `${f.name} ${service}`, fixture: f, service, doc })));

  it("covers the fixtures", () => {
    expect(cases.length).toBeGreaterThanOrEqual(fixtures.length);
  });

  it("rejects a document the meta-schema forbids (the check can fail)", () => {
    const doc = cases[0]!.doc;
    expect(validate({ ...doc, $comment: "not allowed at the root" })).toBe(false);
    expect(validate({ ...doc, methods: [{ ...doc.methods[0], paramStructure: "sideways" }] })).toBe(false);
  });

  it.each(cases)("$name is valid under the OpenRPC meta-schema", ({ doc }) => {
    expect(validate(doc), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it.each(cases)("$name names its methods Interface.method and keeps no 2020-12-only keyword", ({ fixture, service, doc }) => {
    const model = fixture.model.services.find((s) => s.name === service)!;
    const described = model.methods.filter((m) => m.kind === "query" || m.kind === "send");
    expect(doc.methods.map((m) => m.name)).toEqual(described.map((m) => `${service}.${m.name}`));
    for (const [i, m] of described.entries()) {
      expect(doc.methods[i]!.params.map((p) => p.name)).toEqual(m.params.map((p) => p.name));
      // A notification has no result and answers no error; a query answers -32602 and -32000 at least.
      if (m.kind === "send") expect([doc.methods[i]!.result, doc.methods[i]!.errors]).toEqual([undefined, undefined]);
      else expect(doc.methods[i]!.errors!.map((e) => e.code)).toEqual(expect.arrayContaining([-32602, -32000]));
    }
    const omitted = (doc["x-jamp-omitted"] ?? []) as { name: string; kind: string; reason: string }[];
    expect(omitted.map((o) => o.name)).toEqual(model.methods.filter((m) => !described.includes(m)).map((m) => `${service}.${m.name}`));
    const keys = keysIn({ methods: doc.methods.map((m) => [m.params.map((p) => p.schema), m.result?.schema]), components: doc.components });
    expect([...keys].filter((k) => ["prefixItems", "$defs", "dependentSchemas", "unevaluatedItems", "unevaluatedProperties"].includes(k))).toEqual([]);
    // Every $ref points into components.schemas, and compiling resolves it.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.filter((r) => !r.startsWith('"$ref":"#/components/schemas/'))).toEqual([]);
    const compile = draft07Validator(doc);
    for (const m of doc.methods) for (const s of [...m.params.map((p) => p.schema), m.result?.schema]) if (s !== undefined) expect(() => compile(s)).not.toThrow();
  });

  it.each(cases)("$name's draft-07 schemas agree with the 2020-12 schema file on values and mutations", ({ fixture, service, doc }) => {
    const model = fixture.model.services.find((s) => s.name === service)!;
    const schemaFile = fixture.schemas[`${model.fileStem}.schema.json`]!;
    const ajv2020 = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    ajv2020.addSchema({ $id: "urn:jamp-gen:schema-file", $defs: schemaFile.$defs });
    const compile2020 = (s: unknown) => ajv2020.compile(rebase(s, "#/$defs/", "urn:jamp-gen:schema-file#/$defs/") as object);
    const compile07 = draft07Validator(doc);
    const fileMethods = schemaFile["x-jamp-methods"] as Record<string, { params: { prefixItems?: unknown[] }; result?: unknown }>;
    for (const m of model.methods) {
      if (m.kind !== "query" && m.kind !== "send") continue; // left out of the document (a stream)
      const described = doc.methods.find((d) => d.name === `${service}.${m.name}`);
      expect(described, m.name).toBeDefined();
      if (!described) continue;
      const parts = m.params.map((p, i) => ({ node: p.type, keywords: p.keywords, s2020: fileMethods[m.name]!.params.prefixItems![i], d: described.params[i]!, optional: p.optional }));
      // A param listed as required though optional admits null by position (a slot to fill): no 2020-12 twin.
      const comparable = parts.filter((p) => p.d.required === !p.optional).map((p) => ({ node: p.node, keywords: p.keywords, s2020: p.s2020, s07: p.d.schema }));
      if (m.result && m.kind === "query") comparable.push({ node: m.result, keywords: undefined, s2020: fileMethods[m.name]!.result, s07: described.result!.schema });
      for (const part of comparable) {
        const [v2020, v07] = [compile2020(part.s2020), compile07(part.s07)];
        for (const sample of fc.sample(sampleOf(part.node, { types: fixture.model.types }, part.keywords), { seed: 7, numRuns: 15 })) {
          expect(v07(sample.wire), JSON.stringify(sample.wire)).toBe(v2020(sample.wire));
          for (const mutation of sample.mutations) {
            const mutated = mutate(sample.wire, mutation);
            expect(v07(mutated), `${mutation.detail} at ${mutation.path.join(".")}`).toBe(v2020(mutated));
          }
        }
      }
    }
  });
});

describe("toDraft07", () => {
  it("turns prefixItems into the array form of items, and items beside it into additionalItems", () => {
    expect(toDraft07({ type: "array", prefixItems: [{ type: "string" }], items: { type: "number" }, minItems: 1 })).toEqual({
      type: "array",
      items: [{ type: "string" }],
      additionalItems: { type: "number" },
      minItems: 1,
    });
    expect(toDraft07({ prefixItems: [true] })).toEqual({ items: [true] });
  });

  it("moves a $ref under allOf when a sibling constrains, and leaves annotations beside it", () => {
    expect(toDraft07({ description: "d", $ref: "#/$defs/Id", maxLength: 3 })).toEqual({ description: "d", allOf: [{ $ref: "#/components/schemas/Id" }], maxLength: 3 });
    expect(toDraft07({ description: "d", $ref: "#/$defs/Id" })).toEqual({ description: "d", $ref: "#/components/schemas/Id" });
  });

  it("leaves data alone: const, enum, default and examples are values, not schemas", () => {
    const data = { const: { $ref: "#/$defs/X", prefixItems: [] }, default: { prefixItems: [1] }, enum: [{ $ref: "#/$defs/Y" }] };
    expect(toDraft07(data)).toEqual(data);
  });
});

describe("fixtures/openrpc-contract", () => {
  const dir = path.join(root, "fixtures", "openrpc-contract");
  const run = () => generate({ inputs: [path.relative(root, path.join(dir, "ledger.ts"))], outDir: "out", cwd: root, emit: ["openrpc"] });

  it("generates the committed OpenRPC document, the same bytes twice, and nothing else", async () => {
    const [first, second] = [await run(), await run()];
    expect(first.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(first.files.map((f) => f.path)).toEqual(["ledger.openrpc.json"]);
    await expect(first.files[0]!.contents).toMatchFileSnapshot(path.join(dir, "openrpc", "ledger.openrpc.json"));
    expect(second.files).toEqual(first.files);
  });

  it("reads the version from @version and the descriptions from JSDoc", async () => {
    const doc = JSON.parse((await run()).files[0]!.contents) as OpenRpc & { info: Record<string, string> };
    expect(doc.info).toMatchObject({ title: "Ledger", version: "2.1.0" });
    const open = doc.methods.find((m) => m.name === "Ledger.open")!;
    expect(open.params).toMatchObject([
      { name: "owner", description: "who holds the account", required: true },
      { name: "cents", description: "Opening balance in cents.", required: false },
    ]);
    expect(doc.methods.find((m) => m.name === "Ledger.note")).toMatchObject({ "x-jamp-kind": "send" });
    expect(doc.methods.find((m) => m.name === "Ledger.note")).not.toHaveProperty("result");
  });
});

/** A ledger that answers every method, and records what it was given. */
class TestLedger implements Ledger {
  notes: string[] = [];
  balanceAt: (Date | undefined)[] = [];
  transfer_: Transfer = { from: "acc-1", to: "acc-2", cents: 5 };
  async open(_owner: string, _cents?: number): Promise<AccountId> {
    return "acc-7";
  }
  async transfer(transfer: Transfer): Promise<Receipt> {
    return { id: "r1", at: new Date(Date.UTC(2026, 0, 2)), transfer, balances: { "acc-1": 10 } };
  }
  async balance(at: Date | undefined, _account: AccountId): Promise<number> {
    this.balanceAt.push(at);
    return 42;
  }
  async close(_account: AccountId): Promise<void> {}
  note(text: string): void {
    this.notes.push(text);
  }
  async move(from: AccountId, to: AccountId, cents: number): Promise<Receipt> {
    return this.transfer({ from, to, cents });
  }
  async span(): Promise<[first: Date, last: Date] | null> {
    return null;
  }
}

describe("a request built from the OpenRPC document, sent to a live jamp-gen server", () => {
  const doc = documentsOf(fixtures.find((f) => f.name === "openrpc-contract")!)[0]!.doc;
  const compile = draft07Validator(doc);
  const impl = new TestLedger();
  let server: Server;
  let socket: WebSocket;
  const answers = new Map<unknown, Record<string, unknown>>();
  let nextId = 1;

  beforeAll(async () => {
    server = await listen({ port: 0, services: [serveLedger(impl)] });
    socket = new WebSocket(`ws://127.0.0.1:${server.port}`);
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    socket.on("message", (data) => {
      const answer = JSON.parse(String(data)) as Record<string, unknown>;
      answers.set(answer.id, answer);
    });
  });
  afterAll(async () => {
    socket.close();
    await server.close();
  });

  async function call(method: string, params: unknown): Promise<Record<string, unknown>> {
    const id = nextId++;
    socket.send(JSON.stringify({ jsonrpc: "2.0", method, params, id }));
    for (let i = 0; i < 200 && !answers.has(id); i++) await new Promise((r) => setTimeout(r, 5));
    const answer = answers.get(id);
    if (!answer) throw new Error(`no answer to ${method}`);
    return answer;
  }

  /** One valid argument per parameter name the document lists, checked against the param's schema first. */
  const args: Record<string, unknown> = {
    owner: "ann",
    cents: 5,
    transfer: { from: "acc-1", to: "acc-2", cents: 5, legs: [["acc-1", 5]] },
    at: "2026-01-01T00:00:00.000Z",
    account: "acc-1",
    text: "hello",
    from: "acc-1",
    to: "acc-2",
  };

  const queries = doc.methods.filter((m) => m.result !== undefined);

  it.each(queries.map((m) => m.name))("answers %s by position and by name, with a result its schema accepts", async (name) => {
    const method = doc.methods.find((m) => m.name === name)!;
    for (const p of method.params) expect(compile(p.schema)(args[p.name]), `${name} ${p.name}`).toBe(true);
    const byPosition = method.params.map((p) => args[p.name]);
    const byName = Object.fromEntries(method.params.map((p) => [p.name, args[p.name]]));
    const checkResult = compile(method.result!.schema);
    for (const params of [byPosition, byName]) {
      const answer = await call(name, params);
      expect(answer, JSON.stringify(answer)).toHaveProperty("result");
      expect(checkResult(answer.result), JSON.stringify(answer.result)).toBe(true);
    }
  });

  it("answers bad params with a code the method's errors list", async () => {
    for (const method of queries.filter((m) => m.params.length > 0)) {
      const answer = await call(method.name, method.params.map(() => ({ not: "valid" })));
      const code = (answer.error as { code: number }).code;
      expect(method.errors!.map((e) => e.code)).toContain(code);
    }
  });

  it("leaves a required-listed optional param out when it is null by position, or missing by name", async () => {
    impl.balanceAt.length = 0;
    await call("Ledger.balance", [null, "acc-1"]);
    await call("Ledger.balance", { account: "acc-1" });
    expect(impl.balanceAt).toEqual([undefined, undefined]);
  });

  it("delivers a send as a notification, never answered", async () => {
    const send = doc.methods.find((m) => m["x-jamp-kind"] === "send")!;
    socket.send(JSON.stringify({ jsonrpc: "2.0", method: send.name, params: { text: "by name" } }));
    socket.send(JSON.stringify({ jsonrpc: "2.0", method: send.name, params: ["by position"] }));
    const before = answers.size;
    // A query after them is answered after them: by then both notifications have run.
    await call("Ledger.span", []);
    expect(impl.notes).toEqual(["by name", "by position"]);
    expect(answers.size).toBe(before + 1);
  });

  it("serves the generated client speaking JSON-RPC 2.0 on the same port", async () => {
    const peer = await connect(`ws://127.0.0.1:${server.port}`, { codec: "jsonrpc2" });
    try {
      expect(await new LedgerClient(peer).balance(undefined, "acc-1")).toBe(42);
    } finally {
      await peer.close();
    }
  });
});
