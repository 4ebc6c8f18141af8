/** Projects made in temp folders at test time, generated, and their validators imported (the generator's fault tests). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { GenerateResult } from "../../src/pipeline.js";
import type { ServiceDescriptor } from "../../src/runtime/index.js";
import { writeFiles } from "../../src/writer/write.js";

const dirs: string[] = [];

/** A temp folder holding `files`; `removeProjects` removes them all. */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-faults-"));
  dirs.push(dir);
  for (const [name, contents] of Object.entries(files)) writeFileSync(path.join(dir, name), contents);
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
