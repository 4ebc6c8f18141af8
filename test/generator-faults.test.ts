/**
 * The generator's faults (issue 8): inputs that once ran it out of stack, or that have no end, give a
 * diagnostic at a file, line and column or a clean output, never a RangeError. Circular imports,
 * self-referential and mutually recursive types, a type nested deeper than the generator reads
 * (`maxTypeDepth`), a generic type nesting its own instances (`maxGenericNesting`), and a file nested
 * deeper than TypeScript itself can parse, in an input or in a file it imports. The inputs are made in a
 * temp folder here. The big ones (a 10,000-member union, a 5 MB file, a chain of 3,000 types) are in
 * generator-faults.integration.test.ts.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { maxGenericNesting, maxTypeDepth } from "../src/analyzer/context.js";
import { generate, Generator } from "../src/pipeline.js";
import { descriptor, project, removeProjects, valid } from "./support/generated-project.js";

afterAll(removeProjects);

const run = (dir: string) => generate({ inputs: ["api.ts"], outDir: "gen", cwd: dir });

/** `{ a: … }` nested `levels` deep around `string`, one level a line, each line indented by its level. */
function nested(levels: number): string {
  const lines: string[] = [];
  for (let i = 0; i < levels; i++) lines.push(`${" ".repeat(i)}a: {`);
  lines.push(`${" ".repeat(levels)}end: string;`);
  for (let i = levels - 1; i >= 0; i--) lines.push(`${" ".repeat(i)}};`);
  return `{\n${lines.join("\n")}\n}`;
}

describe("generator faults", { timeout: 60_000 }, () => {
  it("reads types whose files import each other in a circle", async () => {
    const dir = project({
      "api.ts": `import type { B } from "./b.js";\nexport interface A { name: string; b?: B }\nexport interface Api { get(a: A): Promise<A>; }\n`,
      "b.ts": `import type { C } from "./c.js";\nexport interface B { c: C }\n`,
      "c.ts": `import type { A } from "./api.js";\nexport interface C { all: A[] }\n`,
    });
    const result = await run(dir);
    expect(result.diagnostics).toEqual([]);
    // B and C come from other files, so their files' modules hold them; C reaches A, so api.ts gets one too.
    expect(result.files.map((f) => f.path)).toEqual(["api.client.ts", "api.schema.json", "api.server.ts", "api.validate.ts", "index.ts", "shared/api.validate.ts", "shared/b.validate.ts", "shared/c.validate.ts"]);
    const api = await descriptor(dir, result, "api", "apiService");
    expect(valid(api, "get", { name: "x", b: { c: { all: [{ name: "y", b: { c: { all: [] } } }] } } })).toBe(true);
    expect(valid(api, "get", { name: "x", b: { c: { all: [{ name: 1 }] } } })).toBe(false);
  });

  it("reads self-referential and mutually recursive types, and a generic type recurring with the same argument", async () => {
    const dir = project({
      "api.ts": [
        "export interface Tree { value: number; children: Tree[] }",
        "export interface Ping { pong?: Pong }",
        "export interface Pong { ping: Ping | null }",
        "export interface List<T> { head: T; tail?: List<T> }",
        "export interface Api { tree(t: Tree): Promise<Tree>; ping(p: Ping): Promise<Pong>; list(l: List<string>): Promise<List<string>>; }",
        "",
      ].join("\n"),
    });
    const result = await run(dir);
    expect(result.diagnostics).toEqual([]);
    const api = await descriptor(dir, result, "api", "apiService");
    let tree: unknown = { value: 0, children: [] };
    for (let i = 1; i < 50; i++) tree = { value: i, children: [tree, { value: -i, children: [] }] };
    expect(valid(api, "tree", tree)).toBe(true);
    expect(valid(api, "ping", { pong: { ping: { pong: { ping: null } } } })).toBe(true);
    expect(valid(api, "ping", { pong: { ping: { pong: {} } } })).toBe(false);
    expect(valid(api, "list", { head: "a", tail: { head: "b", tail: { head: "c" } } })).toBe(true);
    expect(valid(api, "list", { head: "a", tail: { head: 2 } })).toBe(false);
  });

  it(`reads a type nested ${maxTypeDepth / 2} levels deep`, async () => {
    const dir = project({ "api.ts": `export type Deep = ${nested(maxTypeDepth / 2)};\nexport interface Api { get(d: Deep): Promise<void>; }\n` });
    const result = await run(dir);
    expect(result.diagnostics).toEqual([]);
  });

  it(`reports a type nested deeper than ${maxTypeDepth} levels (JG1033) at the level where it stops`, async () => {
    const dir = project({ "api.ts": `export type Deep = ${nested(maxTypeDepth + 50)};\nexport interface Api { get(d: Deep): Promise<void>; }\n` });
    const result = await run(dir);
    expect(result.files).toEqual([]);
    // The type's levels: its body (line 1), then the value of each `a:`; the 101st is the one at line 101.
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.span?.file, d.span?.line, d.span?.column])).toEqual([["JG1033", "error", "api.ts", maxTypeDepth + 1, maxTypeDepth + 3]]);
    expect(result.diagnostics[0]!.message).toBe(`This type nests deeper than ${maxTypeDepth} levels; the generator reads no deeper.`);
  });

  it(`reports a generic type instantiated within its own instances (JG1033) after ${maxGenericNesting} levels`, async () => {
    const dir = project({ "api.ts": "export interface Deep<T> {\n  value: T;\n  next?: Deep<Deep<T>>;\n}\nexport interface Api { get(d: Deep<string>): Promise<void>; }\n" });
    const result = await run(dir);
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.span?.file, d.span?.line])).toEqual([["JG1033", "api.ts", 3]]);
    expect(result.diagnostics[0]!.message).toContain(`The generic type 'Deep' is instantiated within its own instances more than ${maxGenericNesting} levels deep`);
  });

  it("reports a file nested deeper than TypeScript can parse (JG1033) where it nests deepest, in an input", async () => {
    const dir = project({ "api.ts": `export type Deep = ${nested(3000)};\nexport interface Api { get(d: Deep): Promise<void>; }\n` });
    const result = await run(dir);
    expect(result.files).toEqual([]);
    expect(result.diagnostics.map((d) => [d.code, d.span?.file, d.span?.line, d.span?.column])).toEqual([["JG1033", "api.ts", 3001, 3003]]);
    expect(result.diagnostics[0]!.message).toBe("TypeScript ran out of stack reading the input files; they nest deepest here, 3001 brackets deep.");
  });

  it("reports it in a file an input imports, and reads the project again once the file is fixed", async () => {
    const dir = project({
      "api.ts": `import type { Deep } from "./model.js";\nexport interface Api { get(d: Deep): Promise<void>; }\n`,
      "model.ts": `// Generated by hand.\nexport type Deep = ${nested(3000)};\n`,
    });
    const generator = new Generator({ inputs: ["api.ts"], outDir: "gen", cwd: dir });
    const first = await generator.run();
    expect(first.files).toEqual([]);
    expect(first.diagnostics.map((d) => [d.code, d.span?.file, d.span?.line, d.span?.column])).toEqual([["JG1033", "model.ts", 3002, 3003]]);
    expect(generator.dependencies()).toContain(path.join(dir, "model.ts"));
    writeFileSync(path.join(dir, "model.ts"), `export type Deep = ${nested(3)};\n`);
    const second = await generator.run([path.join(dir, "model.ts")]);
    expect(second.diagnostics).toEqual([]);
    // The service's four files, index.ts, and model.ts's module for Deep.
    expect(second.files.length).toBe(6);
  });
});
