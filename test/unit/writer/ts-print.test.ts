/**
 * `formatTypeScript` (src/writer/ts-print.ts) against prettier itself: every chunk of TypeScript the
 * emitters write for the fixtures and for a synthetic project, validators compiled from every schema of
 * the validator tests and from random ones, and class methods with random types whose lengths land on
 * both sides of the 100 columns, must come out byte for byte as prettier formats them, or be refused
 * (`Unsupported`) so that prettier formats them instead. The fixtures' chunks must all be handled: the
 * formatter is what keeps prettier off a run's critical path.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import * as prettier from "prettier";
import { afterAll, describe, expect, it, vi } from "vitest";
import { writeSyntheticProject } from "../../../bench/synthetic.js";
import { generate } from "../../../src/pipeline.js";
import type { JsonSchema } from "../../../src/validators/json-schema.js";
import { compileValidators } from "../../../src/validators/compile.js";
import { Unsupported } from "../../../src/writer/doc.js";
import { chunksOf, Formatter, prettierOptions } from "../../../src/writer/format.js";
import { formatTypeScript } from "../../../src/writer/ts-print.js";
import { cases } from "../validators/cases.js";

const root = path.resolve(import.meta.dirname, "../../..");
/** More runs of the random cases, for a longer search: `JAMP_FUZZ_RUNS=5000 npx vitest run test/unit/writer/ts-print.test.ts`. */
const runs = (count: number) => Number(process.env.JAMP_FUZZ_RUNS ?? count);
const fuzzTimeout = process.env.JAMP_FUZZ_RUNS ? 3_600_000 : 60_000;
const prettierTs = async (text: string) => (await prettier.format(text, { ...prettierOptions, parser: "typescript" })).trim();

/** Ours, or `undefined` where the formatter leaves the chunk to prettier. */
function ours(chunk: string): string | undefined {
  try {
    return formatTypeScript(chunk);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** The TypeScript chunks the emitters hand the formatter while `run` generates. */
async function emittedChunks(run: () => Promise<unknown>): Promise<Set<string>> {
  const chunks = new Set<string>();
  const spy = vi.spyOn(Formatter.prototype, "format").mockImplementation(async (file) => {
    if (file.language === "typescript") for (const chunk of chunksOf(file.contents)) chunks.add(chunk);
    return file.contents;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return chunks;
}

const scratch = mkdtempSync(path.join(tmpdir(), "jamp-gen-ts-print-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("formatTypeScript", () => {
  it("formats every chunk the emitters write for the fixtures and a synthetic project as prettier does", { timeout: 120_000 }, async () => {
    const fixtures = readdirSync(path.join(root, "fixtures")).filter((name) => name !== "errors");
    writeSyntheticProject(scratch, 12);
    const chunks = await emittedChunks(async () => {
      for (const name of fixtures) {
        const dir = path.join(root, "fixtures", name);
        const inputs = readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => path.relative(root, path.join(dir, f)));
        for (const unknownProperties of ["reject", "strip"] as const) await generate({ inputs, outDir: path.relative(root, path.join(dir, "expected")), cwd: root, schema: { unknownProperties } });
      }
      await generate({ inputs: ["services/*.ts"], outDir: "generated", cwd: scratch, tsconfig: "tsconfig.json" });
    });
    expect(chunks.size).toBeGreaterThan(500);
    const refused: string[] = [];
    for (const chunk of chunks) {
      const printed = ours(chunk);
      if (printed === undefined) refused.push(chunk);
      else expect(printed, chunk).toBe(await prettierTs(chunk));
    }
    expect(refused).toEqual([]);
  });

  it("formats validators compiled from every schema of the validator tests as prettier does", async () => {
    for (const c of cases) {
      const code = compileValidators(c.defs ?? {}, [{ name: "check", schema: c.schema }]).code;
      for (const chunk of chunksOf(code)) expect(ours(chunk), `${c.name}:\n${chunk}`).toBe(await prettierTs(chunk));
    }
  });

  it("formats validators of random schemas as prettier does", { timeout: fuzzTimeout }, async () => {
    await fc.assert(
      fc.asyncProperty(schemas, names, async (schema, name) => {
        const code = compileValidators({}, [{ name, schema }]).code;
        for (const chunk of chunksOf(code)) {
          const printed = ours(chunk);
          if (printed !== undefined) expect(printed, chunk).toBe(await prettierTs(chunk));
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it("formats methods with random types, around the line width, as prettier does", { timeout: fuzzTimeout }, async () => {
    let handled = 0;
    await fc.assert(
      fc.asyncProperty(names, fc.array(fc.tuple(names, types), { minLength: 1, maxLength: 4 }), types, async (method, params, result) => {
        const list = params.map(([name, type]) => `${name}: ${type}`).join(", ");
        const chunk = `export class SomeClient implements Some {\n  /**\n   * Does it.\n   * @generated from Some.${method}\n   */\n  ${method}(${list}, options?: jamp.CallOptions): Promise<${result}> {\n    return this.#client.query<${result}>("${method}", [${params.map(([n]) => n).join(", ")}], options);\n  }\n\n  abstract ${method}Too(${list}): Promise<${result}>;\n}`;
        const printed = ours(chunk);
        if (printed !== undefined) {
          handled++;
          expect(printed, chunk).toBe(await prettierTs(chunk));
        }
      }),
      { numRuns: runs(200) },
    );
    expect(handled).toBeGreaterThan(100);
  });

  it("formats what the emitters write for random service files as prettier does", { timeout: fuzzTimeout * 2 }, async () => {
    let generated = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(names, fc.array(fc.tuple(names, serviceTypes), { maxLength: 3 }), serviceTypes), { minLength: 1, maxLength: 4 }), async (methods) => {
        const dir = mkdtempSync(path.join(scratch, "service-"));
        const lines = methods.map(([name, params, result], i) => `  /** Method ${i}: "${name}". */\n  ${name}${i}(${params.map(([p, t]) => `${p}: ${t}`).join(", ")}): Promise<${result}>;`);
        writeFileSync(path.join(dir, "api.ts"), `export interface Item {\n  id: string;\n  tags?: string[];\n}\n\n/** A service. */\nexport interface SomeServiceWithAName {\n${lines.join("\n")}\n}\n`);
        const result = { errors: false };
        const chunks = await emittedChunks(async () => {
          const run = await generate({ inputs: ["api.ts"], outDir: "out", cwd: dir });
          result.errors = run.diagnostics.some((d) => d.severity === "error");
        });
        if (result.errors) return;
        generated++;
        for (const chunk of chunks) {
          const printed = ours(chunk);
          if (printed !== undefined) expect(printed, chunk).toBe(await prettierTs(chunk));
        }
      }),
      { numRuns: runs(12) },
    );
    expect(generated).toBeGreaterThan(0);
  });

  it("refuses what it does not print, and the formatter gives that to prettier", async () => {
    for (const text of ["const a = /x+/u;", "export const f = (x: number) => {\n  return x;\n};", "a?.b();", "for (;;) {}"]) {
      expect(() => formatTypeScript(text), text).toThrow(Unsupported);
      expect(await new Formatter().format({ path: "a.ts", contents: `${text}\n`, language: "typescript" })).toBe(`${await prettierTs(text)}\n`);
    }
  });
});

/** Identifiers from 1 to 45 characters, so that lines land on both sides of the width. */
const names = fc.tuple(fc.constantFrom("a", "value", "options", "x"), fc.integer({ min: 0, max: 40 })).map(([base, extra]) => `${base}${"N".repeat(extra)}`);

/** String literals with quotes in them, which prettier may requote. */
const strings = fc.constantFrom("plain", "it's", 'say "hi"', `both ' and "`, "", "a long literal value that takes a lot of room on the line");

const types: fc.Arbitrary<string> = fc.letrec<{ type: string }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("string", "number", "boolean", "null", "undefined", "unknown", "bigint", "Date", "Uint8Array"),
    names.map((n) => `T${n}`),
    strings.map((s) => JSON.stringify(s)),
    tie("type").map((t) => (/[|&]/.test(t) ? `(${t})[]` : `${t}[]`)),
    fc.array(tie("type"), { minLength: 2, maxLength: 4 }).map((members) => members.map((m) => (/\|/.test(m) && !m.startsWith("(") ? `(${m})` : m)).join(" | ")),
    fc.array(fc.tuple(fc.oneof(names, strings.map((s) => JSON.stringify(s))), fc.boolean(), tie("type")), { minLength: 1, maxLength: 3 }).map((props) => `{ ${props.map(([k, optional, t]) => `${k}${optional ? "?" : ""}: ${t}`).join("; ")} }`),
    fc.tuple(tie("type"), tie("type")).map(([a, b]) => `Map<${a}, ${b}>`),
    tie("type").map((t) => `Record<string, ${t}>`),
    fc.array(tie("type"), { minLength: 1, maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
    tie("type").map((t) => `Page<${t}>`),
  ),
})).type;

/** Types a service may use (no type names it does not declare), as a user would write them. */
const serviceTypes: fc.Arbitrary<string> = fc.letrec<{ type: string }>((tie) => ({
  type: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("string", "number", "boolean", "Date", "bigint", "Item", "Uint8Array"),
    strings.map((s) => JSON.stringify(s)),
    tie("type").map((t) => (/[|&]/.test(t) ? `(${t})[]` : `${t}[]`)),
    fc.array(tie("type"), { minLength: 2, maxLength: 3 }).map((members) => members.map((m) => (/\|/.test(m) ? `(${m})` : m)).join(" | ")),
    tie("type").map((t) => `${t} | null`),
    fc.array(fc.tuple(names, fc.boolean(), tie("type")), { minLength: 1, maxLength: 3 }).map((props) => `{ ${props.map(([k, optional, t]) => `${k}${optional ? "?" : ""}: ${t}`).join("; ")} }`),
    tie("type").map((t) => `Record<string, ${t}>`),
    fc.array(tie("type"), { minLength: 1, maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
  ),
})).type;

const schemas: fc.Arbitrary<JsonSchema> = fc.letrec<{ schema: JsonSchema }>((tie) => ({
  schema: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<JsonSchema>({ type: "string" }, { type: "number" }, { type: "integer", minimum: 0 }, { type: "boolean" }, { type: ["string", "null"] }, { type: "string", pattern: "^[a-z]+$" }, { type: "string", format: "date-time" }, { type: "string", minLength: 1, maxLength: 80 }),
    fc.array(strings, { minLength: 1, maxLength: 6 }).map((values): JsonSchema => ({ enum: [...new Set(values)] })),
    strings.map((value): JsonSchema => ({ const: value })),
    tie("schema").map((items): JsonSchema => ({ type: "array", items })),
    fc.array(tie("schema"), { minLength: 2, maxLength: 3 }).map((anyOf): JsonSchema => ({ anyOf })),
    fc.dictionary(names, tie("schema"), { minKeys: 1, maxKeys: 5 }).chain((properties) =>
      fc.subarray(Object.keys(properties)).map((required): JsonSchema => ({ type: "object", properties, required, additionalProperties: false })),
    ),
    tie("schema").map((value): JsonSchema => ({ type: "object", additionalProperties: value })),
  ),
})).schema;
