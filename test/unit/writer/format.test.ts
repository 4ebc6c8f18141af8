/**
 * The formatter's shortcuts against prettier itself: JSON printed by `printJson`, TypeScript formatted
 * chunk by chunk with a cache, must be byte for byte what prettier makes of the whole file.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { Formatter, prettierOptions } from "../../../src/writer/format.js";
import { printJson } from "../../../src/writer/json.js";

const prettierJson = (text: string) => prettier.format(text, { ...prettierOptions, parser: "json" });
const prettierTs = (text: string) => prettier.format(text, { ...prettierOptions, parser: "typescript" });

/** Every golden output, as the files the emitters would hand the formatter (JSON on one line). */
function goldens(): { name: string; text: string; json: boolean }[] {
  const out: { name: string; text: string; json: boolean }[] = [];
  for (const dir of readdirSync("fixtures")) {
    let files: string[] = [];
    try {
      // Modules of shared types sit in `shared/`, at any depth.
      files = readdirSync(`fixtures/${dir}/expected`, { recursive: true, encoding: "utf8" }).map((f) => f.split(path.sep).join("/"));
    } catch {
      continue;
    }
    for (const file of files.filter((f) => /\.(ts|json)$/.test(f))) {
      const text = readFileSync(`fixtures/${dir}/expected/${file}`, "utf8");
      if (file.endsWith(".json")) out.push({ name: `${dir}/${file}`, text: JSON.stringify(JSON.parse(text)), json: true });
      else if (file.endsWith(".ts")) out.push({ name: `${dir}/${file}`, text, json: false });
    }
  }
  return out;
}

describe("printJson", () => {
  it("prints every golden JSON file as prettier does", async () => {
    const files = goldens().filter((f) => f.json);
    expect(files.length).toBeGreaterThan(10);
    for (const { name, text } of files) expect(printJson(text), name).toBe(await prettierJson(text));
  });

  it("prints arbitrary JSON as prettier does", async () => {
    const key = fc.constantFrom("a", "type", "properties", "$ref", "anyOf", "x-jamp-methods", "description");
    const schemaLike = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom("string", "#/$defs/Thing", "a long description of something that goes on and on"),
        fc.array(tie("v"), { maxLength: 5 }),
        fc.dictionary(key, tie("v"), { maxKeys: 5 }),
      ),
    })).v;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 5 }), schemaLike), async (value) => {
        const text = JSON.stringify(value);
        const ours = printJson(text);
        if (ours !== undefined) expect(ours).toBe(await prettierJson(text));
      }),
      { numRuns: 600 },
    );
  });

  it("leaves to prettier what it does not print itself", () => {
    expect(printJson("{ not json")).toBeUndefined();
    const numbers = JSON.stringify({ values: Array.from({ length: 40 }, (_, i) => i * 1000) });
    expect(printJson(numbers)).toBeUndefined(); // prettier fills long number arrays line by line
  });
});

describe("Formatter", () => {
  it("formats every golden TypeScript file as prettier formats the whole file, from cold and from its cache", async () => {
    const files = goldens().filter((f) => !f.json);
    const formatter = new Formatter();
    for (const { name, text } of files) {
      const unformatted = text.replaceAll("\n\n", "\n\n\n").replaceAll("  ", "    "); // give prettier something to do
      const expected = await prettierTs(unformatted);
      expect(await formatter.format({ path: name, contents: unformatted, language: "typescript" }), name).toBe(expected);
      expect(await formatter.format({ path: name, contents: unformatted, language: "typescript" }), `${name}, cached`).toBe(expected);
    }
  });

  it("formats the whole file when a blank line falls inside a body", async () => {
    const text = "export class A {\n  a(): number { return 1 }\n\nb(): number { return 2 }\n}\n\nexport const x = {a:1}\n";
    expect(await new Formatter().format({ path: "a.ts", contents: text, language: "typescript" })).toBe(await prettierTs(text));
  });

  it("forgets, on sweep, the chunks it did not use since the last sweep", async () => {
    const formatter = new Formatter();
    const first = "export const a = 1\n\nexport const b = 2\n";
    const second = "export const a = 1\n\nexport const c = 3\n";
    await formatter.format({ path: "x.ts", contents: first, language: "typescript" });
    formatter.sweep();
    await formatter.format({ path: "x.ts", contents: second, language: "typescript" });
    formatter.sweep();
    expect(await formatter.format({ path: "x.ts", contents: first, language: "typescript" })).toBe(await prettierTs(first));
  });
});
