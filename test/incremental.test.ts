/**
 * Watch mode's promise: after any sequence of edits, a generator that re-reads only what changed gives
 * the same files and diagnostics, byte for byte, as a fresh run. Checked on the synthetic project of the
 * benchmarks, through edits of every kind: a service, a shared type file two services reach, a file
 * added and removed, a type error and its fix, a type name used twice.
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { editedService, writeSyntheticProject } from "../bench/synthetic.js";
import { generate, Generator, type GenerateOptions } from "../src/pipeline.js";

const dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-incremental-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("gives after each edit what a fresh run gives", { timeout: 120_000 }, async () => {
  writeSyntheticProject(dir, 6);
  const options: GenerateOptions = { inputs: ["services/*.ts"], outDir: "out", cwd: dir, tsconfig: "tsconfig.json" };
  const generator = new Generator(options);
  const first = await generator.run();
  expect(first.files.length).toBeGreaterThan(20);
  expect(first.analyzed).toHaveLength(6);

  const file = (name: string) => path.join(dir, name);
  const domainText = readFileSync(file("shared/domain-0.ts"), "utf8");
  const domain = (extra: string) => `${domainText}${extra}`;
  const edits: { what: string; apply: () => string[]; reread: number }[] = [
    { what: "a method added to a service", apply: () => (writeFileSync(file("services/service-3.ts"), editedService(3, 1)), [file("services/service-3.ts")]), reread: 3 },
    { what: "a member added to a shared type", apply: () => (writeFileSync(file("shared/domain-0.ts"), domainText.replace("  note?: string | null;", "  note?: string | null;\n  rank: number;")), [file("shared/domain-0.ts")]), reread: 6 },
    { what: "a service file added", apply: () => (writeFileSync(file("services/extra.ts"), "export interface Extra {\n  ping(): Promise<string>;\n}\n"), [file("services/extra.ts")]), reread: 1 },
    { what: "a type error", apply: () => (writeFileSync(file("services/extra.ts"), "export interface Extra {\n  ping(): Promise<Missing>;\n}\n"), [file("services/extra.ts")]), reread: 1 },
    { what: "the type error fixed", apply: () => (writeFileSync(file("services/extra.ts"), "export interface Extra {\n  ping(): Promise<number>;\n}\n"), [file("services/extra.ts")]), reread: 1 },
    { what: "a type name declared twice", apply: () => (writeFileSync(file("services/extra.ts"), "export interface Money { cents: number }\nexport interface Extra {\n  ping(): Promise<Money>;\n}\n"), [file("services/extra.ts")]), reread: 1 },
    { what: "the service file removed", apply: () => (unlinkSync(file("services/extra.ts")), [file("services/extra.ts")]), reread: 0 },
    { what: "a domain edit no service reaches", apply: () => (writeFileSync(file("shared/domain-0.ts"), domain("\nexport interface Unused { x: number }\n")), [file("shared/domain-0.ts")]), reread: 6 },
  ];
  for (const edit of edits) {
    const changed = edit.apply();
    const incremental = await generator.run(changed);
    const fresh = await generate(options);
    expect(incremental.diagnostics, edit.what).toEqual(fresh.diagnostics);
    expect(incremental.files, edit.what).toEqual(fresh.files);
    expect(incremental.analyzed, edit.what).toHaveLength(edit.reread);
    if (edit.what === "a type name declared twice") expect(fresh.diagnostics.map((d) => d.code)).toContain("JG1009");
    if (edit.what === "a type error") expect(fresh.diagnostics.map((d) => d.code)).toContain("JG1000");
  }
});

it("after a run an emitter's check stopped, gives every service's files once the check passes", { timeout: 120_000 }, async () => {
  const project = path.join(dir, "check-stopped");
  writeSyntheticProject(project, 3);
  const clashing = path.join(project, "services/printer.ts");
  // JG2002: the generated client class would be called like a type the service uses.
  writeFileSync(clashing, "export interface Printer {\n  register(client: PrinterClient): Promise<void>;\n}\nexport interface PrinterClient {\n  name: string;\n}\n");
  const options: GenerateOptions = { inputs: ["services/*.ts"], outDir: "out", cwd: project, tsconfig: "tsconfig.json" };
  const generator = new Generator(options);
  const stopped = await generator.run();
  expect(stopped.diagnostics.map((d) => d.code)).toContain("JG2002");
  expect(stopped.files).toEqual([]);

  writeFileSync(clashing, "export interface Printer {\n  register(client: PrinterCard): Promise<void>;\n}\nexport interface PrinterCard {\n  name: string;\n}\n");
  const incremental = await generator.run([clashing]);
  const fresh = await generate(options);
  expect(fresh.diagnostics).toEqual([]);
  expect(incremental.files.map((f) => f.path)).toEqual(fresh.files.map((f) => f.path));
  expect(incremental.files).toEqual(fresh.files);
});
