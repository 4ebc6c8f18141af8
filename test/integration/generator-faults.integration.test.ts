/**
 * The generator's big inputs (issue 8, Faults), made in a temp folder at test time: a union of 10,000
 * object members, a 5 MB source file, a chain of 3,000 types each referring to the next. Each once ran
 * the generator out of stack (arguments spread into one call, recursive walks) or took minutes
 * (quadratic line counting); each must now generate cleanly, with validators that tell the first member
 * from the last. Tens of seconds each, so not in `npm test`; the small faults are in
 * test/generator-faults.test.ts.
 */
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../src/pipeline.js";
import { descriptor, project, removeProjects, valid } from "../support/generated-project.js";

afterAll(removeProjects);

const run = (dir: string) => generate({ inputs: ["api.ts"], outDir: "gen", cwd: dir });

describe("generator faults, big inputs", { timeout: 300_000 }, () => {
  it("generates a union of 10,000 object members", async () => {
    const members = Array.from({ length: 10_000 }, (_, i) => `{ kind: "k${i}"; v${i}: number }`);
    const dir = project({ "api.ts": `export type Huge = ${members.join(" | ")};\nexport interface Api { get(x: Huge): Promise<Huge>; }\n` });
    const result = await run(dir);
    expect(result.diagnostics).toEqual([]);
    const api = await descriptor(dir, result, "api", "apiService");
    expect(valid(api, "get", { kind: "k0", v0: 1 })).toBe(true);
    expect(valid(api, "get", { kind: "k9999", v9999: 1 })).toBe(true);
    expect(valid(api, "get", { kind: "k9999", v9998: 1 })).toBe(false);
    expect(valid(api, "get", { kind: "k10000", v10000: 1 })).toBe(false);
  });

  it("generates from a 5 MB source file", async () => {
    const parts: string[] = [];
    let size = 0;
    while (size < 5 * 1024 * 1024) {
      const i = parts.length;
      const part = `/** Record ${i}. */\nexport interface R${i} {\n  name${i}: string;\n  count${i}: number;\n  tags${i}: string[];\n}\n`;
      parts.push(part);
      size += part.length;
    }
    const last = parts.length - 1;
    const dir = project({ "api.ts": `${parts.join("")}export interface Api {\n  get(first: R0): Promise<R${last}>;\n  put(r: R${last}): Promise<void>;\n}\n` });
    const result = await run(dir);
    expect(result.diagnostics).toEqual([]);
    const api = await descriptor(dir, result, "api", "apiService");
    expect(valid(api, "put", { [`name${last}`]: "x", [`count${last}`]: 1, [`tags${last}`]: [] })).toBe(true);
    expect(valid(api, "put", { name0: "x", count0: 1, tags0: [] })).toBe(false);
  });

  it("generates a chain of 3,000 types, each referring to the next", async () => {
    const types = Array.from({ length: 3000 }, (_, i) => `export interface T${i} { value: number; next?: T${i + 1} }`);
    const dir = project({ "api.ts": `${types.join("\n")}\nexport interface T3000 { end: string }\nexport interface Api { get(x: T0): Promise<void>; }\n` });
    const result = await run(dir);
    expect(result.diagnostics).toEqual([]);
    const api = await descriptor(dir, result, "api", "apiService");
    let value: Record<string, unknown> = { value: 10 };
    for (let i = 9; i >= 0; i--) value = { value: i, next: value };
    expect(valid(api, "get", value)).toBe(true);
    expect(valid(api, "get", { value: 0, next: { value: "1" } })).toBe(false);
  });
});
