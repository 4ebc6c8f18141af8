/** Facts about (already checked) schemas that code generation decides on: types, triviality, unions. */
import { ANNOTATIONS, DOCUMENT_KEYWORDS, refTarget } from "./check-schema.js";
import type { JsonSchema, JsonSchemaObject, JsonType } from "./json-schema.js";

// JSON value types as bits. `integer` is a `number` here: the bits say what `typeof` can tell apart.
export const STRING = 1;
export const NUMBER = 2;
export const BOOLEAN = 4;
export const NULL = 8;
export const ARRAY = 16;
export const OBJECT = 32;
export const ANY_TYPE = 63;

const TYPE_BITS: Readonly<Record<JsonType, number>> = {
  string: STRING,
  number: NUMBER,
  integer: NUMBER,
  boolean: BOOLEAN,
  null: NULL,
  array: ARRAY,
  object: OBJECT,
};

export function typeBit(type: JsonType): number {
  return TYPE_BITS[type];
}

/** The bit of a JSON value's type. */
export function valueTypeBit(value: unknown): number {
  if (value === null) return NULL;
  if (Array.isArray(value)) return ARRAY;
  switch (typeof value) {
    case "string":
      return STRING;
    case "number":
      return NUMBER;
    case "boolean":
      return BOOLEAN;
    default:
      return OBJECT;
  }
}

/** Type names for messages, `null` last: `object or null`. */
export function typeNames(bits: number): string {
  const names = (["string", "number", "boolean", "array", "object", "null"] as const).filter(
    (name) => (bits & TYPE_BITS[name]) !== 0,
  );
  return names.length <= 1 ? (names[0] ?? "nothing") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}


/** Whether `keyword` takes part in validation (annotations, `x-` extensions and document keywords do not). */
export function validates(keyword: string): boolean {
  return !ANNOTATIONS.has(keyword) && !DOCUMENT_KEYWORDS.has(keyword) && !keyword.startsWith("x-");
}

/** Whether every value matches: `true`, or an object with annotations only. */
export function isTrivial(schema: JsonSchema): boolean {
  return schema === true || (typeof schema === "object" && !Object.keys(schema).some(validates));
}

export type Primitive = string | number | boolean | null;

export function isPrimitive(value: unknown): value is Primitive {
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

export type Defs = Readonly<Record<string, JsonSchema>>;

/** Follows a schema that is only a `$ref` (plus annotations) to its def, through chains of them. */
export function resolve(schema: JsonSchema, defs: Defs): JsonSchema {
  const seen = new Set<string>();
  let current = schema;
  while (
    typeof current === "object" &&
    current.$ref !== undefined &&
    Object.keys(current).filter(validates).length === 1
  ) {
    const name = refTarget(current.$ref, current.$ref, defs);
    if (seen.has(name)) return current;
    seen.add(name);
    current = defs[name]!;
  }
  return current;
}

/** The type bits a value matching `schema` can have (an over-approximation; recursion gives up to "any"). */
export function possibleTypes(schema: JsonSchema, defs: Defs, visiting: ReadonlySet<string> = new Set()): number {
  if (typeof schema === "boolean") return schema ? ANY_TYPE : 0;
  let bits = ANY_TYPE;
  if (schema.type !== undefined) {
    const types: readonly JsonType[] = typeof schema.type === "string" ? [schema.type] : schema.type;
    bits &= types.reduce((acc, type) => acc | typeBit(type), 0);
  }
  if (schema.const !== undefined) bits &= valueTypeBit(schema.const);
  if (schema.enum !== undefined) bits &= schema.enum.reduce<number>((acc, value) => acc | valueTypeBit(value), 0);
  if (schema.$ref !== undefined) {
    const name = refTarget(schema.$ref, schema.$ref, defs);
    if (!visiting.has(name)) bits &= possibleTypes(defs[name]!, defs, new Set([...visiting, name]));
  }
  for (const branch of schema.allOf ?? []) bits &= possibleTypes(branch, defs, visiting);
  for (const union of [schema.anyOf, schema.oneOf]) {
    if (union !== undefined) bits &= union.reduce((acc, branch) => acc | possibleTypes(branch, defs, visiting), 0);
  }
  return bits;
}

/** The type bits of each branch when no two overlap (then at most one branch can match), else `undefined`. */
export function disjointTypes(branches: readonly JsonSchema[], defs: Defs): number[] | undefined {
  const masks = branches.map((branch) => possibleTypes(branch, defs));
  let seen = 0;
  for (const mask of masks) {
    if ((seen & mask) !== 0) return undefined;
    seen |= mask;
  }
  return masks;
}

/** A union whose branches are objects told apart by one required property holding a distinct constant. */
export interface Discriminator {
  readonly property: string;
  /** The constant of each branch, in branch order. */
  readonly tags: readonly Primitive[];
}

/**
 * Finds the discriminating property of `branches`, if they have one. Every branch must only accept
 * objects and require the property with a `const` (or one-value `enum`) schema, and the constants
 * must differ: then the tag picks the only branch that can match, so `anyOf` and `oneOf` both mean
 * "the branch of this tag".
 */
export function findDiscriminator(branches: readonly JsonSchema[], defs: Defs): Discriminator | undefined {
  const resolved = branches.map((branch) => resolve(branch, defs));
  if (branches.length < 2 || branches.some((branch) => possibleTypes(branch, defs) !== OBJECT)) return undefined;
  const first = resolved[0];
  if (typeof first !== "object" || first.properties === undefined) return undefined;
  for (const property of Object.keys(first.properties)) {
    const tags: Primitive[] = [];
    for (const branch of resolved) {
      const tag = typeof branch === "object" ? tagOf(branch, property, defs) : undefined;
      if (tag === undefined || tags.includes(tag.value)) break;
      tags.push(tag.value);
    }
    if (tags.length === branches.length) return { property, tags };
  }
  return undefined;
}

function tagOf(schema: JsonSchemaObject, property: string, defs: Defs): { value: Primitive } | undefined {
  if (schema.required?.includes(property) !== true || schema.properties === undefined) return undefined;
  if (!Object.hasOwn(schema.properties, property)) return undefined;
  const tagSchema = resolve(schema.properties[property]!, defs);
  if (typeof tagSchema !== "object") return undefined;
  const value =
    tagSchema.const !== undefined ? tagSchema.const : tagSchema.enum?.length === 1 ? tagSchema.enum[0] : undefined;
  return isPrimitive(value) ? { value } : undefined;
}

/**
 * An inline union branch without its tag property, for use once the tag has selected it: the tag's
 * value is then known to equal the constant, so checking it again would only repeat the dispatch.
 * The branch is returned unchanged when it is a `$ref` or its tag schema says more than the constant.
 */
export function withoutTag(branch: JsonSchema, property: string): JsonSchema {
  if (typeof branch !== "object" || branch.$ref !== undefined || branch.properties === undefined) return branch;
  const tagSchema = branch.properties[property];
  if (
    typeof tagSchema !== "object" ||
    !Object.keys(tagSchema)
      .filter(validates)
      .every((k) => k === "const" || k === "enum")
  ) {
    return branch;
  }
  // The tag stays a known property (for `additionalProperties`), with nothing left to check.
  const properties = { ...branch.properties, [property]: true };
  const required = (branch.required ?? []).filter((key) => key !== property);
  return { ...branch, properties, required };
}
