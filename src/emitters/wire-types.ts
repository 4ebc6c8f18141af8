/**
 * The JSON types a schema lets through, read off the schema itself so that every kind, present and
 * future, answers without code of its own: a union's encoders and revivers use them to tell members apart.
 */
import type { JsonSchema } from "../validators/json-schema.js";

export const allWireTypes: ReadonlySet<string> = new Set(["null", "boolean", "number", "string", "array", "object"]);

/**
 * The JSON types (`integer` counted as `number`) a value valid against `schema` may have. `resolveRef`
 * gives the schema a `$ref` points to; a reference met again while it is being resolved adds nothing.
 */
export function wireTypesOf(
  schema: JsonSchema,
  resolveRef: (ref: string) => JsonSchema | undefined,
  resolving: Set<string> = new Set(),
): Set<string> {
  if (schema === true) return new Set(allWireTypes);
  if (schema === false) return new Set();
  let types = new Set(allWireTypes);
  const narrow = (allowed: Iterable<string>) => {
    const keep = new Set(allowed);
    types = new Set([...types].filter((t) => keep.has(t)));
  };
  const sub = (child: JsonSchema) => wireTypesOf(child, resolveRef, resolving);
  if (schema.type !== undefined) narrow((typeof schema.type === "string" ? [schema.type] : schema.type).map(fold));
  if (schema.const !== undefined) narrow([jsonTypeOf(schema.const)]);
  if (schema.enum !== undefined) narrow(schema.enum.map(jsonTypeOf));
  for (const list of [schema.anyOf, schema.oneOf]) {
    if (list !== undefined) narrow(list.flatMap((child) => [...sub(child)]));
  }
  for (const child of schema.allOf ?? []) narrow(sub(child));
  if (schema.$ref !== undefined) {
    if (resolving.has(schema.$ref)) return new Set();
    const target = resolveRef(schema.$ref);
    resolving.add(schema.$ref);
    if (target !== undefined) narrow(sub(target));
    resolving.delete(schema.$ref);
  }
  return types;
}

function fold(type: string): string {
  return type === "integer" ? "number" : type;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
