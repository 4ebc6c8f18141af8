/** The generate command: run the pipeline, print diagnostics, write files when there is no error. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Diagnostic, formatDiagnostic, hasErrors } from "../diagnostics.js";
import type { ArtifactKind } from "../emitters/index.js";
import type { SchemaOptions } from "../kinds/index.js";
import { generate } from "../pipeline.js";
import { type PlannedFile, planOutput } from "../writer/plan.js";
import { applyPlan } from "../writer/write.js";

export interface GenerateCommand {
  files: string[];
  out: string;
  project?: string;
  emit: ArtifactKind[];
  runtime: string;
  /** Schema semantics (`--unknown-properties`, `--unions`); defaults where left out. */
  schema?: Partial<SchemaOptions>;
  json: boolean;
  color: boolean;
  cwd: string;
  /** Write nothing; exit 1 when the output folder is not what a run would make it. */
  check: boolean;
}

export interface Printer {
  out(text: string): void;
  err(text: string): void;
}

/** Returns the exit code: 0 when files were generated, 1 when diagnostics stopped it. */
export async function runGenerate(command: GenerateCommand, print: Printer): Promise<number> {
  const started = performance.now();
  const result = await generate({
    inputs: command.files,
    outDir: command.out,
    cwd: command.cwd,
    emit: command.emit,
    runtime: command.runtime,
    ...(command.schema ? { schema: command.schema } : {}),
    ...(command.project ? { tsconfig: command.project } : {}),
  });
  const failed = hasErrors(result.diagnostics);
  const outDir = path.resolve(command.cwd, command.out);
  const plan = failed ? [] : await planOutput(outDir, result.files);
  if (command.check && !failed) return reportCheck(command, plan, result.diagnostics, print);
  const written = failed ? [] : await applyPlan(outDir, plan);

  if (command.json) {
    const files = written.map((f) => ({ path: path.relative(command.cwd, f.path).split(path.sep).join("/"), status: f.status }));
    print.out(JSON.stringify({ ok: !failed, diagnostics: result.diagnostics, files }, null, 2));
    return failed ? 1 : 0;
  }
  const readSource = (file: string) => {
    try {
      return readFileSync(path.resolve(command.cwd, file), "utf8");
    } catch {
      return undefined;
    }
  };
  for (const d of result.diagnostics) print.err(`${formatDiagnostic(d, { readSource, color: command.color })}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (failed) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    print.err(`${errors} error${errors === 1 ? "" : "s"}; nothing was written (${seconds} s).`);
    return 1;
  }
  const services = result.model?.services ?? [];
  const methods = services.reduce((n, s) => n + s.methods.length, 0);
  const changed = written.filter((f) => f.status === "written").length;
  const removed = written.filter((f) => f.status === "removed").length;
  const files = written.length - removed;
  print.out(
    `${plural(services.length, "service")}, ${plural(methods, "method")} → ${plural(files, "file")} in ${command.out} (${changed} written${removed > 0 ? `, ${removed} stale removed` : ""}) in ${seconds} s`,
  );
  return 0;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** What `--check` calls each kind of difference, from the point of view of the output folder. */
const checkWords = { new: "missing", changed: "stale", stale: "extra", unchanged: "current" } as const;

function reportCheck(command: GenerateCommand, plan: readonly PlannedFile[], diagnostics: readonly Diagnostic[], print: Printer): number {
  const differing = plan.filter((f) => f.status !== "unchanged");
  const shown = (f: PlannedFile) => path.posix.join(command.out.split(path.sep).join("/"), f.path);
  if (command.json) {
    const files = differing.map((f) => ({ path: shown(f), status: checkWords[f.status], ...(f.lines ? { lines: f.lines } : {}) }));
    print.out(JSON.stringify({ ok: differing.length === 0, diagnostics, files }, null, 2));
    return differing.length === 0 ? 0 : 1;
  }
  if (differing.length === 0) {
    print.out(`${plural(plan.length, "generated file")} in ${command.out} ${plan.length === 1 ? "is" : "are"} current.`);
    return 0;
  }
  print.err(`${plural(differing.length, "generated file")} in ${command.out} ${differing.length === 1 ? "is" : "are"} not current:`);
  for (const f of differing) {
    const lines = f.lines ? ` (+${f.lines.added} -${f.lines.removed} lines)` : "";
    print.err(`  ${checkWords[f.status].padEnd(7)} ${shown(f)}${lines}`);
  }
  print.err("Run jamp-gen without --check to update them.");
  return 1;
}
