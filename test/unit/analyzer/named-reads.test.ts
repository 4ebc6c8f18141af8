/**
 * A named type one file's reader read is replayed, not read again, by the next file's reader in the
 * same run (named-reads.ts). Replayed or read, a file's result must be the same: its services, the named
 * types it defines (in the same order), its diagnostics (at this file's own paths, JSDoc keyword checks
 * included), and the files it depends on.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SourceFile } from "ts-morph";
import { afterAll, expect, it, vi } from "vitest";
import { TypeReader } from "../../../src/analyzer/context.js";
import { NamedReads } from "../../../src/analyzer/named-reads.js";
import { openProject } from "../../../src/analyzer/project.js";
import { readServices } from "../../../src/analyzer/services.js";

const dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-named-reads-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  "shared.ts": `
/** @minLength 1 */
export type Name = string;
export enum Level { Low = 1, High = 2 }
export interface Page<T> { items: T[]; next: string | null }
export interface Tree { value: number; children: Tree[] }
export interface Owner {
  name: Name;
  /** @minimum abc */
  age: number;
  /** @minLength 2 */
  rank: number;
  nicknames: Name[];
  callback: () => void;
  level: Level;
}
export interface Entity { id: string; owner: Owner; tree?: Tree; pages: Page<Owner>[] }
`,
  "other.ts": `export interface Owner { other: boolean }\n`,
  "a.ts": `
import type { Entity, Page, Tree } from "./shared.js";
export interface A {
  find(tree: Tree): Promise<Page<Entity>>;
  get(id: string): Promise<Entity>;
}
`,
  "b.ts": `
import type { Entity, Owner, Page } from "./shared.js";
import type { Owner as OtherOwner } from "./other.js";
export interface B {
  owners(page: Page<Owner>): Promise<Entity[]>;
  other(owner: OtherOwner): Promise<Owner>;
}
`,
};
for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);

/** What a file's analysis keeps, as text, after reading it with `reads`. */
function analyze(file: SourceFile, reads: NamedReads): string {
  const reader = new TypeReader(dir, file, undefined, reads);
  const services = readServices(file, reader, dir);
  const partial = { modelVersion: 1 as const, services, types: Object.fromEntries(reader.types) };
  return JSON.stringify({ services, types: [...reader.types], diagnostics: [...reader.diagnostics, ...reader.checkKeywords(partial)], files: [...reader.declarationFiles()].sort() }, null, 1);
}

it("gives a file the same result whether its named types were read or replayed", () => {
  const project = openProject({ cwd: dir }, []);
  const [a, b] = ["a.ts", "b.ts"].map((f) => project.addSourceFileAtPath(path.join(dir, f)));
  const alone = { a: analyze(a!, new NamedReads()), b: analyze(b!, new NamedReads()) };
  expect(alone.b).toContain("JG1016"); // the malformed @minimum
  expect(alone.b).toContain("JG1017"); // @minLength on a number
  expect(alone.b).toContain("JG1022"); // Name[] loses its keywords
  expect(alone.b).toContain("JG1009"); // two types named Owner
  expect(alone.b).toContain("JG1001"); // a function-typed member

  const replays = vi.spyOn(NamedReads.prototype, "find");
  for (const [first, second, expected] of [[a!, b!, alone.b], [b!, a!, alone.a]] as const) {
    const reads = new NamedReads();
    analyze(first, reads);
    expect(analyze(second, reads)).toBe(expected);
    expect(analyze(second, reads)).toBe(expected); // and with every type of its own replayed too
  }
  expect(replays.mock.results.some((r) => r.value !== undefined)).toBe(true);
  replays.mockRestore();
});
