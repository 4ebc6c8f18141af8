/**
 * Reporters: validators that collect issues. They check what predicates check, but go on after a
 * mismatch (every property of an object, every item of an array) until the issue list is full, and
 * call other defs' reporters only where those defs' predicates fail, so a valid subtree costs no
 * more than its predicate and builds no path.
 */
import { all, any, Block, FunctionBuilder, mentions, PathExpr } from "./code.js";
import type { JsonSchema, JsonSchemaObject } from "./json-schema.js";
import type { ModuleBuilder } from "./module.js";
import { pointerTo } from "./names.js";
import { defPredicate, guarded, hasArrayKeywords, hasObjectKeywords, predicateCall, type Scope } from "./predicate.js";
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
  ARRAY,
  disjointTypes,
  findDiscriminator,
  isTrivial,
  NUMBER,
  OBJECT,
  resolve,
  STRING,
  typeNames,
  withoutTag,
} from "./schema-info.js";
import { refTarget } from "./check-schema.js";
import { arrayPlan, isOwnKey, keyIsUnknown, objectPlan, readOwn, typeTest } from "./structure.js";

/** Writes `function name(value: unknown, path: string, issues: ValidationIssue[]): boolean` checking `schema`. */
export function writeReporter(
  module: ModuleBuilder,
  name: string,
  schema: JsonSchema,
  at: string,
  hoistPrefix: string,
  doc = `Checks a value against ${at}, adding what is wrong to \`issues\`.`,
): void {
  const fn = new FunctionBuilder(name, doc);
  const scope: Scope = { module, fn, hoistPrefix };
  const body = new Block("  ");
  const target = resolve(schema, module.defs);
  if (target !== schema && typeof schema === "object" && schema.$ref !== undefined) {
    // An alias of a def: straight to its reporter, which runs each member's quick predicate before
    // reporting on it, so a valid value still allocates nothing, and an invalid one is walked once
    // instead of twice (the bench measured 1.7x on invalid documents, valid ones unchanged).
    const def = module.defFunctions.get(refTarget(schema.$ref, at, module.defs))!;
    body.exit(`return ${def.reporter}(value, path, issues);`);
  } else {
    reportStatements(scope, schema, "value", PathExpr.of("path"), UNKNOWN, at, body, true);
    const usesValid = mentions(body.lines.join("\n"), "valid");
    if (!body.dead) body.exit(usesValid ? "return valid;" : "return true;");
    if (usesValid) body.lines.unshift("  let valid = true;");
  }
  const params: [string, string][] = [
    ["value", "unknown"],
    ["path", "string"],
    ["issues", "ValidationIssue[]"],
  ];
  module.addFunction(fn, params, body);
}

/** `addIssue(issues, path, "keyword", message)`; `message` is code (a literal or a concatenation). */
function issue(scope: Scope, path: PathExpr, keyword: string, message: string): string {
  return `${scope.fn.helper("addIssue")}(issues, ${path.render()}, ${JSON.stringify(keyword)}, ${message})`;
}

/** `valid = addIssue(...)` as a statement. */
function report(scope: Scope, out: Block, path: PathExpr, keyword: string, message: string): void {
  out.line(`valid = ${issue(scope, path, keyword, message)};`);
}

function reportIf(scope: Scope, out: Block, path: PathExpr, check: Check): void {
  if (check.fail === "false") return;
  const statement = `valid = ${issue(scope, path, check.keyword, JSON.stringify(check.message))};`;
  out.line(check.fail === "true" ? statement : `if (${check.fail}) ${statement}`);
}

/** Stops the reporter once it is known invalid and no more issues fit. */
function stopWhenFull(scope: Scope, out: Block): void {
  out.line(`if (!valid && issues.length >= ${scope.fn.helper("MAX_VALIDATION_ISSUES")}) return false;`);
}

/**
 * Statements that add an issue (and clear `valid`) for each way `v` fails `schema`. At the `top` of
 * a function, a wrong type returns at once; elsewhere the rest of the schema moves into an `else`.
 */
export function reportStatements(
  scope: Scope,
  schema: JsonSchema,
  v: string,
  path: PathExpr,
  known: Known,
  at: string,
  out: Block,
  top = false,
): void {
  if (isTrivial(schema)) return;
  if (schema === false) {
    const message = JSON.stringify("must NOT be valid");
    if (top) out.exit(`return ${issue(scope, path, "false schema", message)};`);
    else report(scope, out, path, "false schema", message);
    return;
  }
  if (typeof schema !== "object") return;
  const typed = typeCheck(scope.fn, schema, v, known);
  const check = typed.check;
  if (check === undefined) return reportRest(scope, schema, v, path, typed.known, at, out);
  if (check.fail === "true") return reportIf(scope, out, path, check);
  if (top) {
    out.line(`if (${check.fail}) return ${issue(scope, path, check.keyword, JSON.stringify(check.message))};`);
    reportRest(scope, schema, v, path, typed.known, at, out);
  } else {
    out.ifElse(
      check.fail,
      (body) => reportIf(scope, body, path, { ...check, fail: "true" }),
      (body) => reportRest(scope, schema, v, path, typed.known, at, body),
    );
  }
}

/** Everything after `type`, for a value of the right type. */
function reportRest(
  scope: Scope,
  schema: JsonSchemaObject,
  v: string,
  path: PathExpr,
  known: Known,
  at: string,
  out: Block,
): void {
  const { module, fn } = scope;
  for (const check of literalChecks(module, fn, schema, v, known, false).checks) reportIf(scope, out, path, check);
  if (schema.$ref !== undefined) reportRef(scope, schema.$ref, v, path, out);
  schema.allOf?.forEach((branch, i) => reportStatements(scope, branch, v, path, known, pointerTo(at, "allOf", i), out));
  for (const keyword of ["anyOf", "oneOf"] as const) {
    const branches = schema[keyword];
    if (branches !== undefined) reportUnion(scope, keyword, branches, v, path, known, pointerTo(at, keyword), out);
  }
  if (schema.not !== undefined) {
    const matches = predicateCall(scope, schema.not, v, known, pointerTo(at, "not"));
    reportIf(scope, out, path, { pass: `!(${matches})`, fail: matches, keyword: "not", message: "must NOT be valid" });
  }
  guarded(
    out,
    known,
    STRING,
    () => `typeof ${v} === "string"`,
    (body) => {
      for (const check of stringChecks(module, fn, schema, v)) reportIf(scope, body, path, check);
    },
  );
  guarded(
    out,
    known,
    NUMBER,
    () => `typeof ${v} === "number"`,
    (body) => {
      for (const check of numberChecks(fn, schema, v)) reportIf(scope, body, path, check);
    },
  );
  if (hasObjectKeywords(schema)) {
    guarded(
      out,
      known,
      OBJECT,
      () => `${fn.helper("isJsonObject")}(${v})`,
      (body) => reportObject(scope, schema, v, path, at, body),
    );
  }
  if (hasArrayKeywords(schema)) {
    guarded(
      out,
      known,
      ARRAY,
      () => `Array.isArray(${v})`,
      (body) => reportArray(scope, schema, v, path, at, body),
    );
  }
}

/** A def's reporter, run only where its predicate fails. */
function reportRef(scope: Scope, ref: string, v: string, path: PathExpr, out: Block): void {
  const def = scope.module.defFunctions.get(refTarget(ref, ref, scope.module.defs))!;
  const reporter = def.reporter;
  out.nest(`if (!${defPredicate(scope, ref)}(${v}))`, (body) => {
    body.line(`${reporter}(${v}, ${path.render()}, issues);`);
    body.line("valid = false;");
  });
}

/**
 * `anyOf`/`oneOf`. When a tag or the value's type picks the only branch that can match, that
 * branch's issues are reported; otherwise one issue for the union.
 */
function reportUnion(
  scope: Scope,
  keyword: "anyOf" | "oneOf",
  branches: readonly JsonSchema[],
  v: string,
  path: PathExpr,
  known: Known,
  at: string,
  out: Block,
): void {
  const { module, fn } = scope;
  if (branches.length === 1) return reportStatements(scope, branches[0]!, v, path, known, pointerTo(at, 0), out);
  const discriminator = findDiscriminator(branches, module.defs);
  if (discriminator !== undefined) {
    const tags = discriminator.tags.map((tag) => JSON.stringify(tag)).join(", ");
    const inner = narrow(known, OBJECT, true);
    const dispatch = (out: Block): void =>
      out.nest(`switch (${readOwn(v, discriminator.property)})`, (body) => {
        branches.forEach((branch, i) => {
          body.nest(`case ${JSON.stringify(discriminator.tags[i])}:`, (c) => {
            reportStatements(scope, withoutTag(branch, discriminator.property), v, path, inner, pointerTo(at, i), c);
            c.line("break;");
          });
        });
        body.line("default:");
        const missing = issue(
          scope,
          path,
          "required",
          JSON.stringify(`must have required property '${discriminator.property}'`),
        );
        const unknownTag = issue(
          scope,
          path.token(discriminator.property),
          keyword,
          JSON.stringify(`must be equal to one of ${tags}`),
        );
        body.line(`  valid = ${readOwn(v, discriminator.property)} === undefined ? ${missing} : ${unknownTag};`);
      });
    if ((known.types & ~OBJECT) === 0) dispatch(out);
    else
      out.ifElse(
        `!${fn.helper("isJsonObject")}(${v})`,
        (body) => report(scope, body, path, "type", JSON.stringify("must be object")),
        dispatch,
      );
    return;
  }
  const masks = disjointTypes(branches, module.defs);
  if (masks !== undefined) {
    const cases = branches
      .map((branch, i) => ({ branch, i, bits: masks[i]! & known.possible }))
      .filter(({ bits }) => bits !== 0);
    const allBits = masks.reduce((acc, m) => acc | m, 0);
    out.chain(
      cases.map(({ branch, i, bits }) => ({
        condition: typeTest(fn, bits, v),
        fill: (body: Block) =>
          reportStatements(scope, branch, v, path, narrow(known, bits, true), pointerTo(at, i), body),
      })),
      (body) => report(scope, body, path, keyword, JSON.stringify(`must be ${typeNames(allBits)}`)),
    );
    return;
  }
  const calls = branches.map((branch, i) => predicateCall(scope, branch, v, known, pointerTo(at, i)));
  if (keyword === "anyOf") {
    out.line(
      `if (!(${any(calls)})) valid = ${issue(scope, path, "anyOf", JSON.stringify("must match a schema in anyOf"))};`,
    );
  } else {
    const matches = fn.local("matches");
    out.line(`let ${matches} = 0;`);
    for (const call of calls) out.line(`if (${call}) ${matches}++;`);
    out.line(
      `if (${matches} !== 1) valid = ${issue(scope, path, "oneOf", JSON.stringify("must match exactly one schema in oneOf"))};`,
    );
  }
}

function reportObject(scope: Scope, schema: JsonSchemaObject, o: string, path: PathExpr, at: string, out: Block): void {
  const { module, fn } = scope;
  const plan = objectPlan(module, schema);
  const missing = (key: string): string => JSON.stringify(`must have required property '${key}'`);
  for (const { key, schema: sub, required } of plan.properties) {
    const read = readOwn(o, key);
    if (isTrivial(sub)) {
      if (required)
        out.nest(`if (${read} === undefined)`, (body) => report(scope, body, path, "required", missing(key)));
      continue;
    }
    if (sub === false) {
      const present = (body: Block): void =>
        report(scope, body, path.token(key), "false schema", JSON.stringify("must NOT be present"));
      if (required)
        out.ifElse(`${read} === undefined`, (body) => report(scope, body, path, "required", missing(key)), present);
      else out.nest(`if (${read} !== undefined)`, present);
      continue;
    }
    const value = fn.local("v");
    const checks = out.child();
    reportStatements(scope, sub, value, path.token(key), UNKNOWN, pointerTo(at, "properties", key), checks);
    if (!required && checks.lines.length === 0) continue;
    out.line(`const ${value}: unknown = ${read};`);
    if (required) {
      out.ifElse(
        `${value} === undefined`,
        (body) => report(scope, body, path, "required", missing(key)),
        (body) => body.append(checks),
      );
    } else {
      out.nest(`if (${value} !== undefined)`, (body) => body.append(checks));
    }
  }
  for (const key of plan.otherRequired) {
    out.nest(`if (${readOwn(o, key)} === undefined)`, (body) => report(scope, body, path, "required", missing(key)));
  }
  if (!plan.needsKeyLoop) return;
  const key = fn.local("key");
  const keyPath = (): PathExpr => path.dynamic(`${fn.helper("escapePointerToken")}(${key})`);
  const additionalMessage = `"must NOT have additional property '" + ${key} + "'"`;
  if (plan.onlyClosed) {
    const unknownKey = all(
      [keyIsUnknown(module, plan, key), isOwnKey(module, o, key)].filter((c) => c !== "true"),
    );
    out.nest(`for (const ${key} in ${o})`, (body) => {
      body.nest(`if (${unknownKey})`, (inner) => {
        report(scope, inner, path, "additionalProperties", additionalMessage);
        inner.line(`if (issues.length >= ${fn.helper("MAX_VALIDATION_ISSUES")}) return false;`);
      });
    });
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
      body.line(
        `if (!(${names})) valid = ${issue(scope, path, "propertyNames", `"must NOT have invalid property name '" + ${key} + "'"`)};`,
      );
    }
    for (const { regex, schema: sub, key: source } of plan.patterns) {
      if (isTrivial(sub)) continue;
      const value = fn.local("v");
      const checks = body.child();
      reportStatements(scope, sub, value, keyPath(), UNKNOWN, pointerTo(at, "patternProperties", source), checks);
      if (checks.lines.length === 0) continue;
      body.nest(`if (${regex()}.test(${key}))`, (inner) => {
        inner.line(`const ${value}: unknown = ${o}[${key}];`);
        inner.append(checks);
      });
    }
    const additional = plan.additional;
    if (additional !== undefined) {
      const unknownKey = keyIsUnknown(module, plan, key);
      const fill = (inner: Block): void => {
        if (additional === false) return report(scope, inner, path, "additionalProperties", additionalMessage);
        const value = fn.local("v");
        inner.line(`const ${value}: unknown = ${o}[${key}];`);
        reportStatements(scope, additional, value, keyPath(), UNKNOWN, pointerTo(at, "additionalProperties"), inner);
      };
      if (unknownKey === "true") fill(body);
      else body.nest(`if (${unknownKey})`, fill);
    }
    stopWhenFull(scope, body);
  });
  if (count !== undefined && schema.minProperties !== undefined && schema.minProperties > 0) {
    const n = schema.minProperties;
    out.nest(`if (${count} < ${n})`, (body) =>
      report(
        scope,
        body,
        path,
        "minProperties",
        JSON.stringify(`must NOT have fewer than ${n} ${n === 1 ? "property" : "properties"}`),
      ),
    );
  }
  if (count !== undefined && schema.maxProperties !== undefined) {
    const n = schema.maxProperties;
    out.nest(`if (${count} > ${n})`, (body) =>
      report(
        scope,
        body,
        path,
        "maxProperties",
        JSON.stringify(`must NOT have more than ${n} ${n === 1 ? "property" : "properties"}`),
      ),
    );
  }
}

function reportArray(scope: Scope, schema: JsonSchemaObject, a: string, path: PathExpr, at: string, out: Block): void {
  const { fn } = scope;
  const plan = arrayPlan(schema);
  const items = (n: number): string => `${n} item${n === 1 ? "" : "s"}`;
  if (plan.minItems > 0) {
    out.nest(`if (${a}.length < ${plan.minItems})`, (body) =>
      report(scope, body, path, "minItems", JSON.stringify(`must NOT have fewer than ${items(plan.minItems)}`)),
    );
  }
  if (plan.maxItems !== undefined) {
    const n = plan.maxItems;
    out.nest(`if (${a}.length > ${n})`, (body) =>
      report(scope, body, path, "maxItems", JSON.stringify(`must NOT have more than ${items(n)}`)),
    );
  }
  plan.prefixItems.forEach((sub, j) => {
    if (isTrivial(sub)) return;
    out.nest(`if (${a}.length > ${j})`, (body) => {
      const value = fn.local("v");
      body.line(`const ${value}: unknown = ${a}[${j}];`);
      reportStatements(scope, sub, value, path.token(String(j)), UNKNOWN, pointerTo(at, "prefixItems", j), body);
    });
  });
  const start = plan.prefixItems.length;
  if (plan.items === false) {
    out.nest(`if (${a}.length > ${start})`, (body) =>
      report(scope, body, path, "items", JSON.stringify(`must NOT have more than ${items(start)}`)),
    );
  } else if (plan.items !== undefined && !isTrivial(plan.items)) {
    const itemSchema = plan.items;
    const i = fn.local("i");
    out.nest(`for (let ${i} = ${start}; ${i} < ${a}.length; ${i}++)`, (body) => {
      const value = fn.local("v");
      body.line(`const ${value}: unknown = ${a}[${i}];`);
      reportStatements(scope, itemSchema, value, path.dynamic(i), UNKNOWN, pointerTo(at, "items"), body);
      stopWhenFull(scope, body);
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
    if (plan.minContains > 0) {
      const message = `must contain at least ${plan.minContains} matching ${plan.minContains === 1 ? "item" : "items"}`;
      out.nest(`if (${count} < ${plan.minContains})`, (body) =>
        report(scope, body, path, "contains", JSON.stringify(message)),
      );
    }
    if (plan.maxContains !== undefined) {
      const message = `must contain at most ${plan.maxContains} matching ${plan.maxContains === 1 ? "item" : "items"}`;
      out.nest(`if (${count} > ${plan.maxContains})`, (body) =>
        report(scope, body, path, "contains", JSON.stringify(message)),
      );
    }
  }
  if (plan.uniqueItems) {
    const duplicate = fn.local("duplicate");
    out.line(`const ${duplicate} = ${fn.helper("findDuplicateItems")}(${a});`);
    const message = `"must NOT have duplicate items (items " + ${duplicate}[0] + " and " + ${duplicate}[1] + " are equal)"`;
    out.nest(`if (${duplicate} !== undefined)`, (body) => report(scope, body, path, "uniqueItems", message));
  }
}
