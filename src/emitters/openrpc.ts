/**
 * `<service>.openrpc.json`: an OpenRPC 1.3 document describing the service as its JSON-RPC 2.0 codec
 * serves it, so JSON-RPC tooling (documentation, clients in other languages) can read a jamp-gen service.
 *
 * - Methods are named `Interface.method`, as the codec routes them; params carry their names, so
 *   `paramStructure` is `either` (by position or by name).
 * - A `send` is a notification: no `result` (OpenRPC 1.3's way of saying "notification only") and no
 *   `errors`, since a notification is never answered. `Promise<void>` answers `null`.
 * - Each query lists the codes the runtime answers for a call that reached it: -32602 (arguments not
 *   of their types), -32603 (the handler failed or returned a wrong result) and -32000 (an application
 *   error: a `JampError` of the handler's, its type in `error.data.type`).
 * - Named types go under `components.schemas`. OpenRPC's schema dialect is draft-07, where ours is
 *   2020-12: `toDraft07` rewrites the keywords that differ (see below). No `servers`: the address a
 *   service is served at is not known when it is generated.
 * - The generated-file note travels as `x-jamp-generated`: the OpenRPC meta-schema closes the root
 *   object to anything but its own members and `x-` extensions, so a `$comment` would make it invalid.
 * - Method kinds OpenRPC cannot describe (a stream answers with many values) are left out of `methods`
 *   and named under `x-jamp-omitted`, each with the reason.
 */
import { annotate } from "../model/keywords.js";
import type { Method, Model, Service } from "../model/model.js";
import { acceptsNull, reachableTypes } from "../model/walk.js";
import type { JsonSchema } from "../validators/json-schema.js";
import type { Emitter } from "./emitter.js";
import { TypeRenderer } from "./type-renderer.js";
import { generatedNote } from "./view.js";

/** The OpenRPC version the documents follow: 1.3 is the first where a method without `result` is a notification. */
export const openrpcVersion = "1.3.2";

/** The errors a query can answer once its call has reached the service, by JSON-RPC code. */
const queryErrors = [
  { code: -32602, message: "Invalid params" },
  { code: -32603, message: "Internal error" },
  { code: -32000, message: "Application error" },
];

type Json = Record<string, unknown>;

export function openrpcDocument(model: Model, service: Service, renderer: TypeRenderer): Json {
  const schema = (s: JsonSchema) => toDraft07(s) as Json | boolean;
  const components: Record<string, unknown> = {};
  for (const name of reachableTypes(model, service)) {
    const named = model.types[name]!;
    components[name] = schema(annotate(renderer.schema(named.type), named.doc?.text, named.keywords));
  }
  const described = service.methods.filter((m) => isDescribable(m.kind));
  const omitted = service.methods.filter((m) => !isDescribable(m.kind));
  const version = service.doc?.tags.find((t) => t.name === "version")?.text.trim();
  return {
    openrpc: openrpcVersion,
    "x-jamp-generated": generatedNote([service.file]),
    info: {
      title: service.name,
      ...(service.doc?.text ? { description: service.doc.text } : {}),
      version: version || "0.0.0",
    },
    methods: described.map((m) => method(model, service, m, renderer, schema)),
    ...(Object.keys(components).length > 0 ? { components: { schemas: components } } : {}),
    "x-jamp-service": { name: service.name, address: service.address },
    ...(omitted.length > 0
      ? { "x-jamp-omitted": omitted.map((m) => ({ name: `${service.name}.${m.name}`, kind: m.kind, reason: omissionReason(m.kind) })) }
      : {}),
  };
}

function method(model: Model, service: Service, m: Method, renderer: TypeRenderer, schema: (s: JsonSchema) => Json | boolean): Json {
  // OpenRPC asks required params to come before optional ones. An optional parameter before a required
  // one (`a: T | undefined, b: U`) must take its slot when params go by position, with `null` for "left
  // out" (the server reads it so), so it is listed as required and its schema admits null.
  const lastRequired = m.params.findLastIndex((p) => !p.optional);
  const params = m.params.map((p, i) => {
    let s = annotate(renderer.schema(p.type), undefined, p.keywords);
    const slotted = p.optional && i < lastRequired;
    if (slotted && !acceptsNull(model, p.type)) s = { anyOf: [s, { type: "null" }] };
    return {
      name: p.name,
      ...(p.description ? { description: p.description } : {}),
      required: !p.optional || slotted,
      schema: schema(s),
    };
  });
  const isSend = m.kind === "send";
  return {
    name: `${service.name}.${m.name}`,
    ...(m.doc?.text ? { description: m.doc.text } : {}),
    ...(m.doc?.tags.some((t) => t.name === "deprecated") ? { deprecated: true } : {}),
    paramStructure: "either",
    params,
    ...(isSend ? {} : { result: { name: "result", schema: schema(m.result ? renderer.schema(m.result) : { type: "null" }) } }),
    ...(isSend ? {} : { errors: queryErrors }),
    "x-jamp-kind": m.kind,
  };
}

/** `query` and `send` map onto a request and a notification; anything else (a stream) has no OpenRPC form. */
function isDescribable(kind: string): boolean {
  return kind === "query" || kind === "send";
}

function omissionReason(kind: string): string {
  return kind === "stream"
    ? "a stream answers one call with many values: OpenRPC describes one result per call, and JSON-RPC carries no streams"
    : `OpenRPC has no form for a '${kind}' method`;
}

/** Keywords whose values are schemas, and keywords whose values are arrays or maps of schemas. */
const schemaValued = ["items", "additionalItems", "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else"];
const schemaLists = ["prefixItems", "anyOf", "oneOf", "allOf"];
const schemaMaps = ["properties", "patternProperties", "$defs", "dependentSchemas"];
/** What may sit beside a `$ref` and still be honoured where siblings of `$ref` are ignored: annotations only. */
const annotations = new Set(["description", "title", "deprecated", "default", "examples", "$comment"]);

/**
 * A 2020-12 schema as draft-07 reads it, for OpenRPC's dialect: `$ref`s to `#/$defs/X` point to
 * `#/components/schemas/X`; `prefixItems` (2020-12 only) becomes the array form of `items`, and the
 * `items` beside it `additionalItems`, the same constraint in draft-07 words; a `$ref` with constraining
 * siblings (ignored in draft-07) moves under `allOf` beside them. Data (`const`, `enum`, `default`,
 * `examples`, `x-…`) is copied as it is; other keywords are the same in both dialects.
 */
export function toDraft07(schema: JsonSchema): JsonSchema {
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema as Json)) {
    if (key === "$ref" && typeof value === "string") out.$ref = value.replace(/^#\/\$defs\//, "#/components/schemas/");
    else if (schemaValued.includes(key)) out[key] = toDraft07(value as JsonSchema);
    else if (schemaLists.includes(key)) out[key] = (value as JsonSchema[]).map(toDraft07);
    else if (schemaMaps.includes(key)) out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, toDraft07(v as JsonSchema)]));
    else out[key] = value;
  }
  if ("prefixItems" in out) {
    const { prefixItems, items, ...rest } = out;
    return reorder(schema as Json, { ...rest, items: prefixItems, ...(items !== undefined ? { additionalItems: items } : {}) });
  }
  if (typeof out.$ref === "string" && Object.keys(out).some((k) => k !== "$ref" && !annotations.has(k))) {
    const { $ref, ...rest } = out;
    const head = Object.fromEntries(Object.entries(rest).filter(([k]) => annotations.has(k)));
    const tail = Object.fromEntries(Object.entries(rest).filter(([k]) => !annotations.has(k)));
    return { ...head, allOf: [{ $ref }], ...tail };
  }
  return out;
}

/** Keeps the source's key order, `items` taking `prefixItems`' place, so the output reads like the schema file. */
function reorder(source: Json, converted: Json): Json {
  const out: Json = {};
  for (const key of Object.keys(source)) {
    if (key === "prefixItems") out.items = converted.items;
    else if (key === "items") {
      if ("additionalItems" in converted) out.additionalItems = converted.additionalItems;
    } else out[key] = converted[key];
  }
  return out;
}

export const openrpcEmitter: Emitter = {
  kind: "openrpc",
  scope: "service",
  emit: (model, options) =>
    model.services.map((service) => ({
      path: `${service.fileStem}.openrpc.json`,
      contents: JSON.stringify(openrpcDocument(model, service, new TypeRenderer(model, options.schema))),
      language: "json",
    })),
};
