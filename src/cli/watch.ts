/**
 * `--watch`: generate once, then again whenever an input, a file it imports, or the tsconfig changes.
 *
 * Each command (one, or one per configuration entry) keeps a `Generator`, whose project, per-file
 * analysis, per-service output and formatted chunks survive between runs, so a run redoes only what the
 * change can affect; and it keeps what it last wrote, so a run writes only files whose bytes changed
 * (without reading the output folder again). Changes are gathered for `debounceMs` after the last
 * one (an editor's burst of saves is one run), and runs never overlap: what changes during a run is
 * handled by the next. While a file has errors the diagnostics are printed and the last good output
 * stays as it is; the next good run carries on from there.
 *
 * Watched: the folder of every file the last run depended on, and the folders input globs search
 * (recursively for `**`), so new inputs are seen; never the output folder.
 */
import { type FSWatcher, watch } from "node:fs";
import path from "node:path";
import { type Diagnostic, formatDiagnostic, hasErrors } from "../diagnostics.js";
import { Generator } from "../pipeline.js";
import { type PlannedFile, planOutput } from "../writer/plan.js";
import { applyPlan, OutputError } from "../writer/write.js";
import { type GenerateCommand, generateOptions, type Printer, shownPaths } from "./generate.js";

export interface WatchOptions {
  /** Aborting it (Ctrl-C) stops watching; `runWatch` then resolves. */
  signal?: AbortSignal;
  /** How long a burst of saves is gathered before a run, in ms. Default 30. */
  debounceMs?: number;
}

const sourceFile = /\.(?:[cm]?ts|tsx|json)$/;

/** Runs every command once, then again on each change, until `options.signal` aborts. Returns the exit code. */
export async function runWatch(commands: readonly GenerateCommand[], print: Printer, options: WatchOptions = {}): Promise<number> {
  const entries = commands.map((command) => new WatchedEntry(command, print, commands.length > 1 ? `${command.name ?? command.out}: ` : ""));
  const folders = new Folders((file) => entries.forEach((entry) => entry.notice(file)));
  // Watching starts before the first run, so that nothing saved while it runs goes unnoticed.
  folders.update(entries.flatMap((e) => e.folders()));
  for (const entry of entries) {
    entry.onIdle = () => folders.update(entries.flatMap((e) => e.folders()));
    await entry.start(options.debounceMs ?? 30);
  }
  folders.update(entries.flatMap((e) => e.folders()));
  const json = commands.some((c) => c.json);
  if (!json) print.err(`Watching ${folders.size} folder${folders.size === 1 ? "" : "s"} for changes; press Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  folders.close();
  await Promise.all(entries.map((entry) => entry.stop()));
  if (!json) print.err("Stopped watching.");
  return 0;
}

/** One command being watched: its generator, what it wrote last, and the changes waiting for a run. */
class WatchedEntry {
  onIdle: () => void = () => {};
  readonly #command: GenerateCommand;
  readonly #print: Printer;
  readonly #prefix: string;
  readonly #generator: Generator;
  readonly #outDir: string;
  readonly #tsconfig: string | undefined;
  /** What the output folder holds of ours, as last written: path relative to it → contents. */
  #written = new Map<string, string>();
  #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #debounceMs = 30;
  #stopped = false;

  constructor(command: GenerateCommand, print: Printer, prefix: string) {
    this.#command = command;
    this.#print = print;
    this.#prefix = prefix;
    this.#outDir = path.resolve(command.cwd, command.out);
    this.#tsconfig = command.project === undefined ? undefined : path.resolve(command.cwd, command.project);
    this.#generator = new Generator(generateOptions(command));
  }

  async start(debounceMs: number): Promise<void> {
    this.#debounceMs = debounceMs;
    this.#running = this.#run(undefined);
    await this.#running;
    this.#running = undefined;
    this.#kick(); // what changed during the first run
  }

  /** Told of every file event under a watched folder; keeps those that can change this entry's output. */
  notice(file: string): void {
    if (this.#stopped || !sourceFile.test(file) || isInside(file, this.#outDir)) return;
    this.#pending.add(file);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#kick(), this.#debounceMs);
  }

  /** The folders to watch: `[folder, recursive]`. */
  folders(): [string, boolean][] {
    const out = new Map<string, boolean>();
    for (const file of this.#generator.dependencies()) out.set(path.dirname(file), false);
    for (const input of this.#command.files) {
      const [base, recursive] = globBase(path.resolve(this.#command.cwd, input));
      out.set(base, recursive || (out.get(base) ?? false));
    }
    return [...out];
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #kick(): void {
    if (this.#running || this.#pending.size === 0 || this.#stopped) return;
    const changed = [...this.#pending];
    this.#pending.clear();
    this.#running = this.#run(changed).finally(() => {
      this.#running = undefined;
      this.onIdle();
      this.#kick();
    });
  }

  /** One run: the first (`changed` undefined) or after changes. A tsconfig change starts afresh. */
  async #run(changed: string[] | undefined): Promise<void> {
    const started = performance.now();
    const fresh = changed === undefined || (this.#tsconfig !== undefined && changed.includes(this.#tsconfig));
    let line: string;
    try {
      const result = await this.#generator.run(fresh ? undefined : changed);
      const what = changed === undefined ? "" : `${describeChanges(changed, this.#command.shownFrom ?? this.#command.cwd)}: `;
      const ms = () => `${Math.round(performance.now() - started)} ms`;
      if (hasErrors(result.diagnostics)) {
        this.#printDiagnostics(result.diagnostics);
        const errors = result.diagnostics.filter((d) => d.severity === "error").length;
        line = `${what}${errors} error${errors === 1 ? "" : "s"}; the last good output is kept (${ms()})`;
        this.#report({ ok: false, changed, analyzed: result.analyzed, diagnostics: result.diagnostics, written: [], removed: [] }, line);
        return;
      }
      this.#printDiagnostics(result.diagnostics);
      const plan = changed === undefined ? await planOutput(this.#outDir, result.files) : this.#planFromMemory(result.files);
      await applyPlan(this.#outDir, plan);
      this.#written = new Map(result.files.map((f) => [f.path, f.contents]));
      const written = plan.filter((f) => f.status === "new" || f.status === "changed").map((f) => f.path);
      const removed = plan.filter((f) => f.status === "stale").map((f) => f.path);
      const services = result.model?.services.length ?? 0;
      const files = written.length === 0 ? "no file changed" : `${written.length} written (${list(written)})`;
      const gone = removed.length === 0 ? "" : `, ${removed.length} removed (${list(removed)})`;
      const scope = changed === undefined ? `${services} service${services === 1 ? "" : "s"} → ${result.files.length} files in ${shownPaths(this.#command).out}` : `${result.emitted.length} of ${services} services re-emitted${sharedScope(result.shared.length)}`;
      line = `${what}${scope}, ${files}${gone} in ${ms()}`;
      this.#report({ ok: true, changed, analyzed: result.analyzed, diagnostics: result.diagnostics, written, removed }, line);
    } catch (error) {
      if (error instanceof OutputError) {
        line = `${error.message.replace(error.path, path.relative(this.#command.shownFrom ?? this.#command.cwd, error.path))}; fix it and save again`;
        this.#print.err(`${this.#prefix}${stamp()} ${line}`);
        return;
      }
      // A bug must not end the session: say so, keep watching.
      line = `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      this.#print.err(`${this.#prefix}${stamp()} ${line}`);
    }
  }

  #planFromMemory(files: readonly { path: string; contents: string }[]): PlannedFile[] {
    const plan: PlannedFile[] = [];
    for (const file of files) {
      const before = this.#written.get(file.path);
      plan.push({ path: file.path, status: before === undefined ? "new" : before === file.contents ? "unchanged" : "changed", contents: file.contents });
    }
    const wanted = new Set(files.map((f) => f.path));
    for (const file of this.#written.keys()) if (!wanted.has(file)) plan.push({ path: file, status: "stale" });
    return plan;
  }

  #printDiagnostics(diagnostics: readonly Diagnostic[]): void {
    if (this.#command.json) return;
    const shown = shownPaths(this.#command);
    for (const d of diagnostics) this.#print.err(`${formatDiagnostic(shown.diagnostic(d), { readSource: shown.read, color: this.#command.color })}\n`);
  }

  #report(report: { ok: boolean; changed: string[] | undefined; analyzed: string[]; diagnostics: Diagnostic[]; written: string[]; removed: string[] }, line: string): void {
    if (this.#command.json) {
      // Every path from where the user runs jamp-gen, as the one-shot --json report gives them.
      const shown = shownPaths(this.#command);
      const fromCwd = (file: string) => shown.file(path.resolve(this.#command.cwd, file));
      const inOut = (file: string) => shown.file(path.join(this.#outDir, file));
      this.#print.out(
        JSON.stringify({
          name: this.#command.name ?? this.#command.out,
          ok: report.ok,
          changed: report.changed?.map((f) => shown.file(f)) ?? null,
          analyzed: report.analyzed.map(fromCwd),
          diagnostics: report.diagnostics.map(shown.diagnostic),
          written: report.written.map(inOut),
          removed: report.removed.map(inOut),
        }),
      );
    } else if (report.ok) this.#print.out(`${this.#prefix}${stamp()} ${line}`);
    else this.#print.err(`${this.#prefix}${stamp()} ${line}`);
  }
}

/** The watched folders, each with one `fs.watch`, updated after every run. */
class Folders {
  readonly #watchers = new Map<string, { watcher: FSWatcher; recursive: boolean }>();
  #closed = false;

  constructor(private readonly onFile: (file: string) => void) {}

  get size(): number {
    return this.#watchers.size;
  }

  /** Watches these folders and no others; once closed, none (a run ending after Ctrl-C must not watch again). */
  update(wanted: readonly [string, boolean][]): void {
    if (this.#closed) return;
    const next = new Map<string, boolean>();
    for (const [folder, recursive] of wanted) next.set(folder, recursive || (next.get(folder) ?? false));
    for (const [folder, { watcher, recursive }] of this.#watchers) {
      if (next.get(folder) !== recursive) {
        watcher.close();
        this.#watchers.delete(folder);
      }
    }
    for (const [folder, recursive] of next) {
      if (this.#watchers.has(folder) || folder.includes(`${path.sep}node_modules${path.sep}`)) continue;
      try {
        const watcher = watch(folder, { recursive }, (_event, name) => {
          if (name) this.onFile(path.join(folder, name.toString()));
        });
        watcher.on("error", () => {
          // The folder went away; the next run's update watches what exists then.
          watcher.close();
          this.#watchers.delete(folder);
        });
        this.#watchers.set(folder, { watcher, recursive });
      } catch {
        // A folder that does not exist (yet): the inputs' own diagnostics say so.
      }
    }
  }

  close(): void {
    this.#closed = true;
    for (const { watcher } of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }
}

/** The folder a glob searches from, and whether it searches below it: `src/**\/*.ts` → `src`, true. */
function globBase(pattern: string): [string, boolean] {
  if (!/[*?[\]{}]/.test(pattern)) return [path.dirname(pattern), false];
  const parts = pattern.split(/[\\/]/);
  const first = parts.findIndex((p) => /[*?[\]{}]/.test(p));
  const base = parts.slice(0, first).join(path.sep) || path.sep;
  return [base, parts.slice(first).some((p) => p.includes("**")) || first < parts.length - 1];
}

function isInside(file: string, folder: string): boolean {
  const relativePath = path.relative(folder, file);
  return relativePath === "" || (!relativePath.startsWith("..") && !path.isAbsolute(relativePath));
}

function relative(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).join("/");
}

function describeChanges(changed: readonly string[], cwd: string): string {
  const names = [...new Set(changed.map((f) => relative(f, cwd)))].sort();
  return names.length <= 3 ? `${names.join(", ")} changed` : `${names.slice(0, 2).join(", ")} and ${names.length - 2} more changed`;
}

function list(files: readonly string[]): string {
  return files.length <= 4 ? files.join(", ") : `${files.slice(0, 3).join(", ")}, …`;
}

function stamp(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** ", the shared types of 2 files": how many files' modules of shared types a run emitted again, if any. */
function sharedScope(files: number): string {
  return files === 0 ? "" : `, the shared types of ${files} file${files === 1 ? "" : "s"}`;
}
