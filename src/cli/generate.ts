/** The generate command: run the pipeline, print diagnostics, write files when there is no error. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { formatDiagnostic, hasErrors } from "../diagnostics.js";
import type { ArtifactKind } from "../emitters/index.js";
import { generate } from "../pipeline.js";
import { writeFiles } from "../writer/write.js";

export interface GenerateCommand {
  files: string[];
  out: string;
  project?: string;
  emit: ArtifactKind[];
  runtime: string;
  json: boolean;
  color: boolean;
  cwd: string;
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
    ...(command.project ? { tsconfig: command.project } : {}),
  });
  const failed = hasErrors(result.diagnostics);
  const outDir = path.resolve(command.cwd, command.out);
  const written = failed ? [] : await writeFiles(outDir, result.files);

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
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  print.out(`${plural(services.length, "service")}, ${plural(methods, "method")} → ${plural(written.length, "file")} in ${command.out} (${changed} written) in ${seconds} s`);
  return 0;
}
