/**
 * An analysis that can be run again after files change, re-reading only what a change can affect.
 *
 * Each input file is analysed on its own (its TypeScript errors, its services, the named types they
 * reach, and the files it depends on), then the per-file results are merged into one model. A one-shot
 * run is the same thing with every file to read, so watch mode and `jamp-gen` without `--watch` give
 * the same model and the same diagnostics, byte for byte.
 *
 * A file's result depends on the file, the files it imports, and the files that declare the types it
 * reaches (see `dependenciesOf`); when one of those changes, the file is read again. A file appearing or
 * disappearing can change what an import resolves to, and a global declaration file can change any
 * type, so either makes every input be read again.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { SourceFile, ts as TS } from "ts-morph";
import { FileSystemRefreshResult, Project, ts } from "./ts-morph.js";
import { type Diagnostic, dedupeDiagnostics, sortDiagnostics } from "../diagnostics.js";
import type { Model, NamedType, Service } from "../model/model.js";
import { directRefs } from "../model/walk.js";
import { TypeReader } from "./context.js";
import { NamedReads } from "./named-reads.js";
import { isStackOverflow, tooDeepDiagnostic } from "./nesting.js";
import { openProject } from "./project.js";
import { readServices } from "./services.js";
import { lineAndColumn, relativeFile } from "./source.js";

export interface AnalyzeOptions {
  /** Files or globs, relative to `cwd` or absolute. */
  inputs: readonly string[];
  cwd: string;
  /** A tsconfig.json whose compilerOptions resolve the inputs' imports. */
  tsconfig?: string;
  /** Where generated code goes (absolute): it decides which packages' types it imports by name. */
  outDir?: string;
}

export interface AnalyzeResult {
  model: Model;
  diagnostics: Diagnostic[];
}

/** What one run did, for watch mode's line. */
export interface AnalysisRun extends AnalyzeResult {
  /** The input files read in this run (relative to `cwd`, POSIX), sorted. */
  read: string[];
}

/** The analysis of one input file. */
interface FileAnalysis {
  services: Service[];
  types: Map<string, NamedType>;
  diagnostics: Diagnostic[];
  /** Absolute paths of the files this result depends on, itself included. */
  dependsOn: Set<string>;
}

export class AnalysisSession {
  readonly #options: AnalyzeOptions;
  #project: Project | undefined;
  #projectDiagnostics: Diagnostic[] = [];
  /** The inputs as found by the last run, absolute, sorted; with the diagnostics of inputs that matched nothing. */
  #inputs: string[] = [];
  #inputDiagnostics: Diagnostic[] = [];
  readonly #results = new Map<string, FileAnalysis>();
  /** After a run TypeScript could not finish (too deep), the files looked at for the cause. */
  readonly #tooDeep = new Set<string>();

  constructor(options: AnalyzeOptions) {
    this.#options = options;
  }

  /**
   * Analyses every input the first time; afterwards, given the absolute paths of files that changed,
   * appeared or disappeared since the last run, re-reads only the inputs they can affect. Without
   * `changed` after the first run, re-reads everything from a fresh project (a changed tsconfig).
   */
  run(changed?: readonly string[], onFile?: (done: number, total: number) => void): AnalysisRun {
    this.#tooDeep.clear();
    try {
      return this.#run(changed, onFile);
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      // TypeScript ran out of stack somewhere in its parser or checker: the project is half built, so
      // it goes, and the next run starts afresh. The diagnostic says where the input nests deepest.
      const project = this.#project ?? new Project();
      const options = project.getCompilerOptions();
      this.#project = undefined;
      this.#results.clear();
      const inputs = this.#options.inputs.flatMap((input) => {
        const absolute = path.resolve(this.#options.cwd, input);
        return /[*?[\]{}]/.test(input) ? project.getFileSystem().globSync([absolute.split(path.sep).join("/")]).map((f) => path.resolve(f)) : [absolute];
      });
      const diagnostic = tooDeepDiagnostic(inputs, options, this.#options.cwd, this.#tooDeep);
      return { model: { modelVersion: 1, services: [], types: {} }, diagnostics: [diagnostic], read: [] };
    }
  }

  #run(changed: readonly string[] | undefined, onFile: ((done: number, total: number) => void) | undefined): AnalysisRun {
    const cwd = this.#options.cwd;
    let everything = false;
    let forced = new Set<string>();
    if (this.#project === undefined || changed === undefined) {
      everything = true;
      this.#projectDiagnostics = [];
      this.#project = openProject(this.#options, this.#projectDiagnostics);
      this.#results.clear();
      this.#findInputs(this.#project);
    } else {
      ({ everything, forced } = this.#refresh(this.#project, changed));
    }
    const project = this.#project;
    const changes = new Set(changed ?? []);
    for (const file of this.#results.keys()) if (!this.#inputs.includes(file)) this.#results.delete(file);
    const read: string[] = [];
    // The named types read in this run, replayed for the next file that reaches them (only this
    // program's types: a change makes a new one).
    const reads = new NamedReads();
    let done = 0;
    onFile?.(0, this.#inputs.length);
    for (const file of this.#inputs) {
      onFile?.(done++, this.#inputs.length);
      const known = this.#results.get(file);
      if (!everything && known && !forced.has(file) && ![...known.dependsOn].some((p) => changes.has(p))) continue;
      const sourceFile = project.getSourceFile(file);
      if (!sourceFile) continue;
      this.#results.set(file, analyzeFile(project, sourceFile, cwd, this.#options.outDir, reads));
      read.push(relativeFile(file, cwd));
    }
    return { ...this.#merge(), read };
  }

  /** Every file the last run's results depend on, and the tsconfig, absolute: what a watcher watches. */
  dependencies(): Set<string> {
    const out = new Set(this.#tooDeep);
    for (const result of this.#results.values()) for (const file of result.dependsOn) out.add(file);
    if (this.#options.tsconfig) out.add(path.resolve(this.#options.cwd, this.#options.tsconfig));
    return out;
  }

  /**
   * Brings the project's copies of the changed files up to date, and finds the inputs again when files
   * appeared or disappeared. Says which inputs must be read again beyond those depending on a changed
   * file: those whose TypeScript errors a new file may fix (an import that did not resolve), or all of
   * them when a file no input depends on changed in the project (a global declaration file).
   */
  #refresh(project: Project, changed: readonly string[]): { everything: boolean; forced: Set<string> } {
    const dependencies = this.dependencies();
    let appeared = false;
    let structural = false;
    let everything = false;
    for (const file of changed) {
      const known = project.getSourceFile(file);
      if (!known) {
        if (existsSync(file)) appeared = structural = true;
        continue;
      }
      if (known.refreshFromFileSystemSync() === FileSystemRefreshResult.Deleted) structural = true;
      else if (!dependencies.has(file)) everything = true;
    }
    if (structural) this.#findInputs(project);
    const forced = new Set<string>();
    if (appeared) for (const [file, result] of this.#results) if (result.diagnostics.some((d) => d.code === "JG1000")) forced.add(file);
    return { everything, forced };
  }

  #findInputs(project: Project): void {
    const found = new Map<string, string>();
    this.#inputDiagnostics = [];
    for (const input of this.#options.inputs) {
      const absolute = path.resolve(this.#options.cwd, input);
      const isGlob = /[*?[\]{}]/.test(input);
      const added = isGlob ? project.addSourceFilesAtPaths(absolute.split(path.sep).join("/")) : existsSync(absolute) ? [project.addSourceFileAtPath(absolute)] : [];
      if (added.length === 0) {
        this.#inputDiagnostics.push({ code: "JG3001", severity: "error", message: isGlob ? `No file matches '${input}'.` : `Input file '${input}' does not exist.` });
      }
      for (const file of added) found.set(file.getFilePath(), file.getFilePath());
    }
    this.#inputs = [...found.keys()].sort(compare);
  }

  /** One model from the per-file results, in input order, so the first reader of a type speaks for it. */
  #merge(): AnalyzeResult {
    const diagnostics: Diagnostic[] = [...this.#projectDiagnostics, ...this.#inputDiagnostics];
    if (this.#inputs.length === 0) return { model: { modelVersion: 1, services: [], types: {} }, diagnostics: sortDiagnostics(diagnostics) };
    const services: Service[] = [];
    const types = new Map<string, NamedType>();
    const add = (d: Diagnostic) => void diagnostics.push(d);
    for (const file of this.#inputs) {
      const result = this.#results.get(file);
      if (!result) continue;
      for (const service of result.services) services.push(service);
      for (const [name, named] of result.types) {
        const other = types.get(name);
        if (!other) types.set(name, named);
        else if (other.file !== named.file || other.span.line !== named.span.line || other.span.column !== named.span.column) {
          add({
            code: "JG1009",
            severity: "error",
            message: `Two different types are named '${name}' (the other is at ${other.file}:${other.span.line}:${other.span.column}).`,
            hint: "rename one of them",
            span: named.span,
          });
        }
      }
      result.diagnostics.forEach(add);
    }
    services.sort((a, b) => compare(a.name, b.name));
    const model: Model = { modelVersion: 1, services, types: Object.fromEntries([...types.entries()].sort(([a], [b]) => compare(a, b))) };
    if (services.length === 0 && diagnostics.length === 0) {
      add({ code: "JG1015", severity: "error", message: "No service interface found in the input files.", hint: "export an interface with at least one method, or tag it with @service" });
    }
    checkServices(model).forEach(add);
    return { model, diagnostics: sortDiagnostics(dedupeDiagnostics(diagnostics)) };
  }
}

function analyzeFile(project: Project, file: SourceFile, cwd: string, outDir: string | undefined, reads: NamedReads): FileAnalysis {
  const reader = new TypeReader(cwd, file, outDir, reads);
  const diagnostics = typeScriptErrors(project, file, cwd);
  const services = readServices(file, reader, cwd);
  const types = new Map(reader.types);
  const partial: Model = { modelVersion: 1, services, types: Object.fromEntries(types) };
  for (const d of [...reader.diagnostics, ...reader.checkKeywords(partial)]) diagnostics.push(d);
  return { services, types, diagnostics, dependsOn: dependenciesOf(file, reader) };
}

/**
 * The files a file's result depends on: itself, the files it imports, the files declaring the types
 * its services reach, and the files those import (an alias like `Bar["x"]` reads through them). Not
 * the whole import closure: in a project where each service imports its neighbour's types, that would
 * make an edit re-read every service after it. Files of packages in `node_modules` are left out, as
 * nobody edits them while watching.
 */
function dependenciesOf(file: SourceFile, reader: TypeReader): Set<string> {
  const program = file.getProject().getProgram().compilerObject;
  const checker = program.getTypeChecker();
  const out = new Set<string>();
  for (const path of [file.getFilePath(), ...reader.declarationFiles()]) {
    const source = program.getSourceFile(path);
    if (!source) continue;
    out.add(path);
    for (const reached of importedFiles(source, checker)) out.add(reached);
  }
  for (const path of out) if (path.includes("/node_modules/")) out.delete(path);
  return out;
}

const importsOf = new WeakMap<TS.TypeChecker, WeakMap<TS.SourceFile, string[]>>();

/**
 * The files a file's imports, exports, `import("…")` types and calls reach, as ts-morph's
 * `getReferencedSourceFiles` finds them (the module a specifier's symbol is), on the compiler's own
 * nodes: each listed once per program, as every file declaring a shared type is asked again and again.
 */
function importedFiles(source: TS.SourceFile, checker: TS.TypeChecker): string[] {
  // By program: a file kept unchanged into the next program may see its imports resolve elsewhere.
  let known = importsOf.get(checker);
  if (!known) importsOf.set(checker, (known = new WeakMap()));
  let files = known.get(source);
  if (!files) {
    const found = new Set<string>();
    // `imports`, which the compiler fills as it builds the program, is kept out of its typings.
    for (const literal of (source as { imports?: readonly TS.StringLiteralLike[] }).imports ?? []) {
      if (literal.pos === -1) continue;
      const declaration = checker.getSymbolAtLocation(literal)?.declarations?.[0];
      if (declaration && ts.isSourceFile(declaration)) found.add(declaration.fileName);
    }
    known.set(source, (files = [...found]));
  }
  return files;
}

/** Errors TypeScript itself finds in an input: a half-typed file must not become a wrong model. */
function typeScriptErrors(project: Project, file: SourceFile, cwd: string): Diagnostic[] {
  const program = project.getProgram();
  const out: Diagnostic[] = [];
  for (const d of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
    if (d.getCategory() !== ts.DiagnosticCategory.Error) continue;
    const start = d.getStart() ?? 0;
    const source = d.getSourceFile() ?? file;
    const at = lineAndColumn(source, start);
    const end = lineAndColumn(source, start + (d.getLength() ?? 0));
    const text = d.getMessageText();
    const message = typeof text === "string" ? text : text.getMessageText();
    out.push({
      code: "JG1000",
      severity: "error",
      message: `${message} (TS${d.getCode()})`,
      span: { file: relativeFile(source.getFilePath(), cwd), line: at.line, column: at.column, endLine: end.line, endColumn: end.column },
    });
  }
  return out;
}

/** Checks across services: distinct output files, and every type a signature names is importable. */
function checkServices(model: Model): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stems = new Map<string, Service>();
  for (const service of model.services) {
    const other = stems.get(service.fileStem);
    if (other) {
      out.push({ code: "JG1014", severity: "error", message: `Services '${other.name}' and '${service.name}' would both generate '${service.fileStem}.*' files.`, hint: "rename one of them", span: service.span });
    }
    stems.set(service.fileStem, service);
    for (const method of service.methods) {
      const signatureTypes = [...method.params.map((p) => ({ type: p.type, span: p.span })), ...(method.result ? [{ type: method.result, span: method.span }] : [])];
      for (const { type, span } of signatureTypes) {
        for (const name of directRefs(type)) {
          const named = model.types[name];
          if (named && !named.exported) {
            out.push({ code: "JG1011", severity: "error", message: `Type '${name}' is used by ${service.name}.${method.name} but is not exported, so generated code cannot import it.`, hint: `add 'export' to '${name}' in ${named.file}`, span });
          }
        }
      }
    }
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
