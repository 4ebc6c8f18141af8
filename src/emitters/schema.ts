/**
 * `<service>.schema.json`: a JSON Schema (draft 2020-12) document describing the service's wire
 * forms: every named type it reaches under `$defs`, and under `x-jamp-methods` each method's
 * parameters (a tuple) and result (for a stream, `item`: the schema of each value it yields). Other languages can use it to talk to the service.
 */
import { defaultSchemaOptions, type SchemaOptions } from "../kinds/index.js";
import { annotate } from "../model/keywords.js";
import type { Model, NamedType, Service } from "../model/model.js";
import { reachableTypes } from "../model/walk.js";
import type { JsonSchema } from "../validators/json-schema.js";
import type { Emitter } from "./emitter.js";
import { TypeRenderer } from "./type-renderer.js";
import { generatedNote } from "./view.js";

export interface MethodSchemas {
  name: string;
  params: { name: string; optional: boolean; schema: JsonSchema }[];
  /** The reply's schema for queries, each item's for streams; absent for sends and for `Promise<void>`. */
  result?: JsonSchema;
}

export interface ServiceSchema {
  defs: Record<string, JsonSchema>;
  methods: MethodSchemas[];
  document: Record<string, unknown>;
}

export function serviceSchema(model: Model, service: Service, options: Readonly<SchemaOptions> = defaultSchemaOptions): ServiceSchema {
  const renderer = new TypeRenderer(model, options);
  const defs: Record<string, JsonSchema> = {};
  for (const name of reachableTypes(model, service)) defs[name] = defSchema(renderer, model.types[name]!, options);
  const methods = service.methods.map((m): MethodSchemas => {
    const params = m.params.map((p) => ({ name: p.name, optional: p.optional, schema: annotate(renderer.schema(p.type), p.description, p.keywords) }));
    return { name: m.name, params, ...(m.result ? { result: renderer.schema(m.result) } : {}) };
  });
  const document: Record<string, unknown> = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $comment: generatedNote([service.file]),
    title: service.name,
    ...(service.doc?.text ? { description: service.doc.text } : {}),
    "x-jamp-service": { name: service.name, address: service.address, ...chosenOptions(options) },
    "x-jamp-methods": Object.fromEntries(
      service.methods.map((m, i) => {
        const schemas = methods[i]!;
        const required = schemas.params.filter((p) => !p.optional).length;
        return [
          m.name,
          {
            kind: m.kind,
            ...(m.doc?.text ? { description: m.doc.text } : {}),
            ...(m.doc?.tags.some((t) => t.name === "deprecated") ? { deprecated: true } : {}),
            params: {
              type: "array",
              ...(schemas.params.length > 0 ? { prefixItems: schemas.params.map((p) => ({ title: p.name, ...(p.schema as object) })) } : {}),
              items: false,
              ...(required > 0 ? { minItems: required } : {}),
            },
            ...(schemas.result !== undefined ? { [m.kind === "stream" ? "item" : "result"]: schemas.result } : {}),
          },
        ];
      }),
    ),
    $defs: defs,
  };
  return { defs, methods, document };
}

/** The `$defs` entries of the named types `names`. */
export function defSchemas(model: Model, names: readonly string[], options: Readonly<SchemaOptions>): Record<string, JsonSchema> {
  const renderer = new TypeRenderer(model, options);
  return Object.fromEntries(names.map((name) => [name, defSchema(renderer, model.types[name]!, options)]));
}

/**
 * A named type's `$defs` entry, made once per named type and options: services share their types'
 * entries (and so do the schema and validate emitters), and the analysis hands back the same named type
 * for as long as it and what it reaches stay unchanged.
 */
const defSchemaCache = new WeakMap<NamedType, Map<string, JsonSchema>>();
function defSchema(renderer: TypeRenderer, named: NamedType, options: Readonly<SchemaOptions>): JsonSchema {
  const key = `${options.unknownProperties} ${options.unions}`;
  let byOptions = defSchemaCache.get(named);
  if (!byOptions) defSchemaCache.set(named, (byOptions = new Map()));
  let schema = byOptions.get(key);
  if (schema === undefined) byOptions.set(key, (schema = annotate(renderer.schema(named.type), named.doc?.text, named.keywords)));
  return schema;
}

/** The schema options that differ from the defaults, recorded in `x-jamp-service` (defaults go unsaid, so older files stay as they were). */
function chosenOptions(options: Readonly<SchemaOptions>): Partial<SchemaOptions> {
  const keys = Object.keys(defaultSchemaOptions) as (keyof SchemaOptions)[];
  return Object.fromEntries(keys.filter((k) => options[k] !== defaultSchemaOptions[k]).map((k) => [k, options[k]]));
}

export const schemaEmitter: Emitter = {
  kind: "schema",
  scope: "service",
  emit: (model, options) =>
    model.services.map((service) => ({
      path: `${service.fileStem}.schema.json`,
      contents: JSON.stringify(serviceSchema(model, service, options.schema).document),
      language: "json",
    })),
};
