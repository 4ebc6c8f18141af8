import { describe, expect, test } from "vitest";
import type { ValidationIssue } from "../../../src/runtime/descriptor.js";
import * as runtime from "../../../src/runtime/validation.js";
import { compileValidators, type ValidatorRoot } from "../../../src/validators/compile.js";
import type { JsonSchema } from "../../../src/validators/json-schema.js";
import { cases } from "./cases.js";
import { compileOne, loadValidators, run, typeCheck } from "./harness.js";

const entryDefs: Record<string, JsonSchema> = {
  Entry: {
    type: "object",
    properties: { op: { enum: ["add", "divide"] }, at: { type: "string", format: "date-time" } },
    required: ["op", "at"],
    additionalProperties: false,
  },
};
const entries: JsonSchema = { type: "array", items: { $ref: "#/$defs/Entry" } };

const shapeDefs: Record<string, JsonSchema> = {
  Circle: {
    type: "object",
    properties: { kind: { const: "circle" }, radius: { type: "number", exclusiveMinimum: 0 } },
    required: ["kind", "radius"],
    additionalProperties: false,
  },
  Square: {
    type: "object",
    properties: { kind: { const: "square" }, side: { type: "number" } },
    required: ["kind", "side"],
    additionalProperties: false,
  },
  Shape: { oneOf: [{ $ref: "#/$defs/Circle" }, { $ref: "#/$defs/Square" }] },
};

const issue = (path: string, keyword: string, message: string): ValidationIssue => ({ path, keyword, message });

describe("issues", () => {
  test("reports every problem of every item, each at its JSON pointer", () => {
    const validate = compileOne(entries, entryDefs);
    const value = [
      { op: "mul", at: "yesterday", x: 1 },
      { at: "2024-01-01T00:00:00Z" },
      "x",
      { op: "add", at: "2024-01-01T00:00:00Z" },
    ];
    expect(run(validate, value)).toEqual({
      valid: false,
      issues: [
        issue("/0/op", "enum", 'must be equal to one of "add", "divide"'),
        issue("/0/at", "format", 'must match format "date-time"'),
        issue("/0", "additionalProperties", "must NOT have additional property 'x'"),
        issue("/1", "required", "must have required property 'op'"),
        issue("/2", "type", "must be object"),
      ],
    });
  });

  test("prefixes paths with the path it is given", () => {
    const issues: ValidationIssue[] = [];
    expect(compileOne(entries, entryDefs)([{ op: "add" }], "/params/0", issues)).toBe(false);
    expect(issues).toEqual([issue("/params/0/0", "required", "must have required property 'at'")]);
  });

  test("escapes ~ and / in keys, known ones at compile time and others at run time", () => {
    const validate = compileOne({
      type: "object",
      properties: { "a/b~c": { type: "number" } },
      additionalProperties: { type: "string" },
    });
    expect(run(validate, { "a/b~c": "x", "d/e": 1 }).issues).toEqual([
      issue("/a~1b~0c", "type", "must be number"),
      issue("/d~1e", "type", "must be string"),
    ]);
  });

  test("reports the failing branch of a discriminated union by its tag", () => {
    const validate = compileOne({ $ref: "#/$defs/Shape" }, shapeDefs);
    expect(run(validate, { kind: "circle", radius: 0 }).issues).toEqual([
      issue("/radius", "exclusiveMinimum", "must be > 0"),
    ]);
    expect(run(validate, { kind: "square", side: "1", radius: 1 }).issues).toEqual([
      issue("/side", "type", "must be number"),
      issue("", "additionalProperties", "must NOT have additional property 'radius'"),
    ]);
    expect(run(validate, { kind: "triangle" }).issues).toEqual([
      issue("/kind", "oneOf", 'must be equal to one of "circle", "square"'),
    ]);
    expect(run(validate, { radius: 1 }).issues).toEqual([issue("", "required", "must have required property 'kind'")]);
    expect(run(validate, [1]).issues).toEqual([issue("", "type", "must be object")]);
  });

  test("reports the branch of a nullable union that the value's type selects", () => {
    const defs = { Point: { type: "object", properties: { x: { type: "number" } }, required: ["x"] } } satisfies Record<
      string,
      JsonSchema
    >;
    const validate = compileOne({ anyOf: [{ $ref: "#/$defs/Point" }, { type: "null" }] }, defs);
    expect(run(validate, { x: "1" }).issues).toEqual([issue("/x", "type", "must be number")]);
    expect(run(validate, 5).issues).toEqual([issue("", "anyOf", "must be object or null")]);
  });

  test("reports one issue for a union whose branch cannot be told", () => {
    const anyOf = compileOne({
      anyOf: [
        { type: "string", minLength: 3 },
        { type: "string", pattern: "^[0-9]+$" },
      ],
    });
    expect(run(anyOf, "ab").issues).toEqual([issue("", "anyOf", "must match a schema in anyOf")]);
    const oneOf = compileOne({ oneOf: [{ multipleOf: 2 }, { multipleOf: 3 }] });
    expect(run(oneOf, 6).issues).toEqual([issue("", "oneOf", "must match exactly one schema in oneOf")]);
  });

  test.each([
    [{ type: ["string", "null"] }, 5, issue("", "type", "must be string or null")],
    [{ type: "integer" }, 1.5, issue("", "type", "must be integer")],
    [{ minimum: 0 }, -1, issue("", "minimum", "must be >= 0")],
    [{ maximum: 2 }, 3, issue("", "maximum", "must be <= 2")],
    [{ exclusiveMaximum: 2 }, 2, issue("", "exclusiveMaximum", "must be < 2")],
    [{ multipleOf: 0.5 }, 0.7, issue("", "multipleOf", "must be multiple of 0.5")],
    [{ minLength: 2 }, "😀", issue("", "minLength", "must NOT have fewer than 2 characters")],
    [{ maxLength: 1 }, "ab", issue("", "maxLength", "must NOT have more than 1 character")],
    [{ pattern: "^a" }, "b", issue("", "pattern", 'must match pattern "^a"')],
    [{ const: { a: 1 } }, { a: 2 }, issue("", "const", 'must be equal to {"a":1}')],
    [{ not: { type: "string" } }, "s", issue("", "not", "must NOT be valid")],
    [{ maxItems: 3 }, [1, 2, 3, 4], issue("", "maxItems", "must NOT have more than 3 items")],
    [{ minItems: 1 }, [], issue("", "minItems", "must NOT have fewer than 1 item")],
    [{ prefixItems: [true], items: false }, [1, 2], issue("", "items", "must NOT have more than 1 item")],
    [
      { uniqueItems: true },
      [1, 2, 1],
      issue("", "uniqueItems", "must NOT have duplicate items (items 0 and 2 are equal)"),
    ],
    [{ contains: { type: "string" } }, [1], issue("", "contains", "must contain at least 1 matching item")],
    [{ maxProperties: 1 }, { a: 1, b: 2 }, issue("", "maxProperties", "must NOT have more than 1 property")],
    [
      { propertyNames: { maxLength: 1 } },
      { ab: 1 },
      issue("", "propertyNames", "must NOT have invalid property name 'ab'"),
    ],
    [{ properties: { a: false } }, { a: 1 }, issue("/a", "false schema", "must NOT be present")],
    [false, 1, issue("", "false schema", "must NOT be valid")],
  ] as [JsonSchema, unknown, ValidationIssue][])("reports %j failing on %j", (schema, value, expected) => {
    expect(run(compileOne(schema), value)).toEqual({ valid: false, issues: [expected] });
  });

  test("stops adding issues at MAX_VALIDATION_ISSUES on a large invalid array", () => {
    const validate = compileOne({ type: "array", items: { $ref: "#/$defs/Entry" } }, entryDefs);
    const { valid, issues } = run(
      validate,
      Array.from({ length: 100_000 }, () => ({})),
    );
    expect(valid).toBe(false);
    expect(issues).toHaveLength(runtime.MAX_VALIDATION_ISSUES);
    expect(issues[runtime.MAX_VALIDATION_ISSUES - 1]).toEqual(
      issue("/9", "required", "must have required property 'at'"),
    );
  });

  test("still tells valid from invalid when the issue list is already full", () => {
    const validate = compileOne({ type: "object", properties: { a: { type: "number" } } });
    const full = (): ValidationIssue[] =>
      Array.from({ length: runtime.MAX_VALIDATION_ISSUES }, () => issue("", "x", "y"));
    const issues = full();
    expect(validate({ a: "1" }, "", issues)).toBe(false);
    expect(validate({ a: 1 }, "", issues)).toBe(true);
    expect(issues).toEqual(full());
  });

  test("builds no path and touches no issue list for a valid value", () => {
    const path = {
      [Symbol.toPrimitive]: () => {
        throw new Error("a path was built");
      },
    } as unknown as string;
    const issues = Object.freeze([]) as unknown as ValidationIssue[];
    const validate = compileOne(
      { type: "object", properties: { entries, shape: { $ref: "#/$defs/Shape" } } },
      { ...entryDefs, ...shapeDefs },
    );
    expect(
      validate(
        { entries: [{ op: "add", at: "2024-01-01T00:00:00Z" }], shape: { kind: "square", side: 1 } },
        path,
        issues,
      ),
    ).toBe(true);
  });
});

describe("generated code", () => {
  test("type-checks under the strictest compiler options for every schema of the oracle table", () => {
    const defs: Record<string, JsonSchema> = {};
    for (const { defs: caseDefs = {} } of cases) {
      for (const [name, schema] of Object.entries(caseDefs)) {
        if (Object.hasOwn(defs, name) && defs[name] !== schema) throw new Error(`cases define ${name} twice`);
        defs[name] = schema;
      }
    }
    const roots: ValidatorRoot[] = cases.map(({ schema }, i) => ({ name: `check${i}`, schema }));
    expect(typeCheck(defs, roots)).toBe("");
  });

  test("type-checks schemas whose checks come out empty or constant", () => {
    const roots: ValidatorRoot[] = [
      { name: "accepts", schema: true },
      { name: "rejects", schema: false },
      {
        name: "degenerate",
        schema: {
          type: "object",
          properties: {
            x: { uniqueItems: false },
            y: { not: {} },
            z: { required: [] },
            w: { type: "string", const: 1 },
          },
          patternProperties: { "^p": { minItems: 0 } },
          required: ["x"],
        },
      },
      {
        name: "union",
        schema: { anyOf: [{ type: "string" }, { type: "object", properties: { q: { minItems: 0 } } }] },
      },
    ];
    expect(
      typeCheck({ Anything: {}, Nothing: false }, [
        ...roots,
        { name: "refs", schema: { prefixItems: [{ $ref: "#/$defs/Anything" }, { $ref: "#/$defs/Nothing" }] } },
      ]),
    ).toBe("");
  });

  test("type-checks defs whose names are awkward in code and comments", () => {
    const object: JsonSchema = {
      type: "object",
      properties: { p: { anyOf: [{ type: "string" }, { type: "array", items: true }] } },
    };
    const defs: Record<string, JsonSchema> = {
      "a*": object,
      'q"r': object,
      "x y/z~": object,
      defs: object,
      $Entry: object,
    };
    const refs = ["a*", 'q"r', "x y~1z~0", "defs", "$Entry"].map((name) => ({ $ref: `#/$defs/${name}` }));
    expect(typeCheck(defs, [{ name: "check", schema: { prefixItems: refs } }])).toBe("");
  });

  test("type-checks a root whose name collides with def function names", () => {
    expect(
      typeCheck({ Entry: true, "Entry!": { type: "string" } }, [
        { name: "isEntry", schema: { anyOf: [{ $ref: "#/$defs/Entry" }, { $ref: "#/$defs/Entry!" }] } },
      ]),
    ).toBe("");
  });

  test("is identical for the same input, whatever the order of the defs' keys", () => {
    const roots = [
      { name: "validateLog", schema: entries },
      { name: "validateShape", schema: { $ref: "#/$defs/Shape" } },
    ];
    const forward = compileValidators({ ...entryDefs, ...shapeDefs }, roots);
    const reversed = compileValidators(
      Object.fromEntries(Object.entries({ ...shapeDefs, ...entryDefs }).reverse()),
      roots,
    );
    expect(compileValidators({ ...entryDefs, ...shapeDefs }, roots)).toEqual(forward);
    expect(reversed).toEqual(forward);
  });

  test("declares one unexported function per root and per reachable def, and nothing unreachable", () => {
    const { code } = compileValidators({ ...entryDefs, Unused: { type: "string" } }, [
      { name: "validateLog", schema: entries },
    ]);
    const functions = [...code.matchAll(/^function (\S+)\(/gm)].map((m) => m[1]);
    expect(functions).toEqual(["validateLog", "$Entry", "$isEntry"]);
    expect(code).not.toMatch(/\bexport\b/);
  });

  test("lists the runtime helpers it uses, sorted, each exported by the runtime", () => {
    const { runtimeImports } = compileValidators(entryDefs, [{ name: "validateLog", schema: entries }]);
    expect(runtimeImports).toEqual(["MAX_VALIDATION_ISSUES", "addIssue", "isDateTime", "isJsonObject"]);
    const needsMore = compileValidators({}, [
      {
        name: "check",
        schema: {
          type: "object",
          additionalProperties: { type: "string", format: "email", minLength: 2 },
          uniqueItems: true,
        },
      },
    ]);
    for (const name of needsMore.runtimeImports) expect(Object.hasOwn(runtime, name), name).toBe(true);
  });

  test.each(cases.map((c) => [c.name, c] as const))(
    "imports and declares nothing it does not use, for %s",
    (_name, { schema, defs = {} }) => {
      const { code, runtimeImports } = compileValidators(defs, [{ name: "check", schema }]);
      const uses = (name: string): number =>
        code.split(new RegExp(`(?<![\\w$])${name.replaceAll("$", "\\$")}(?![\\w$])`)).length - 1;
      for (const name of runtimeImports) expect(uses(name), name).toBeGreaterThan(0);
      for (const [, name] of code.matchAll(/^(?:const|function) (\$[\w$]*)/gm))
        expect(uses(name!), name).toBeGreaterThan(1);
    },
  );

  test("compiles each pattern once, at module level, with the u flag", () => {
    const zip = { type: "string", pattern: "^[0-9]{5}$" } as const;
    const { code } = compileValidators({}, [
      { name: "check", schema: { type: "object", properties: { a: zip, b: zip, c: { type: "array", items: zip } } } },
    ]);
    expect(code.match(/new RegExp/g)).toHaveLength(1);
    expect(code).toMatch(/^const \$pattern = new RegExp\("\^\[0-9\]\{5\}\$", "u"\);$/m);
  });

  test("dispatches a discriminated union on its tag", () => {
    const { code } = compileValidators(shapeDefs, [{ name: "check", schema: { $ref: "#/$defs/Shape" } }]);
    expect(code).toContain('switch (value["kind"])');
  });

  test("names def functions after sanitised def names, numbering collisions", () => {
    const defs = { "Page<User>": { type: "string" }, Page_User: { type: "number" } } satisfies Record<
      string,
      JsonSchema
    >;
    const compiled = compileValidators(defs, [
      {
        name: "check",
        schema: { type: "array", prefixItems: [{ $ref: "#/$defs/Page<User>" }, { $ref: "#/$defs/Page_User" }] },
      },
    ]);
    expect([...compiled.code.matchAll(/^function (\S+)\(/gm)].map((m) => m[1])).toEqual([
      "check",
      "$Page_User",
      "$isPage_User",
      "$Page_User2",
      "$isPage_User2",
    ]);
    const { check } = loadValidators(compiled, ["check"]);
    expect(run(check!, ["a", 1]).valid).toBe(true);
    expect(run(check!, [1, "a"]).issues).toEqual([
      issue("/0", "type", "must be string"),
      issue("/1", "type", "must be number"),
    ]);
  });
});

describe("refusals", () => {
  const compile =
    (schema: JsonSchema, defs: Record<string, JsonSchema> = {}, name = "check"): (() => unknown) =>
    () =>
      compileValidators(defs, [{ name, schema }]);

  test("throws on an unknown keyword, naming it and where it is", () => {
    expect(compile({ type: "object", properties: { a: { if: { type: "string" } } as JsonSchema } })).toThrow(
      'Unsupported JSON Schema keyword "if" at check#/properties/a/if.',
    );
    expect(compile(true, { "A/B": { items: { unevaluatedItems: false } as JsonSchema } })).toThrow(
      'Unsupported JSON Schema keyword "unevaluatedItems" at #/$defs/A~1B/items/unevaluatedItems.',
    );
  });

  test("throws on an unknown format, listing the known ones", () => {
    expect(compile({ format: "color" })).toThrow(
      /^Unknown format "color" at check#\/format; supported formats: date, date-time, /,
    );
    expect(compile({ format: "constructor" })).toThrow('Unknown format "constructor"');
  });

  test("ignores annotations everywhere and document keywords at the top of a schema only", () => {
    expect(
      compile({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $id: "x",
        $defs: {},
        title: "t",
        "x-note": 1,
      }),
    ).not.toThrow();
    expect(compile({ items: { $id: "nested" } })).toThrow('Unsupported JSON Schema keyword "$id" at check#/items/$id.');
  });

  test.each([
    [
      { type: "int" },
      "Invalid JSON Schema at check#/type: must be one of string, number, integer, boolean, null, array, object",
    ],
    [{ type: [] }, "Invalid JSON Schema at check#/type"],
    [{ required: "a" }, "Invalid JSON Schema at check#/required: must be an array of distinct strings."],
    [{ minLength: -1 }, "Invalid JSON Schema at check#/minLength: must be a non-negative integer."],
    [{ multipleOf: 0 }, "Invalid JSON Schema at check#/multipleOf: must be a positive number."],
    [{ pattern: "(" }, 'Invalid JSON Schema at check#/pattern: "(" is not a valid regular expression'],
    [{ patternProperties: { "[": true } }, "Invalid JSON Schema at check#/patternProperties:"],
    [{ anyOf: [] }, "Invalid JSON Schema at check#/anyOf: must be a non-empty array of schemas."],
    [{ enum: [Number.NaN] }, "Invalid JSON Schema at check#/enum/0: must hold JSON values only (finite numbers)."],
    [{ properties: { a: 1 } }, "Invalid JSON Schema at check#/properties/a: a schema must be an object or a boolean."],
    [
      { $ref: "#/definitions/A" },
      'Unsupported $ref "#/definitions/A" at check#/$ref; only "#/$defs/<name>" is supported.',
    ],
    [{ $ref: "#/$defs/Missing" }, '$ref "#/$defs/Missing" at check#/$ref points to no def.'],
  ] as [JsonSchema, string][])("throws on %j", (schema, message) => {
    expect(compile(schema)).toThrow(message);
  });

  test("throws on defs that refer to themselves without descending into a value", () => {
    const defs: Record<string, JsonSchema> = {
      A: { anyOf: [{ $ref: "#/$defs/B" }, { type: "null" }] },
      B: { allOf: [{ $ref: "#/$defs/A" }] },
    };
    expect(compile({ $ref: "#/$defs/A" }, defs)).toThrow(
      "$ref cycle that never descends into a value: #/$defs/A → #/$defs/B → #/$defs/A.",
    );
  });

  test.each(["$check", "1check", "class", "check-1"])("throws on the validator name %j", (name) => {
    expect(compile(true, {}, name)).toThrow(
      `Validator name "${name}" must be a TypeScript identifier not starting with "$".`,
    );
  });

  test.each(["Object", "ValidationIssue"])(
    "throws on the validator name %j, which the code needs for itself",
    (name) => {
      expect(compile(true, {}, name)).toThrow(
        `Validator name "${name}" would hide the global of that name from the generated code.`,
      );
    },
  );

  test("throws on a validator name used twice or taken by a runtime helper it needs", () => {
    expect(() =>
      compileValidators({}, [
        { name: "a", schema: true },
        { name: "a", schema: true },
      ]),
    ).toThrow('Validator name "a" is used twice.');
    expect(compile({ type: "object" }, {}, "isJsonObject")).toThrow(
      'Validator name "isJsonObject" clashes with the runtime helper of that name',
    );
  });
});
