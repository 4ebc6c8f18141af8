/** Projects made in temp folders at test time, their output written and their validators imported. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GenerateResult } from "../../src/pipeline.js";
import type { ServiceDescriptor } from "../../src/runtime/index.js";
import { writeFiles } from "../../src/writer/write.js";

const dirs: string[] = [];

/** A temp folder holding `files` (paths relative to it); `removeProjects` removes them all. */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-project-"));
  dirs.push(dir);
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), contents);
  }
  return dir;
}

export function removeProjects(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes the output to `gen` and imports the descriptor `name` from its `<stem>.validate.ts`. */
export async function descriptor(dir: string, result: GenerateResult, stem: string, name: string): Promise<ServiceDescriptor> {
  await writeFiles(path.join(dir, "gen"), result.files);
  const module = (await import(path.join(dir, "gen", `${stem}.validate.ts`))) as Record<string, ServiceDescriptor>;
  return module[name]!;
}

/** Whether the first parameter of `method` accepts `value`. */
export const valid = (descriptor: ServiceDescriptor, method: string, value: unknown) => descriptor.methods[method]!.params[0]!.validate(value, "x", []);
