/**
 * Every schema jamp-gen emits is a valid draft 2020-12 schema: checked against the meta-schema by ajv,
 * for every fixture's committed output, and compiled as well (which resolves every $ref).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect, it } from "vitest";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const fixtures = path.resolve(import.meta.dirname, "..", "fixtures");
const schemas = readdirSync(fixtures, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== "errors")
  .flatMap((d) => {
    const expected = path.join(fixtures, d.name, "expected");
    let files: string[] = [];
    try {
      files = readdirSync(expected).filter((f) => f.endsWith(".schema.json"));
    } catch {
      // a fixture whose goldens are not written yet: the golden test reports it
    }
    return files.map((f) => path.join(d.name, "expected", f));
  });

it("finds the emitted schemas", () => {
  expect(schemas.length).toBeGreaterThan(0);
});

it.each(schemas)("%s is a valid draft 2020-12 schema whose refs all resolve", (file) => {
  const schema = JSON.parse(readFileSync(path.join(fixtures, file), "utf8")) as Record<string, unknown>;
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
  // Compiling resolves every $ref; each method's params and result are compiled against the $defs.
  ajv.addSchema({ $id: "urn:jamp-gen:test", $defs: schema.$defs }, "defs");
  const methods = (schema["x-jamp-methods"] ?? {}) as Record<string, { params: object; result?: object }>;
  for (const [name, method] of Object.entries(methods)) {
    for (const part of [method.params, method.result]) {
      if (part === undefined) continue;
      const rebased = JSON.parse(JSON.stringify(part).replaceAll('"#/$defs/', '"urn:jamp-gen:test#/$defs/')) as object;
      expect(() => ajv.compile(rebased), `${name}`).not.toThrow();
    }
  }
});
