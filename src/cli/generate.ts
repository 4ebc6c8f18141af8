/**
 * The generate command: run the pipeline for each command (one, or one per configuration entry, in
 * order), print diagnostics, write files when there is no error, and end each with a summary line.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Diagnostic, formatDiagnostic, hasErrors } from "../diagnostics.js";
import type { ArtifactKind, ImportExtension } from "../emitters/index.js";
import type { SchemaOptions } from "../kinds/index.js";
import { generate, type GenerateOptions } from "../pipeline.js";
import { type PlannedFile, planOutput } from "../writer/plan.js";
import { applyPlan, OutputError, type WrittenFile } from "../writer/write.js";

export interface GenerateCommand {
  /** What output lines call this run when there are several: a configuration entry's name. */
  name?: string;
  files: string[];
  out: string;
  project?: string;
  emit: ArtifactKind[];
  runtime: string;
  /** Schema semantics (`--unknown-properties`, `--unions`); defaults where left out. */
  schema?: Partial<SchemaOptions>;
  /** How relative imports in generated code end; `.js` when left out. */
  importExtension?: ImportExtension;
  json: boolean;
  color: boolean;
  /** The folder the command's paths are relative to; generated headers name sources from it. */
  cwd: string;
  /** The folder printed paths are relative to (where the user is), when it is not `cwd`. */
  shownFrom?: string;
  /** Write nothing; exit 1 when the output folder is not what a run would make it. */
  check: boolean;
}

export interface Printer {
  out(text: string): void;
  err(text: string): void;
  /** Replaces the transient status line (progress); "" erases it. Absent where none may be shown. */
  status?(text: string): void;
}

/** What `--json` reports of one command; the printed paths are relative to `shownFrom`. */
interface EntryReport {
  name: string;
  ok: boolean;
  diagnostics: Diagnostic[];
  files: { path: string; status: string; lines?: { added: number; removed: number } }[];
  /** With `--check`: generated files were missing, stale or extra. */
  notCurrent?: boolean;
  /** The output could not be written: what failed and the state it left. */
  error?: string;
}

/**
 * Runs the commands in order, each to its end even when an earlier one failed, and returns 73 when an
 * output could not be written, else 1 when any failed (or, with `--check`, was not current), else 0.
 * With several, each line a command prints is prefixed by its name; `--json` prints one document for all
 * of them.
 */
export async function runAll(commands: readonly GenerateCommand[], print: Printer): Promise<number> {
  const json = commands.some((c) => c.json);
  const progress = print.status && !json ? createProgress(print.status, progressDelayMs()) : undefined;
  const reports: EntryReport[] = [];
  try {
    for (const command of commands) {
      const prefix = commands.length > 1 ? `${command.name ?? command.out}: ` : "";
      reports.push(await runOne(command, print, prefix, progress));
    }
  } finally {
    progress?.stop();
  }
  const ok = reports.every((r) => r.ok);
  const unwritten = reports.some((r) => r.error !== undefined);
  if (json) {
    // The first three keys are the single-run report jamp-gen printed before configuration files.
    const files = reports.flatMap((r) => r.files);
    const entries = reports.map(({ name, ok, diagnostics, files, error }) => ({ name, ok, diagnostics, files, ...(error !== undefined ? { error } : {}) }));
    print.out(JSON.stringify({ ok, diagnostics: reports.flatMap((r) => r.diagnostics), files, entries }, null, 2));
  } else if (reports.some((r) => r.notCurrent)) {
    print.err("Run jamp-gen without --check to update them.");
  }
  return unwritten ? 73 : ok ? 0 : 1;
}

/** What the pipeline is given for a command (watch mode's generator too). */
export function generateOptions(command: GenerateCommand): GenerateOptions {
  return {
    inputs: command.files,
    outDir: command.out,
    cwd: command.cwd,
    emit: command.emit,
    runtime: command.runtime,
    ...(command.schema ? { schema: command.schema } : {}),
    ...(command.project ? { tsconfig: command.project } : {}),
    ...(command.importExtension !== undefined ? { importExtension: command.importExtension } : {}),
  };
}

async function runOne(command: GenerateCommand, print: Printer, prefix: string, progress: Progress | undefined): Promise<EntryReport> {
  const started = performance.now();
  const result = await generate({
    ...generateOptions(command),
    ...(progress ? { onProgress: (phase: string, done: number, total: number) => progress.update(`${prefix}${describePhase(phase, done, total)}`) } : {}),
  });
  progress?.clear();
  const shown = shownPaths(command);
  const diagnostics = result.diagnostics.map(shown.diagnostic);
  const failed = hasErrors(diagnostics);
  const name = command.name ?? command.out;
  const outDir = path.resolve(command.cwd, command.out);
  const plan = failed ? [] : await planOutput(outDir, result.files);
  if (command.check && !failed) return reportCheck(command, plan, { name, diagnostics }, shown.out, prefix, print);
  let written: WrittenFile[] = [];
  let unwritten: string | undefined;
  try {
    if (!failed) written = await applyPlan(outDir, plan);
  } catch (error) {
    if (!(error instanceof OutputError)) throw error;
    unwritten = error.message.replace(error.path, shown.file(error.path));
  }
  const listed = written.map((f) => ({ path: shown.file(f.path), status: f.status }));
  const report: EntryReport = { name, ok: !failed && unwritten === undefined, diagnostics, files: listed, ...(unwritten !== undefined ? { error: unwritten } : {}) };
  if (command.json) return report;

  for (const d of diagnostics) print.err(`${formatDiagnostic(d, { readSource: shown.read, color: command.color })}\n`);
  if (unwritten !== undefined) {
    print.err(`${prefix}jamp-gen: ${unwritten}`);
    return report;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (failed) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    print.err(`${prefix}${plural(errors, "error")}; nothing was written (${seconds} s).`);
    return report;
  }
  const services = result.model?.services ?? [];
  const methods = services.reduce((n, s) => n + s.methods.length, 0);
  const changed = written.filter((f) => f.status === "written").length;
  const removed = written.filter((f) => f.status === "removed").length;
  const files = written.length - removed;
  print.out(
    `${prefix}${plural(services.length, "service")}, ${plural(methods, "method")} → ${plural(files, "file")} in ${shown.out} (${changed} written${removed > 0 ? `, ${removed} stale removed` : ""}) in ${seconds} s`,
  );
  return report;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Paths as the user should read them. The pipeline names files relative to `cwd` (a configuration's
 * folder); when the user runs from elsewhere, printed paths are rebased onto `shownFrom`, so a terminal
 * or an editor opens them. Without a `shownFrom`, the output folder is shown as it was given.
 */
/** Paths as the user sees them: from `shownFrom` (where they run jamp-gen) rather than the entry's folder. */
export function shownPaths(command: GenerateCommand) {
  const from = command.shownFrom ?? command.cwd;
  const rebase = (file: string) => path.relative(from, path.resolve(command.cwd, file)).split(path.sep).join("/");
  const moved = path.resolve(from) !== path.resolve(command.cwd);
  const out = moved ? rebase(command.out) || "." : command.out.split(path.sep).join("/");
  return {
    out,
    /** An absolute path of a written file. */
    file: (absolute: string) => path.relative(from, absolute).split(path.sep).join("/"),
    diagnostic: (d: Diagnostic): Diagnostic => (moved && d.span ? { ...d, span: { ...d.span, file: rebase(d.span.file) } } : d),
    read: (file: string) => {
      try {
        return readFileSync(path.resolve(from, file), "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

/** What `--check` calls each kind of difference, from the point of view of the output folder. */
const checkWords = { new: "missing", changed: "stale", stale: "extra", unchanged: "current" } as const;

function reportCheck(
  command: GenerateCommand,
  plan: readonly PlannedFile[],
  report: Pick<EntryReport, "name" | "diagnostics">,
  out: string,
  prefix: string,
  print: Printer,
): EntryReport {
  const differing = plan.filter((f) => f.status !== "unchanged");
  const files = differing.map((f) => ({ path: path.posix.join(out, f.path), status: checkWords[f.status], ...(f.lines ? { lines: f.lines } : {}) }));
  const result = { ...report, ok: differing.length === 0, files, notCurrent: differing.length > 0 };
  if (command.json) return result;
  if (differing.length === 0) {
    print.out(`${prefix}${plural(plan.length, "generated file")} in ${out} ${plan.length === 1 ? "is" : "are"} current.`);
    return result;
  }
  print.err(`${prefix}${plural(differing.length, "generated file")} in ${out} ${differing.length === 1 ? "is" : "are"} not current:`);
  for (const f of files) {
    const lines = f.lines ? ` (+${f.lines.added} -${f.lines.removed} lines)` : "";
    print.err(`  ${f.status.padEnd(7)} ${f.path}${lines}`);
  }
  return result;
}

/** `analyzing 200 files…`, then `formatting 340/812 files…` as the count goes. */
export function describePhase(phase: string, done: number, total: number): string {
  if (total === 0) return `${phase}…`;
  const unit = phase === "emitting" ? "services" : "files";
  return done === 0 ? `${phase} ${total} ${unit}…` : `${phase} ${done}/${total} ${unit}…`;
}

export interface Progress {
  /** The latest state; shown once the run has taken longer than the delay. */
  update(text: string): void;
  /** Erases the status line (before a result is printed). */
  clear(): void;
  /** Erases it for good. */
  stop(): void;
}

/**
 * How long a run goes before its progress shows: a second, or `JAMP_GEN_PROGRESS_DELAY_MS` milliseconds
 * (the tests show it without a run that has to be slow).
 */
function progressDelayMs(): number {
  const given = process.env.JAMP_GEN_PROGRESS_DELAY_MS;
  const value = given === undefined || given === "" ? Number.NaN : Number(given);
  return Number.isInteger(value) && value >= 0 ? value : 1000;
}

/**
 * A status line that appears only for runs longer than `delayMs`, so quick runs print nothing but
 * their result. The pipeline blocks the event loop while it analyzes, so the state is also drawn on
 * each update once the delay has passed, not only by the timer.
 */
export function createProgress(status: (text: string) => void, delayMs = 1000): Progress {
  const started = performance.now();
  let latest = "";
  let shown = "";
  const draw = () => {
    if (latest === shown) return;
    status(latest);
    shown = latest;
  };
  const timer = setTimeout(draw, delayMs);
  timer.unref();
  return {
    update(text) {
      latest = text;
      if (performance.now() - started >= delayMs) draw();
    },
    clear() {
      latest = "";
      draw();
    },
    stop() {
      clearTimeout(timer);
      latest = "";
      draw();
    },
  };
}
