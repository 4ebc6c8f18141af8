/**
 * Predicates: code that only decides whether a value matches, returning `false` at the first
 * mismatch. They run first on every value (a valid value never builds a path or an issue) and
 * decide the branches of unions for reporters.
 */
import { all, any, Block, FunctionBuilder } from "./code.js";
import type { JsonSchema, JsonSchemaObject } from "./json-schema.js";
import { locationHint, type ModuleBuilder } from "./module.js";
import { pointerTo } from "./names.js";
import {
  literalChecks,
  narrow,
  numberChecks,
  stringChecks,
  typeCheck,
  UNKNOWN,
  type Check,
  type Known,
} from "./scalar.js";
import {
  ANY_TYPE,
  ARRAY,
  disjointTypes,
  findDiscriminator,
  isPrimitive,
  isTrivial,
  NUMBER,
  OBJECT,
  possibleTypes,
  resolve,
  STRING,
  type Primitive,
  withoutTag,
} from "./schema-info.js";
import { refTarget } from "./check-schema.js";
import { arrayPlan, isOwnKey, keyIsUnknown, objectPlan, readOwn, typeTest } from "./structure.js";

/** Where code is being generated: the module, the function, and the prefix for functions hoisted from it. */
export interface Scope {
  readonly module: ModuleBuilder;
  readonly fn: FunctionBuilder;
  readonly hoistPrefix: string;
}

/** Keywords that need loops, so their checks cannot be one expression. */
const OBJECT_KEYWORDS = [
  "properties",
  "required",
  "patternProperties",
  "additionalProperties",
  "propertyNames",
  "minProperties",
  "maxProperties",
] as const;
const ARRAY_KEYWORDS = [
  "prefixItems",
  "items",
  "contains",
  "minContains",
  "maxContains",
  "minItems",
  "maxItems",
  "uniqueItems",
] as const;

export function hasObjectKeywords(schema: JsonSchemaObject): boolean {
  return OBJECT_KEYWORDS.some((keyword) => schema[keyword] !== undefined);
}

export function hasArrayKeywords(schema: JsonSchemaObject): boolean {
  return ARRAY_KEYWORDS.some((keyword) => schema[keyword] !== undefined);
}

/** The predicate function of the def a `$ref` names. */
export function defPredicate(scope: Scope, ref: string): string {
  const name = refTarget(ref, ref, scope.module.defs);
  return scope.module.defFunctions.get(name)!.predicate;
}

/** `if (fail) return false;`, or an unconditional return when the check can never pass. */
function failIf(out: Block, check: Check): void {
  if (check.fail === "true") out.exit("return false;");
  else if (check.fail !== "false") out.line(`if (${check.fail}) return false;`);
}

/**
 * Runs `fill` for a variable of type `bit`: directly when TypeScript already knows that type, inside
 * `if (test)` when the variable may also be something else, not at all when it cannot be that type.
 */
export function guarded(
  out: Block,
  known: Known,
  bit: number,
  test: () => string,
  fill: (body: Block, known: Known) => void,
): void {
  if ((known.possible & bit) === 0) return;
  const inner = narrow(known, bit, true);
  if ((known.types & ~bit) === 0) return fill(out, inner);
  const body = out.child();
  fill(body, inner);
  if (body.lines.length > 0) out.nest(`if (${test()})`, (nested) => nested.append(body));
}

/**
 * Statements that `return false` when `v` does not match `schema`. Returns what is known about `v`
 * after them (the statements run on only when it matched).
 */
export function predicateStatements(
  scope: Scope,
  schema: JsonSchema,
  v: string,
  known: Known,
  at: string,
  out: Block,
): Known {
  if (schema === true) return known;
  if (schema === false) {
    out.exit("return false;");
    return narrow(known, 0, true);
  }
  const { module, fn } = scope;
  const typed = typeCheck(fn, schema, v, known);
  if (typed.check !== undefined) failIf(out, typed.check);
  if (out.dead) return typed.known;
  const literals = literalChecks(module, fn, schema, v, typed.known, true);
  for (const check of literals.checks) failIf(out, check);
  let k = literals.known;
  if (out.dead) return k;
  if (schema.$ref !== undefined) {
    out.line(`if (!${defPredicate(scope, schema.$ref)}(${v})) return false;`);
    k = narrow(k, possibleTypes({ $ref: schema.$ref }, module.defs), false);
  }
  schema.allOf?.forEach((branch, i) => {
    k = predicateStatements(scope, branch, v, k, pointerTo(at, "allOf", i), out);
  });
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const branches = schema[keyword];
    if (branches !== undefined) k = unionStatements(scope, keyword, branches, v, k, pointerTo(at, keyword), out);
  }
  if (schema.not !== undefined) {
    const matches = predicateCall(scope, schema.not, v, k, pointerTo(at, "not"));
    failIf(out, { pass: `!(${matches})`, fail: matches, keyword: "not", message: "" });
  }
  guarded(
    out,
    k,
    STRING,
    () => `typeof ${v} === "string"`,
    (body) => {
      for (const check of stringChecks(module, fn, schema, v)) failIf(body, check);
    },
  );
  guarded(
    out,
    k,
    NUMBER,
    () => `typeof ${v} === "number"`,
    (body) => {
      for (const check of numberChecks(fn, schema, v)) failIf(body, check);
    },
  );
  if (hasObjectKeywords(schema)) {
    guarded(
      out,
      k,
      OBJECT,
      () => `${fn.helper("isJsonObject")}(${v})`,
      (body) => objectStatements(scope, schema, v, at, body),
    );
  }
  if (hasArrayKeywords(schema)) {
    guarded(
      out,
      k,
      ARRAY,
      () => `Array.isArray(${v})`,
      (body) => arrayStatements(scope, schema, v, at, body),
    );
  }
  return k;
}

/**
 * The schema as one boolean expression over `v`, hoisting the branches of combinators that need
 * statements; `undefined` when the schema itself needs statements (loops, dispatch).
 */
export function predicateExpression(
  scope: Scope,
  schema: JsonSchema,
  v: string,
  known: Known,
  at: string,
): string | undefined {
  if (typeof schema === "boolean") return String(schema);
  const { module, fn } = scope;
  if (!isExpressible(schema, module.defs)) return undefined;
  const parts: string[] = [];
  const typed = typeCheck(fn, schema, v, known);
  if (typed.check !== undefined) parts.push(typed.check.pass);
  const literals = literalChecks(module, fn, schema, v, typed.known, true);
  parts.push(...literals.checks.map((check) => check.pass));
  let k = literals.known;
  if (schema.$ref !== undefined) parts.push(`${defPredicate(scope, schema.$ref)}(${v})`);
  schema.allOf?.forEach((branch, i) => {
    parts.push(predicateCall(scope, branch, v, k, pointerTo(at, "allOf", i)));
    k = narrow(k, possibleTypes(branch, module.defs), false);
  });
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const branches = schema[keyword];
    if (branches !== undefined)
      parts.push(any(branches.map((b, i) => predicateCall(scope, b, v, k, pointerTo(at, keyword, i)))));
  }
  if (schema.not !== undefined) parts.push(`!(${predicateCall(scope, schema.not, v, k, pointerTo(at, "not"))})`);
  for (const [bit, test, checks] of [
    [STRING, `typeof ${v} !== "string"`, () => stringChecks(module, fn, schema, v)],
    [NUMBER, `typeof ${v} !== "number"`, () => numberChecks(fn, schema, v)],
  ] as const) {
    if ((k.possible & bit) === 0) continue;
    const passes = checks().map((check) => check.pass);
    if (passes.length === 0) continue;
    parts.push((k.types & ~bit) === 0 ? all(passes) : any([test, all(passes)]));
  }
  const meaningful = parts.filter((part) => part !== "true");
  return meaningful.includes("false") ? "false" : all(meaningful);
}

/** Whether `predicateExpression` can write the schema as one expression (its branches may be hoisted). */
function isExpressible(schema: JsonSchema, defs: ModuleBuilder["defs"]): boolean {
  if (typeof schema === "boolean") return true;
  if (hasObjectKeywords(schema) || hasArrayKeywords(schema)) return false;
  // Counting a oneOf's matches takes statements, unless types make the branches exclusive.
  return schema.oneOf === undefined || schema.oneOf.length === 1 || disjointTypes(schema.oneOf, defs) !== undefined;
}

/** An expression true when `v` matches: inline when it can be, else a call of a hoisted predicate. */
export function predicateCall(scope: Scope, schema: JsonSchema, v: string, known: Known, at: string): string {
  return predicateExpression(scope, schema, v, known, at) ?? `${hoistPredicate(scope, schema, at)}(${v})`;
}

/** Generates (once per schema location) a module-level `function $is…(value: unknown): boolean`. */
function hoistPredicate(scope: Scope, schema: JsonSchema, at: string): string {
  const { module } = scope;
  const existing = module.hoistedAt(at);
  if (existing !== undefined) return existing;
  const name = module.symbols.claim(`${scope.hoistPrefix}_${locationHint(at)}`);
  writePredicate(module, name, schema, at, at);
  return name;
}

/** Writes `function name(value: unknown): boolean` checking `schema`. */
export function writePredicate(
  module: ModuleBuilder,
  name: string,
  schema: JsonSchema,
  at: string,
  hoistedFrom?: string,
): void {
  const fn = new FunctionBuilder(name, `Whether a value matches ${at}.`);
  const body = new Block("  ");
  predicateStatements({ module, fn, hoistPrefix: name }, schema, "value", UNKNOWN, at, body);
  if (!body.dead) body.exit("return true;");
  module.addFunction(fn, [["value", "unknown"]], body, hoistedFrom);
}

/** `anyOf`/`oneOf`: a switch on a discriminating tag, a chain on the value's type, or the branches' predicates. */
function unionStatements(
  scope: Scope,
  keyword: "anyOf" | "oneOf",
  branches: readonly JsonSchema[],
  v: string,
  known: Known,
  at: string,
  out: Block,
): Known {
  const { module, fn } = scope;
  const union: JsonSchema = { [keyword]: branches };
  const after = withUnionLiterals(narrow(known, possibleTypes(union, module.defs), false), branches, module.defs);
  const discriminator = findDiscriminator(branches, module.defs);
  if (discriminator !== undefined) {
    if ((known.types & ~OBJECT) !== 0) out.line(`if (!${fn.helper("isJsonObject")}(${v})) return false;`);
    const inner = narrow(known, OBJECT, true);
    // A missing tag reads as `undefined` (or an inherited value) and matches no case, or fails the
    // branch's own `required` check: either way the union fails, as it should.
    out.nest(`switch (${readOwn(v, discriminator.property)})`, (body) => {
      branches.forEach((branch, i) => {
        body.nest(`case ${JSON.stringify(discriminator.tags[i])}:`, (c) => {
          predicateStatements(scope, withoutTag(branch, discriminator.property), v, inner, pointerTo(at, i), c);
          c.line("break;");
        });
      });
      body.line("default:");
      body.line("  return false;");
    });
    return narrow(after, OBJECT, true);
  }
  const masks = disjointTypes(branches, module.defs);
  if (masks !== undefined && branches.length > 1 && branches.some((branch) => !isExpressible(branch, module.defs))) {
    const cases = branches
      .map((branch, i) => ({ branch, i, bits: masks[i]! & known.possible }))
      .filter(({ bits }) => bits !== 0)
      .map(({ branch, i, bits }) => ({
        condition: typeTest(fn, bits, v),
        fill: (body: Block) =>
          void predicateStatements(scope, branch, v, narrow(known, bits, true), pointerTo(at, i), body),
      }));
    out.chain(cases, (body) => body.exit("return false;"));
    return narrow(
      after,
      masks.reduce((acc, m) => acc | m, 0),
      true,
    );
  }
  const calls = branches.map((branch, i) => predicateCall(scope, branch, v, known, pointerTo(at, i)));
  if (keyword === "anyOf" || masks !== undefined || branches.length === 1) {
    out.line(`if (!(${any(calls)})) return false;`);
  } else {
    const matches = fn.local("matches");
    out.line(`let ${matches} = 0;`);
    for (const call of calls) out.line(`if (${call}) ${matches}++;`);
    out.line(`if (${matches} !== 1) return false;`);
  }
  return after;
}

/** When every branch is a `const` or `enum` of primitives, the union's values are those. */
function withUnionLiterals(known: Known, branches: readonly JsonSchema[], defs: ModuleBuilder["defs"]): Known {
  const values: Primitive[] = [];
  for (const branch of branches) {
    const target = resolve(branch, defs);
    if (typeof target !== "object") return known;
    const listed = target.const !== undefined ? [target.const] : target.enum;
    if (listed === undefined || !listed.every(isPrimitive)) return known;
    for (const value of listed) values.push(value);
  }
  const literals = known.literals === undefined ? values : values.filter((value) => known.literals!.includes(value));
  return { ...known, literals };
}

/** `properties`, `required`, and a `for…in` over the keys for everything else; `o` is known to be an object. */
function objectStatements(scope: Scope, schema: JsonSchemaObject, o: string, at: string, out: Block): void {
  const { module, fn } = scope;
  const plan = objectPlan(module, schema);
  for (const { key, schema: sub, required } of plan.properties) {
    const read = readOwn(o, key);
    if (sub === false) {
      if (required) out.exit("return false;");
      else out.line(`if (${read} !== undefined) return false;`);
    } else if (isTrivial(sub)) {
      if (required) out.line(`if (${read} === undefined) return false;`);
    } else {
      const value = fn.local("v");
      const propertyAt = pointerTo(at, "properties", key);
      if (required) {
        out.line(`const ${value}: unknown = ${read};`);
        // A schema that restricts the type rejects `undefined` by itself.
        if (possibleTypes(sub, module.defs) === ANY_TYPE) out.line(`if (${value} === undefined) return false;`);
        predicateStatements(scope, sub, value, UNKNOWN, propertyAt, out);
      } else {
        const checks = out.child();
        predicateStatements(scope, sub, value, UNKNOWN, propertyAt, checks);
        if (checks.lines.length > 0) {
          out.line(`const ${value}: unknown = ${read};`);
          out.nest(`if (${value} !== undefined)`, (body) => body.append(checks));
        }
      }
    }
  }
  for (const key of plan.otherRequired) out.line(`if (${readOwn(o, key)} === undefined) return false;`);
  if (!plan.needsKeyLoop) return;
  const key = fn.local("key");
  if (plan.onlyClosed) {
    // Own-ness is tested only for keys the schema does not know, the rare case.
    const unknownKey = all(
      [keyIsUnknown(module, plan, key), isOwnKey(module, o, key)].filter((c) => c !== "true"),
    );
    out.nest(`for (const ${key} in ${o})`, (body) => body.line(`if (${unknownKey}) return false;`));
    return;
  }
  const count = plan.countsKeys ? fn.local("count") : undefined;
  if (count !== undefined) out.line(`let ${count} = 0;`);
  out.nest(`for (const ${key} in ${o})`, (body) => {
    body.line(`if (!${isOwnKey(module, o, key)}) continue;`);
    if (count !== undefined) body.line(`${count}++;`);
    if (plan.propertyNames !== undefined) {
      const names = predicateCall(
        scope,
        plan.propertyNames,
        key,
        narrow(UNKNOWN, STRING, true),
        pointerTo(at, "propertyNames"),
      );
      body.line(`if (!(${names})) return false;`);
    }
    for (const { regex, schema: sub, key: source } of plan.patterns) {
      if (sub === false) body.line(`if (${regex()}.test(${key})) return false;`);
      else if (!isTrivial(sub)) {
        const value = fn.local("v");
        const checks = body.child();
        predicateStatements(scope, sub, value, UNKNOWN, pointerTo(at, "patternProperties", source), checks);
        if (checks.lines.length > 0) {
          body.nest(`if (${regex()}.test(${key}))`, (inner) => {
            inner.line(`const ${value}: unknown = ${o}[${key}];`);
            inner.append(checks);
          });
        }
      }
    }
    const additional = plan.additional;
    if (additional === undefined) return;
    const unknownKey = keyIsUnknown(module, plan, key);
    if (additional === false) {
      if (unknownKey === "true") body.exit("return false;");
      else body.line(`if (${unknownKey}) return false;`);
    } else {
      const fill = (inner: Block): void => {
        const value = fn.local("v");
        inner.line(`const ${value}: unknown = ${o}[${key}];`);
        predicateStatements(scope, additional, value, UNKNOWN, pointerTo(at, "additionalProperties"), inner);
      };
      if (unknownKey === "true") fill(body);
      else body.nest(`if (${unknownKey})`, fill);
    }
  });
  if (count !== undefined && schema.minProperties !== undefined)
    out.line(`if (${count} < ${schema.minProperties}) return false;`);
  if (count !== undefined && schema.maxProperties !== undefined)
    out.line(`if (${count} > ${schema.maxProperties}) return false;`);
}

/** Lengths, `prefixItems`, `items`, `contains`, `uniqueItems`; `a` is known to be an array. */
function arrayStatements(scope: Scope, schema: JsonSchemaObject, a: string, at: string, out: Block): void {
  const { fn } = scope;
  const plan = arrayPlan(schema);
  if (plan.minItems > 0) out.line(`if (${a}.length < ${plan.minItems}) return false;`);
  if (plan.maxItems !== undefined) out.line(`if (${a}.length > ${plan.maxItems}) return false;`);
  plan.prefixItems.forEach((sub, j) => {
    if (isTrivial(sub)) return;
    const fill = (body: Block): void => {
      const value = fn.local("v");
      body.line(`const ${value}: unknown = ${a}[${j}];`);
      predicateStatements(scope, sub, value, UNKNOWN, pointerTo(at, "prefixItems", j), body);
    };
    // Items the minimum length guarantees need no length test.
    if (j < plan.minItems) fill(out);
    else out.nest(`if (${a}.length > ${j})`, fill);
  });
  const start = plan.prefixItems.length;
  if (plan.items === false) out.line(`if (${a}.length > ${start}) return false;`);
  else if (plan.items !== undefined && !isTrivial(plan.items)) {
    const items = plan.items;
    const i = fn.local("i");
    out.nest(`for (let ${i} = ${start}; ${i} < ${a}.length; ${i}++)`, (body) => {
      const value = fn.local("v");
      body.line(`const ${value}: unknown = ${a}[${i}];`);
      predicateStatements(scope, items, value, UNKNOWN, pointerTo(at, "items"), body);
    });
  }
  if (plan.contains !== undefined) {
    const contains = plan.contains;
    const count = fn.local("count");
    const i = fn.local("i");
    out.line(`let ${count} = 0;`);
    out.nest(`for (let ${i} = 0; ${i} < ${a}.length; ${i}++)`, (body) => {
      const value = fn.local("v");
      body.line(`const ${value}: unknown = ${a}[${i}];`);
      body.line(`if (${predicateCall(scope, contains, value, UNKNOWN, pointerTo(at, "contains"))}) ${count}++;`);
    });
    if (plan.minContains > 0) out.line(`if (${count} < ${plan.minContains}) return false;`);
    if (plan.maxContains !== undefined) out.line(`if (${count} > ${plan.maxContains}) return false;`);
  }
  if (plan.uniqueItems) out.line(`if (${fn.helper("findDuplicateItems")}(${a}) !== undefined) return false;`);
}
