/**
 * The checks of JSDoc keywords that need the finished model: that each keyword fits its member's
 * type (`@minLength` needs a type that can hold a string), and that `@default` and `@examples` values
 * are values of the member's type. Both look at the member's JSON Schema, so every kind, present or
 * future, is judged by the schema it emits rather than by a list of kinds kept here.
 */
import type { Diagnostic } from "../diagnostics.js";
// The schemas are rendered as the emitters will render them; only the renderer is borrowed.
import { TypeRenderer } from "../emitters/type-renderer.js";
import { annotate, type Keywords } from "../model/keywords.js";
import type { Model } from "../model/model.js";
import * as validation from "../runtime/validation.js";
import { refTarget } from "../validators/check-schema.js";
import { formatCheckers } from "../validators/formats.js";
import type { JsonSchema, JsonType } from "../validators/json-schema.js";
import { ARRAY, NUMBER, possibleTypes, STRING, type Defs } from "../validators/schema-info.js";
import type { Domain, PendingKeyword } from "./keywords.js";

const DOMAIN_BITS: Readonly<Record<Exclude<Domain, "any">, { bits: number; noun: string }>> = {
  number: { bits: NUMBER, noun: "numbers" },
  string: { bits: STRING, noun: "strings" },
  array: { bits: ARRAY, noun: "arrays" },
};

export function checkKeywords(model: Model, pending: readonly PendingKeyword[]): Diagnostic[] {
  if (pending.length === 0) return [];
  const renderer = new TypeRenderer(model);
  // Each def is rendered when a check first looks at it: most checks look at none, or at a few.
  const defs: Record<string, JsonSchema> = {};
  for (const [name, named] of Object.entries(model.types)) {
    Object.defineProperty(defs, name, {
      enumerable: true,
      configurable: true,
      get: () => {
        const schema = annotate(renderer.schema(named.type), undefined, named.keywords);
        Object.defineProperty(defs, name, { value: schema, enumerable: true });
        return schema;
      },
    });
  }
  const out: Diagnostic[] = [];
  for (const p of pending) {
    const problem = misfit(p, renderer, defs);
    // A declaration read twice (a generic's instances) must not repeat its complaints.
    const known = out.some((d) => d.message === problem?.message && d.span?.file === p.span.file && d.span.line === p.span.line && d.span.column === p.span.column);
    if (problem && !known) out.push({ code: "JG1017", severity: "error", message: problem.message, hint: problem.hint, span: p.span, ...(p.path ? { path: p.path } : {}) });
  }
  return out;
}

function misfit(p: PendingKeyword, renderer: TypeRenderer, defs: Defs): { message: string; hint: string } | undefined {
  const schema = renderer.schema(p.type);
  const typeText = () => renderer.tsType(p.type);
  if (p.keyword === "title" && p.param) {
    return { message: "A parameter's title is its name; @title cannot change it.", hint: "describe the parameter in the text of its JSDoc instead" };
  }
  if (p.domain !== "any") {
    const { bits, noun } = DOMAIN_BITS[p.domain];
    if ((possibleTypes(schema, defs) & bits) !== 0) return undefined;
    return { message: `@${p.keyword} applies to ${noun}, and '${typeText()}' holds none.`, hint: `remove the tag, or use a tag for this type` };
  }
  if (p.keyword !== "default" && p.keyword !== "examples") return undefined;
  // The value must satisfy the type together with the member's other keywords.
  const { default: value, examples, ...rest } = p.keywords;
  const against = annotate(schema, undefined, rest as Keywords);
  const values = p.keyword === "default" ? [value] : (examples ?? []);
  for (const [i, v] of values.entries()) {
    const wrong = valueProblem(against, v, defs, "");
    const which = p.keyword === "default" ? "@default" : `@examples item ${i}`;
    if (wrong) return { message: `${which} ${JSON.stringify(v)} is not a '${typeText()}': ${wrong}.`, hint: "give a value of the member's type" };
  }
  return undefined;
}

const TYPE_TESTS: Readonly<Record<JsonType, (v: unknown) => boolean>> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === "boolean",
  null: (v) => v === null,
  array: (v) => Array.isArray(v),
  object: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
};

/**
 * What is wrong with a JSON value under `schema` (the subset jamp-gen emits), or `undefined` when it
 * matches. Keywords it does not know never reject; it serves to check a handful of tag values.
 */
function valueProblem(schema: JsonSchema, value: unknown, defs: Defs, at: string): string | undefined {
  if (schema === true) return undefined;
  if (schema === false) return `${at || "the value"} is not allowed`;
  const where = at || "the value";
  if (schema.$ref !== undefined) {
    const problem = valueProblem(defs[refTarget(schema.$ref, schema.$ref, defs)]!, value, defs, at);
    if (problem) return problem;
  }
  if (schema.type !== undefined) {
    const types: readonly JsonType[] = typeof schema.type === "string" ? [schema.type] : schema.type;
    if (!types.some((t) => TYPE_TESTS[t](value))) return `${where} must be ${types.join(" or ")}`;
  }
  if (schema.const !== undefined && !validation.isJsonEqual(schema.const, value)) return `${where} must be ${JSON.stringify(schema.const)}`;
  if (schema.enum !== undefined && !schema.enum.some((e) => validation.isJsonEqual(e, value))) return `${where} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`;
  for (const part of schema.allOf ?? []) {
    const problem = valueProblem(part, value, defs, at);
    if (problem) return problem;
  }
  for (const branches of [schema.anyOf, schema.oneOf]) {
    if (branches && branches.every((b) => valueProblem(b, value, defs, at) !== undefined)) return `${where} matches none of the union's members`;
  }
  if (typeof value === "string") return stringProblem(schema, value, where);
  if (typeof value === "number") return numberProblem(schema, value, where);
  if (Array.isArray(value)) return arrayProblem(schema, value, defs, at);
  if (TYPE_TESTS.object(value)) return objectProblem(schema, value as Record<string, unknown>, defs, at);
  return undefined;
}

function stringProblem(schema: Exclude<JsonSchema, boolean>, value: string, where: string): string | undefined {
  const length = validation.codePointLength(value);
  if (schema.minLength !== undefined && length < schema.minLength) return `${where} must have at least ${schema.minLength} characters`;
  if (schema.maxLength !== undefined && length > schema.maxLength) return `${where} must have at most ${schema.maxLength} characters`;
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) return `${where} must match the pattern ${schema.pattern}`;
  const checker = schema.format === undefined ? undefined : formatCheckers[schema.format];
  const check = checker === undefined ? undefined : (validation as unknown as Record<string, (text: string) => boolean>)[checker];
  if (check && !check(value)) return `${where} must be a ${schema.format}`;
  return undefined;
}

function numberProblem(schema: Exclude<JsonSchema, boolean>, value: number, where: string): string | undefined {
  if (schema.minimum !== undefined && value < schema.minimum) return `${where} must be at least ${schema.minimum}`;
  if (schema.maximum !== undefined && value > schema.maximum) return `${where} must be at most ${schema.maximum}`;
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return `${where} must be above ${schema.exclusiveMinimum}`;
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return `${where} must be below ${schema.exclusiveMaximum}`;
  if (schema.multipleOf !== undefined && !validation.isMultipleOf(value, schema.multipleOf)) return `${where} must be a multiple of ${schema.multipleOf}`;
  return undefined;
}

function arrayProblem(schema: Exclude<JsonSchema, boolean>, value: readonly unknown[], defs: Defs, at: string): string | undefined {
  const where = at || "the value";
  if (schema.minItems !== undefined && value.length < schema.minItems) return `${where} must have at least ${schema.minItems} items`;
  if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${where} must have at most ${schema.maxItems} items`;
  if (schema.uniqueItems === true && validation.findDuplicateItems(value) !== undefined) return `${where} must not hold the same item twice`;
  const prefix = schema.prefixItems ?? [];
  for (const [i, item] of value.entries()) {
    const itemSchema = i < prefix.length ? prefix[i] : schema.items;
    const problem = itemSchema === undefined ? undefined : valueProblem(itemSchema, item, defs, `${at}/${i}`);
    if (problem) return problem;
  }
  return undefined;
}

function objectProblem(schema: Exclude<JsonSchema, boolean>, value: Record<string, unknown>, defs: Defs, at: string): string | undefined {
  const where = at || "the value";
  const missing = (schema.required ?? []).find((key) => !Object.hasOwn(value, key));
  if (missing !== undefined) return `${where} must have the property '${missing}'`;
  for (const [key, item] of Object.entries(value)) {
    const known = schema.properties !== undefined && Object.hasOwn(schema.properties, key);
    const itemSchema = known ? schema.properties![key]! : schema.additionalProperties;
    const problem = itemSchema === undefined ? undefined : valueProblem(itemSchema, item, defs, `${at}/${key}`);
    if (problem) return itemSchema === false ? `${where} must not have the property '${key}'` : problem;
  }
  return undefined;
}
