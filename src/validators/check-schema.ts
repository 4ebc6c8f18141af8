/**
 * Refuses schemas outside the supported subset before any code is generated: an unknown keyword, a
 * malformed value, an unknown format or a dangling `$ref` throws, naming the keyword and where it is.
 * A generator bug must fail here, never compile into a validator that accepts everything.
 */
import { formatCheckers } from "./formats.js";
import { jsonTypes } from "./json-schema.js";
import { pointerTo, unescapePointerToken } from "./names.js";

/** Keywords that never affect validation. */
export const ANNOTATIONS: ReadonlySet<string> = new Set([
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
  "contentEncoding",
  "contentMediaType",
  // OpenAPI's hint naming a union's tag property; the compiler finds the tag from the schemas themselves.
  "discriminator",
]);

/** Keywords of a schema document rather than of validation; ignored at the top of a def. */
export const DOCUMENT_KEYWORDS: ReadonlySet<string> = new Set(["$schema", "$id", "$defs"]);

type Walk = (child: unknown, at: string) => void;
type KeywordCheck = (value: unknown, at: string, walk: Walk) => void;

const schemaValue: KeywordCheck = (value, at, walk) => walk(value, at);

const schemaList: KeywordCheck = (value, at, walk) => {
  if (!Array.isArray(value) || value.length === 0) throw schemaError(at, "must be a non-empty array of schemas");
  value.forEach((child: unknown, i) => walk(child, pointerTo(at, i)));
};

const schemaMap =
  (keysArePatterns: boolean): KeywordCheck =>
  (value, at, walk) => {
    if (!isRecord(value)) throw schemaError(at, "must be an object of schemas");
    for (const key of Object.keys(value)) {
      if (keysArePatterns) checkPattern(key, at);
      walk(value[key], pointerTo(at, key));
    }
  };

const count: KeywordCheck = (value, at) => {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw schemaError(at, "must be a non-negative integer");
};

const limit: KeywordCheck = (value, at) => {
  if (typeof value !== "number" || !Number.isFinite(value)) throw schemaError(at, "must be a finite number");
};

const KEYWORDS: Readonly<Record<string, KeywordCheck>> = {
  $ref: (value, at) => {
    if (typeof value !== "string") throw schemaError(at, "must be a string");
  },
  type: (value, at) => {
    const names: unknown[] = Array.isArray(value) ? value : [value];
    const known: readonly unknown[] = jsonTypes;
    if (names.length === 0 || names.some((name) => !known.includes(name)) || new Set(names).size !== names.length) {
      throw schemaError(at, `must be one of ${jsonTypes.join(", ")}, or a non-empty array of distinct ones`);
    }
  },
  const: (value, at) => checkJsonValue(value, at),
  enum: (value, at) => {
    if (!Array.isArray(value) || value.length === 0) throw schemaError(at, "must be a non-empty array");
    value.forEach((item: unknown, i) => checkJsonValue(item, pointerTo(at, i)));
  },
  allOf: schemaList,
  anyOf: schemaList,
  oneOf: schemaList,
  not: schemaValue,
  properties: schemaMap(false),
  patternProperties: schemaMap(true),
  additionalProperties: schemaValue,
  propertyNames: schemaValue,
  required: (value, at) => {
    if (
      !Array.isArray(value) ||
      value.some((name) => typeof name !== "string") ||
      new Set(value).size !== value.length
    ) {
      throw schemaError(at, "must be an array of distinct strings");
    }
  },
  minProperties: count,
  maxProperties: count,
  prefixItems: schemaList,
  items: schemaValue,
  contains: schemaValue,
  minContains: count,
  maxContains: count,
  minItems: count,
  maxItems: count,
  uniqueItems: (value, at) => {
    if (typeof value !== "boolean") throw schemaError(at, "must be a boolean");
  },
  minimum: limit,
  maximum: limit,
  exclusiveMinimum: limit,
  exclusiveMaximum: limit,
  multipleOf: (value, at) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
      throw schemaError(at, "must be a positive number");
  },
  minLength: count,
  maxLength: count,
  pattern: (value, at) => {
    if (typeof value !== "string") throw schemaError(at, "must be a string");
    checkPattern(value, at);
  },
  format: (value, at) => {
    if (typeof value !== "string") throw schemaError(at, "must be a string");
    if (!Object.hasOwn(formatCheckers, value)) {
      throw new Error(
        `Unknown format "${value}" at ${at}; supported formats: ${Object.keys(formatCheckers).join(", ")}.`,
      );
    }
  },
};

/**
 * Checks a def or root schema and everything below it. `at` names its location in error messages
 * (`#/$defs/Entry`); `defs` are the names `$ref`s may point to.
 */
export function checkSchema(schema: unknown, at: string, defs: Readonly<Record<string, unknown>>): void {
  const walk = (node: unknown, nodeAt: string, isTop: boolean): void => {
    if (typeof node === "boolean") return;
    if (!isRecord(node)) throw schemaError(nodeAt, "a schema must be an object or a boolean");
    for (const keyword of Object.keys(node)) {
      const keywordAt = pointerTo(nodeAt, keyword);
      if (ANNOTATIONS.has(keyword) || keyword.startsWith("x-") || (isTop && DOCUMENT_KEYWORDS.has(keyword))) continue;
      if (!Object.hasOwn(KEYWORDS, keyword)) {
        throw new Error(`Unsupported JSON Schema keyword "${keyword}" at ${keywordAt}.`);
      }
      KEYWORDS[keyword]!(node[keyword], keywordAt, (child, childAt) => walk(child, childAt, false));
      if (keyword === "$ref") refTarget(node[keyword] as string, keywordAt, defs);
    }
  };
  walk(schema, at, true);
}

/** The def a `$ref` names (`#/$defs/A~1B` → `A/B`), or an error naming the ref and where it is. */
export function refTarget(ref: string, at: string, defs: Readonly<Record<string, unknown>>): string {
  const prefix = "#/$defs/";
  const token = ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
  if (token === undefined || token.includes("/") || /~[^01]|~$/.test(token)) {
    throw new Error(`Unsupported $ref "${ref}" at ${at}; only "#/$defs/<name>" is supported.`);
  }
  const name = unescapePointerToken(token);
  if (!Object.hasOwn(defs, name)) throw new Error(`$ref "${ref}" at ${at} points to no def.`);
  return name;
}

function checkPattern(pattern: string, at: string): void {
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    throw schemaError(at, `${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message})`);
  }
}

function checkJsonValue(value: unknown, at: string): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw schemaError(at, "must hold JSON values only (finite numbers)");
    return;
  }
  if (Array.isArray(value)) return value.forEach((item: unknown, i) => checkJsonValue(item, pointerTo(at, i)));
  if (!isRecord(value)) throw schemaError(at, "must hold JSON values only");
  for (const key of Object.keys(value)) checkJsonValue(value[key], pointerTo(at, key));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function schemaError(at: string, problem: string): Error {
  return new Error(`Invalid JSON Schema at ${at}: ${problem}.`);
}

/**
 * Refuses defs that refer back to themselves without descending into a property or item first
 * (`A = { anyOf: [{ $ref: A }, ...] }`): their validators would recurse forever on any value.
 */
export function checkRefCycles(defs: Readonly<Record<string, unknown>>): void {
  const done = new Set<string>();
  // A depth-first walk with a stack of its own: chains of aliases may be thousands of defs long.
  for (const start of Object.keys(defs).sort()) {
    if (done.has(start)) continue;
    const path: { name: string; targets: string[]; next: number }[] = [{ name: start, targets: inPlaceRefs(defs[start], defs), next: 0 }];
    const onPath = new Map<string, number>([[start, 0]]);
    while (path.length > 0) {
      const top = path.at(-1)!;
      if (top.next === top.targets.length) {
        path.pop();
        onPath.delete(top.name);
        done.add(top.name);
        continue;
      }
      const target = top.targets[top.next++]!;
      if (done.has(target)) continue;
      const at = onPath.get(target);
      if (at !== undefined) {
        const cycle = [...path.slice(at).map((frame) => frame.name), target].map((def) => pointerTo("#/$defs", def));
        throw new Error(`$ref cycle that never descends into a value: ${cycle.join(" → ")}.`);
      }
      onPath.set(target, path.length);
      path.push({ name: target, targets: inPlaceRefs(defs[target], defs), next: 0 });
    }
  }
}

/** Defs a schema applies to its own instance: its `$ref`, and those of its `allOf`/`anyOf`/`oneOf`/`not`. */
function inPlaceRefs(schema: unknown, defs: Readonly<Record<string, unknown>>): string[] {
  if (!isRecord(schema)) return [];
  const out: string[] = [];
  if (typeof schema.$ref === "string") out.push(refTarget(schema.$ref, schema.$ref, defs));
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) for (const branch of branches) out.push(...inPlaceRefs(branch, defs));
  }
  out.push(...inPlaceRefs(schema.not, defs));
  return out;
}
