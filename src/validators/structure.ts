/** What predicates and reporters both need to know about object and array keywords. */
import { all, any, type FunctionBuilder } from "./code.js";
import type { JsonSchema, JsonSchemaObject } from "./json-schema.js";
import type { ModuleBuilder } from "./module.js";
import { patternConstant } from "./scalar.js";
import { ARRAY, BOOLEAN, isTrivial, NULL, NUMBER, OBJECT, STRING } from "./schema-info.js";

export interface ObjectPlan {
  /** `properties` in schema order. */
  readonly properties: readonly { key: string; schema: JsonSchema; required: boolean }[];
  /** Required keys that `properties` does not describe. */
  readonly otherRequired: readonly string[];
  /** `patternProperties`, each with its hoisted regular expression. */
  readonly patterns: readonly { key: string; regex: () => string; schema: JsonSchema }[];
  /** `additionalProperties` unless absent or accepting everything. */
  readonly additional: JsonSchema | undefined;
  /** `propertyNames` unless absent or accepting everything. */
  readonly propertyNames: JsonSchema | undefined;
  readonly knownKeys: readonly string[];
  /** `minProperties`/`maxProperties` need the number of keys. */
  readonly countsKeys: boolean;
  readonly needsKeyLoop: boolean;
  /** The loop only rejects unknown keys (`additionalProperties: false` alone): it can skip own-ness tests of known ones. */
  readonly onlyClosed: boolean;
}

export function objectPlan(module: ModuleBuilder, schema: JsonSchemaObject): ObjectPlan {
  const required = new Set(schema.required ?? []);
  const described = schema.properties ?? {};
  const knownKeys = Object.keys(described);
  const properties = knownKeys.map((key) => ({ key, schema: described[key]!, required: required.has(key) }));
  const otherRequired = [...required].filter((key) => !Object.hasOwn(described, key));
  const patternSchemas = schema.patternProperties ?? {};
  const patterns = Object.keys(patternSchemas).map((key) => ({
    key,
    regex: () => patternConstant(module, key),
    schema: patternSchemas[key]!,
  }));
  const additional =
    schema.additionalProperties !== undefined && !isTrivial(schema.additionalProperties)
      ? schema.additionalProperties
      : undefined;
  const propertyNames =
    schema.propertyNames !== undefined && !isTrivial(schema.propertyNames) ? schema.propertyNames : undefined;
  const countsKeys = (schema.minProperties ?? 0) > 0 || schema.maxProperties !== undefined;
  const loopsForPatterns = patterns.some((p) => !isTrivial(p.schema));
  const needsKeyLoop = additional !== undefined || propertyNames !== undefined || countsKeys || loopsForPatterns;
  const onlyClosed = additional === false && propertyNames === undefined && !countsKeys && !loopsForPatterns;
  return {
    properties,
    otherRequired,
    patterns,
    additional,
    propertyNames,
    knownKeys,
    countsKeys,
    needsKeyLoop,
    onlyClosed,
  };
}

/**
 * What `Object.prototype` defines. Reading one of these from an object that lacks it finds the
 * prototype's value, so they are read through `Object.hasOwn`. The list is fixed rather than taken
 * from the running engine, so the output does not depend on it.
 */
const PROTOTYPE_NAMES = new Set([
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
  "constructor",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "toString",
  "valueOf",
]);

/**
 * Code reading the own property `key` of the object `o`, `undefined` when it has none: JSON values
 * never hold `undefined`, so that is "absent". A plain read costs a fraction of `Object.hasOwn`; it
 * is exact for parsed JSON, whose objects inherit only `Object.prototype`'s names, read here with
 * `Object.hasOwn` (so an own `__proto__` key is a key like any other).
 */
export function readOwn(o: string, key: string): string {
  const literal = JSON.stringify(key);
  // Brackets, not dots: code compiled with `noPropertyAccessFromIndexSignature` must accept it too.
  if (PROTOTYPE_NAMES.has(key)) return `(Object.hasOwn(${o}, ${literal}) ? ${o}[${literal}] : undefined)`;
  return `${o}[${literal}]`;
}

/**
 * Whether the key `key` from a `for…in` over `o` is an own key. `hasOwnProperty.call` is what V8
 * optimises inside `for…in` (to almost nothing); `Object.hasOwn` there costs several times more.
 */
export function isOwnKey(module: ModuleBuilder, o: string, key: string): string {
  return `${module.constant("$hasOwnProperty", "Object.prototype.hasOwnProperty")}.call(${o}, ${key})`;
}

/** Objects with more described keys than this test key membership with a hoisted `Set`. */
const MAX_INLINE_KEYS = 8;

/** A condition true when `key` is neither a described property nor matched by a pattern (`"true"` if nothing is known). */
export function keyIsUnknown(module: ModuleBuilder, plan: ObjectPlan, key: string): string {
  const conditions: string[] = [];
  if (plan.knownKeys.length > MAX_INLINE_KEYS) {
    const set = module.constant("$keys", `new Set<string>(${JSON.stringify(plan.knownKeys)})`);
    conditions.push(`!${set}.has(${key})`);
  } else {
    for (const known of plan.knownKeys) conditions.push(`${key} !== ${JSON.stringify(known)}`);
  }
  for (const { regex } of plan.patterns) conditions.push(`!${regex()}.test(${key})`);
  return all(conditions);
}

export interface ArrayPlan {
  readonly minItems: number;
  readonly maxItems: number | undefined;
  readonly prefixItems: readonly JsonSchema[];
  readonly items: JsonSchema | undefined;
  /** `contains`, unless absent or satisfied by any array (`minContains: 0` with no maximum). */
  readonly contains: JsonSchema | undefined;
  readonly minContains: number;
  readonly maxContains: number | undefined;
  readonly uniqueItems: boolean;
}

export function arrayPlan(schema: JsonSchemaObject): ArrayPlan {
  const minContains = schema.minContains ?? 1;
  const maxContains = schema.contains === undefined ? undefined : schema.maxContains;
  const checksContains = schema.contains !== undefined && (minContains > 0 || maxContains !== undefined);
  return {
    minItems: schema.minItems ?? 0,
    maxItems: schema.maxItems,
    prefixItems: schema.prefixItems ?? [],
    items: schema.items,
    contains: checksContains ? schema.contains : undefined,
    minContains: checksContains ? minContains : 0,
    maxContains,
    uniqueItems: schema.uniqueItems === true,
  };
}

/** A condition true when `v` has one of the types in `bits` (not checking `number` finiteness or integers). */
export function typeTest(fn: FunctionBuilder, bits: number, v: string): string {
  const tests: string[] = [];
  if (bits & STRING) tests.push(`typeof ${v} === "string"`);
  if (bits & NUMBER) tests.push(`typeof ${v} === "number"`);
  if (bits & BOOLEAN) tests.push(`typeof ${v} === "boolean"`);
  if (bits & NULL) tests.push(`${v} === null`);
  if (bits & ARRAY) tests.push(`Array.isArray(${v})`);
  if (bits & OBJECT) tests.push(`${fn.helper("isJsonObject")}(${v})`);
  return any(tests);
}
