/**
 * Checks that need no loop: `type`, `const`, `enum`, and the string and number keywords. Each is a
 * `Check` with both polarities of its condition, so predicates can write `if (fail) return false` or
 * `a && b`, and reporters `if (fail) valid = addIssue(...)`, without negating code text.
 */
import { all, any, type FunctionBuilder } from "./code.js";
import { formatCheckers } from "./formats.js";
import type { JsonSchemaObject, JsonType } from "./json-schema.js";
import type { ModuleBuilder } from "./module.js";
import { ANY_TYPE, isPrimitive, NUMBER, typeBit, valueTypeBit, type Primitive } from "./schema-info.js";

/**
 * What is known about the checked variable at a point of the generated code. Two views, because
 * TypeScript must agree with the code: `types` is what its narrowing has established (a guard may
 * be skipped only for those), `possible` (never wider) is what the checks so far imply, and
 * filters which literals are still worth comparing (`v === 1` on a `string` would not compile).
 */
export interface Known {
  readonly types: number;
  readonly possible: number;
  /** The only primitive values the variable can still hold, when a `const` or `enum` said so. */
  readonly literals?: readonly Primitive[];
}

export const UNKNOWN: Known = { types: ANY_TYPE, possible: ANY_TYPE };

/** `known` after a check that leaves only `bits`; `typeScriptNarrows` when the code's syntax shows it. */
export function narrow(known: Known, bits: number, typeScriptNarrows: boolean): Known {
  const types = typeScriptNarrows ? known.types & bits : known.types;
  const possible = known.possible & bits & types;
  if (known.literals === undefined) return { types, possible };
  return { types, possible, literals: known.literals.filter((value) => (valueTypeBit(value) & possible) !== 0) };
}

/** One condition: `pass` and `fail` are each other's negation; `"true"`/`"false"` mark constant outcomes. */
export interface Check {
  readonly pass: string;
  readonly fail: string;
  readonly keyword: string;
  readonly message: string;
}

export function alwaysFails(keyword: string, message: string): Check {
  return { pass: "false", fail: "true", keyword, message };
}

const TYPE_TESTS: Readonly<Record<JsonType, (v: string, fn: FunctionBuilder) => { pass: string; fail: string }>> = {
  string: (v) => ({ pass: `typeof ${v} === "string"`, fail: `typeof ${v} !== "string"` }),
  number: (v) => ({
    pass: `typeof ${v} === "number" && Number.isFinite(${v})`,
    fail: `typeof ${v} !== "number" || !Number.isFinite(${v})`,
  }),
  integer: (v) => ({
    pass: `typeof ${v} === "number" && Number.isInteger(${v})`,
    fail: `typeof ${v} !== "number" || !Number.isInteger(${v})`,
  }),
  boolean: (v) => ({ pass: `typeof ${v} === "boolean"`, fail: `typeof ${v} !== "boolean"` }),
  null: (v) => ({ pass: `${v} === null`, fail: `${v} !== null` }),
  array: (v) => ({ pass: `Array.isArray(${v})`, fail: `!Array.isArray(${v})` }),
  object: (v, fn) => ({ pass: `${fn.helper("isJsonObject")}(${v})`, fail: `!${fn.helper("isJsonObject")}(${v})` }),
};

/**
 * The `type` keyword. Returns no check when TypeScript already knows the type; types the value can
 * no longer have are left out of the condition (comparing them would not compile).
 */
export function typeCheck(
  fn: FunctionBuilder,
  schema: JsonSchemaObject,
  v: string,
  known: Known,
): { check?: Check; known: Known } {
  if (schema.type === undefined) return { known };
  let names: readonly JsonType[] = typeof schema.type === "string" ? [schema.type] : schema.type;
  if (names.includes("number")) names = names.filter((name) => name !== "integer");
  const message = `must be ${listNames(names)}`;
  const emitted = names.filter((name) => (typeBit(name) & known.possible) !== 0);
  const bits = emitted.reduce((acc, name) => acc | typeBit(name), 0);
  if (emitted.length === 0) return { check: alwaysFails("type", message), known: narrow(known, 0, true) };
  const numeric = emitted.find((name) => name === "number" || name === "integer");
  if ((known.types & ~bits) === 0) {
    // TypeScript already knows the type is one of these: only a number can still fail, by being
    // non-finite or fractional.
    if (numeric === undefined || (known.possible & NUMBER) === 0) return { known: narrow(known, bits, true) };
    const test = numeric === "number" ? `Number.isFinite(${v})` : `Number.isInteger(${v})`;
    const check =
      known.types === NUMBER
        ? { pass: test, fail: `!${test}`, keyword: "type", message }
        : {
            pass: `typeof ${v} !== "number" || ${test}`,
            fail: `typeof ${v} === "number" && !${test}`,
            keyword: "type",
            message,
          };
    return { check, known: narrow(known, bits, true) };
  }
  const tests = emitted.map((name) => TYPE_TESTS[name](v, fn));
  const check = { pass: any(tests.map((t) => t.pass)), fail: all(tests.map((t) => t.fail)), keyword: "type", message };
  return { check, known: narrow(known, bits, true) };
}

/** Enums longer than this are checked with a hoisted `Set`. */
const MAX_INLINE_ENUM = 6;
/** Messages listing allowed values stop listing them past this length. */
const MAX_LISTED_LENGTH = 100;

/**
 * `const` and `enum`. With `narrowLiterals` (in predicates, where a failed check returns) the result
 * remembers which values are left, so later comparisons skip impossible ones.
 */
export function literalChecks(
  module: ModuleBuilder,
  fn: FunctionBuilder,
  schema: JsonSchemaObject,
  v: string,
  known: Known,
  narrowLiterals: boolean,
): { checks: Check[]; known: Known } {
  const checks: Check[] = [];
  let after = known;
  const lists: { keyword: string; values: readonly unknown[]; message: string }[] = [];
  if (schema.const !== undefined) {
    const text = JSON.stringify(schema.const);
    lists.push({
      keyword: "const",
      values: [schema.const],
      message: `must be equal to ${text.length <= 40 ? text : "constant"}`,
    });
  }
  if (schema.enum !== undefined) {
    const listed = schema.enum.map((value) => JSON.stringify(value)).join(", ");
    const message = `must be equal to one of ${listed.length <= MAX_LISTED_LENGTH ? listed : "the allowed values"}`;
    lists.push({ keyword: "enum", values: schema.enum, message });
  }
  for (const { keyword, values, message } of lists) {
    const possible = values.filter(
      (value) =>
        (valueTypeBit(value) & after.possible) !== 0 &&
        (!isPrimitive(value) || after.literals === undefined || after.literals.includes(value)),
    );
    if (possible.length === 0) {
      checks.push(alwaysFails(keyword, message));
      after = narrow(after, 0, true);
      continue;
    }
    const primitives = possible.filter(isPrimitive);
    const structured = possible.filter((value) => !isPrimitive(value));
    const passes: string[] = [];
    const fails: string[] = [];
    const inline = primitives.length <= MAX_INLINE_ENUM;
    if (inline) {
      for (const value of primitives) {
        passes.push(`${v} === ${JSON.stringify(value)}`);
        fails.push(`${v} !== ${JSON.stringify(value)}`);
      }
    } else {
      const set = module.constant("$enum", `new Set<unknown>(${JSON.stringify(primitives)})`);
      passes.push(`${set}.has(${v})`);
      fails.push(`!${set}.has(${v})`);
    }
    for (const value of structured) {
      const constant = module.constant("$value", JSON.stringify(value));
      passes.push(`${fn.helper("isJsonEqual")}(${v}, ${constant})`);
      fails.push(`!${fn.helper("isJsonEqual")}(${v}, ${constant})`);
    }
    checks.push({ pass: any(passes), fail: all(fails), keyword, message });
    if (narrowLiterals) {
      const bits = possible.reduce<number>((acc, value) => acc | valueTypeBit(value), 0);
      after = narrow(after, bits, inline && structured.length === 0);
      if (structured.length === 0) after = { ...after, literals: primitives };
    }
  }
  return { checks, known: after };
}

/** `minLength`, `maxLength`, `pattern`, `format`, for a variable known to be a string. */
export function stringChecks(module: ModuleBuilder, fn: FunctionBuilder, schema: JsonSchemaObject, v: string): Check[] {
  const checks: Check[] = [];
  if (schema.minLength !== undefined && schema.minLength > 0) {
    const n = schema.minLength;
    const message = `must NOT have fewer than ${plural(n, "character")}`;
    if (n === 1) {
      checks.push({ pass: `${v}.length !== 0`, fail: `${v}.length === 0`, keyword: "minLength", message });
    } else {
      // A code point takes at most two UTF-16 units, so strings of 2n units or more need no counting.
      const length = `${fn.helper("codePointLength")}(${v})`;
      checks.push({
        pass: `${v}.length >= ${2 * n} || ${length} >= ${n}`,
        fail: `${v}.length < ${2 * n} && ${length} < ${n}`,
        keyword: "minLength",
        message,
      });
    }
  }
  if (schema.maxLength !== undefined) {
    const n = schema.maxLength;
    // Code points never outnumber UTF-16 units, so the cheap length settles most strings.
    const length = `${fn.helper("codePointLength")}(${v})`;
    checks.push({
      pass: `${v}.length <= ${n} || ${length} <= ${n}`,
      fail: `${v}.length > ${n} && ${length} > ${n}`,
      keyword: "maxLength",
      message: `must NOT have more than ${plural(n, "character")}`,
    });
  }
  if (schema.pattern !== undefined) {
    const regex = patternConstant(module, schema.pattern);
    checks.push({
      pass: `${regex}.test(${v})`,
      fail: `!${regex}.test(${v})`,
      keyword: "pattern",
      message: `must match pattern ${JSON.stringify(schema.pattern)}`,
    });
  }
  if (schema.format !== undefined) {
    const checker = fn.helper(formatCheckers[schema.format]!);
    checks.push({
      pass: `${checker}(${v})`,
      fail: `!${checker}(${v})`,
      keyword: "format",
      message: `must match format ${JSON.stringify(schema.format)}`,
    });
  }
  return checks;
}

/** A regular expression compiled once, at module load: `const $pattern = new RegExp("^a+$", "u")`. */
export function patternConstant(module: ModuleBuilder, pattern: string): string {
  return module.constant("$pattern", `new RegExp(${JSON.stringify(pattern)}, "u")`);
}

/** `minimum`, `maximum`, their exclusive forms and `multipleOf`, for a variable known to be a number. */
export function numberChecks(fn: FunctionBuilder, schema: JsonSchemaObject, v: string): Check[] {
  const checks: Check[] = [];
  const bound = (
    keyword: string,
    limit: number | undefined,
    passOp: string,
    failOp: string,
    relation: string,
  ): void => {
    if (limit === undefined) return;
    checks.push({
      pass: `${v} ${passOp} ${limit}`,
      fail: `${v} ${failOp} ${limit}`,
      keyword,
      message: `must be ${relation} ${limit}`,
    });
  };
  bound("minimum", schema.minimum, ">=", "<", ">=");
  bound("exclusiveMinimum", schema.exclusiveMinimum, ">", "<=", ">");
  bound("maximum", schema.maximum, "<=", ">", "<=");
  bound("exclusiveMaximum", schema.exclusiveMaximum, "<", ">=", "<");
  if (schema.multipleOf !== undefined) {
    const m = schema.multipleOf;
    const message = `must be multiple of ${m}`;
    if (Number.isInteger(m)) {
      // The remainder of a division by an integer is exact in binary floating point.
      checks.push({ pass: `${v} % ${m} === 0`, fail: `${v} % ${m} !== 0`, keyword: "multipleOf", message });
    } else {
      const helper = fn.helper("isMultipleOf");
      checks.push({ pass: `${helper}(${v}, ${m})`, fail: `!${helper}(${v}, ${m})`, keyword: "multipleOf", message });
    }
  }
  return checks;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** `string`, `string or null`, `string, number or null`. */
function listNames(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}
