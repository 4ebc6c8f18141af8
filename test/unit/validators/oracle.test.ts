/**
 * Compiled validators against ajv (draft 2020-12, ajv-formats): for every schema in the table, each
 * sample must get ajv's verdict, an invalid sample at least one issue and a valid one none, and every
 * issue must point at a location that exists in the sample. Where our semantics deliberately differ
 * from ajv's, the samples live in "deliberate differences from ajv", with the reason.
 */
import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../../src/validators/json-schema.js";
import { cases, json } from "./cases.js";
import { ajvOracle, compileOne, run } from "./harness.js";

describe.each(cases)("$name", ({ schema, defs = {}, valid, invalid }) => {
  const validate = compileOne(schema, defs);
  const oracle = ajvOracle(schema, defs);

  test.each(valid.map((sample) => [JSON.stringify(sample), sample]))("accepts %s as ajv does", (_text, sample) => {
    expect(oracle(sample)).toBe(true);
    expect(run(validate, sample)).toEqual({ valid: true, issues: [] });
  });

  test.each(invalid.map((sample) => [JSON.stringify(sample), sample]))(
    "rejects %s as ajv does, saying where",
    (_text, sample) => {
      expect(oracle(sample)).toBe(false);
      const { valid: isValid, issues } = run(validate, sample);
      expect(isValid).toBe(false);
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) expect(pointsInto(sample, issue.path), issue.path).toBe(true);
    },
  );
});

/** Whether a JSON pointer names an existing location in `document`. */
function pointsInto(document: unknown, pointer: string): boolean {
  if (pointer === "") return true;
  let at: unknown = document;
  for (const token of pointer.slice(1).split("/")) {
    const key = token.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof at !== "object" || at === null || !Object.hasOwn(at, key)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return true;
}

describe("deliberate differences from ajv", () => {
  test("properties named like Object.prototype's are own properties, never read through the prototype", () => {
    // ajv reads `data.__proto__` and `data.toString` and finds the prototype's.
    const schema = json(
      '{"type": "object", "properties": {"__proto__": {"type": "number"}, "toString": {"type": "string"}}, "additionalProperties": false}',
    ) as JsonSchema;
    const validate = compileOne(schema);
    expect(ajvOracle(schema)({})).toBe(false);
    for (const text of ["{}", '{"__proto__": 1}', '{"toString": "x"}'])
      expect(run(validate, json(text)).valid, text).toBe(true);
    for (const text of ['{"__proto__": "x"}', '{"toString": 1}', '{"__proto__": 1, "valueOf": 2}'])
      expect(run(validate, json(text)).valid, text).toBe(false);
    expect(run(validate, json('{"__proto__": "x"}')).issues).toEqual([
      { path: "/__proto__", keyword: "type", message: "must be number" },
    ]);
  });

  test("a required property must be an own property, even one named like Object.prototype's", () => {
    // ajv reads `data.constructor`, which every object inherits.
    const schema: JsonSchema = { type: "object", required: ["constructor"] };
    expect(ajvOracle(schema)({})).toBe(true);
    expect(run(compileOne(schema), {}).valid).toBe(false);
    expect(run(compileOne(schema), json('{"constructor": 1}')).valid).toBe(true);
  });

  test("multipleOf reads decimals as written, where ajv's float division rejects 19.99 for 0.01", () => {
    const schema: JsonSchema = { type: "number", multipleOf: 0.01 };
    expect(ajvOracle(schema)(19.99)).toBe(false);
    expect(run(compileOne(schema), 19.99).valid).toBe(true);
    expect(run(compileOne(schema), 0.3).valid).toBe(true);
    expect(run(compileOne(schema), 0.005).valid).toBe(false);
  });

  test.each([
    // RFC 3339 § 5.6 requires "T" and a `±hh:mm` offset; ajv also takes a space and `+hhmm`.
    ["date-time", "2024-01-01 10:00:00Z"],
    ["date-time", "2024-01-01T10:00:00+0100"],
    ["date-time", "2024-01-01T10:00:00+01"],
    ["time", "10:00:00+0100"],
    // RFC 4122's UUID text form has no URN prefix; ajv takes `urn:uuid:`.
    ["uuid", "urn:uuid:123e4567-e89b-12d3-a456-426614174000"],
  ])("format %s rejects %s, which ajv accepts", (format, text) => {
    const schema: JsonSchema = { format };
    expect(ajvOracle(schema)(text)).toBe(true);
    expect(run(compileOne(schema), text).valid).toBe(false);
  });

  test("format email limits domain labels to 63 characters, as DNS does; ajv does not", () => {
    const text = `a@${"b".repeat(64)}.com`;
    expect(ajvOracle({ format: "email" })(text)).toBe(true);
    expect(run(compileOne({ format: "email" }), text).valid).toBe(false);
  });
});
