/**
 * The pipeline, the one place that knows the order: analyze → check → emit → format. It returns
 * files and diagnostics without writing anything; the CLI (or a build tool) decides what to write.
 *
 * A `Generator` can run again after files change (watch mode): the analysis re-reads only the inputs
 * a change can affect, a service whose slice of the model (itself and the types it reaches) did not
 * change keeps its checked and formatted files, and so does the module of a file's shared types (the
 * types services of other files reach, written once) whose slice did not change; the formatter
 * remembers the chunks it formatted.
 * `generate()` is one run of a fresh generator, so both give the same bytes.
 */
import path from "node:path";
import { AnalysisSession } from "./analyzer/analyze.js";
import { type Diagnostic, dedupeDiagnostics, hasErrors, sortDiagnostics } from "./diagnostics.js";
import { type ArtifactKind, defaultKinds, type EmitOptions, type Emitter, emitters, type ImportExtension, type OutputFile } from "./emitters/index.js";
import { defaultSchemaOptions, type SchemaOptions } from "./kinds/index.js";
import type { Model, Service } from "./model/model.js";
import { reachableFrom, reachableTypes, sharedTypes } from "./model/walk.js";
import { Formatter } from "./writer/format.js";

export interface GenerateOptions {
  /** Service files or globs. */
  inputs: readonly string[];
  /** Output folder (relative to `cwd`): generated imports are relative to it. */
  outDir: string;
  /** Defaults to `process.cwd()`. */
  cwd?: string;
  tsconfig?: string;
  /** Artifacts to emit; `client` and `server` bring `validate` along, since they import it. */
  emit?: readonly ArtifactKind[];
  /** The runtime's module specifier in generated imports. */
  runtime?: string;
  /**
   * Schema semantics for the project (README "Schema options"): how objects treat properties their type
   * does not name (`reject`, the default; `allow`; `strip`), and what a union of non-literal members
   * without a discriminator emits (`anyOf`, the default; `oneOf`).
   */
  schema?: Partial<SchemaOptions>;
  /**
   * How relative imports in generated code end: `.js` (the default) for NodeNext resolution, "" for
   * bundler resolution, `.ts` for `allowImportingTsExtensions`. The runtime's specifier is left as given.
   */
  importExtension?: ImportExtension;
  /**
   * Called as the run goes, so a long one can show where it is: `analyzing` counts input files (its
   * total is 0 until the inputs are found), `emitting` counts services, `formatting` counts files. It
   * must not throw.
   */
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface GeneratedFile {
  /** Relative to the output folder, POSIX separators. */
  path: string;
  contents: string;
}

export interface GenerateResult {
  /** `null` when the analyzer could not produce one. */
  model: Model | null;
  /** Empty whenever `diagnostics` hold an error: nothing is half generated. */
  files: GeneratedFile[];
  diagnostics: Diagnostic[];
}

/** A run of a `Generator`, with what it had to redo. */
export interface GeneratorRun extends GenerateResult {
  /** Input files analysed again (all of them on the first run), relative to `cwd`. */
  analyzed: string[];
  /** Services whose files were emitted again, by name. */
  emitted: string[];
  /** Source files whose module of shared types was emitted again (README "How it is built"), relative to `cwd`. */
  shared: string[];
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const { model, files, diagnostics } = await new Generator(options).run();
  return { model, files, diagnostics };
}

/** What a service's emitters (or a source file's, for its shared types) made from one slice of the model. */
interface ServiceOutput {
  /** The slice the files were made from: when the analysis hands back the same objects, nothing changed. */
  slice: Model;
  key: string;
  diagnostics: Diagnostic[];
  files: GeneratedFile[];
}

/** What the `source` emitters made for the shared types of one file. */
interface SourceOutput extends ServiceOutput {
  /** The shared types the file declares, one name a line. */
  owned: string;
}

export class Generator {
  readonly #options: GenerateOptions;
  readonly #cwd: string;
  readonly #session: AnalysisSession;
  readonly #emitOptions: EmitOptions;
  readonly #active: readonly Emitter[];
  readonly #formatter = new Formatter();
  #services = new Map<string, ServiceOutput>();
  #sources = new Map<string, SourceOutput>();

  constructor(options: GenerateOptions) {
    this.#options = options;
    this.#cwd = options.cwd ?? process.cwd();
    this.#session = new AnalysisSession({ inputs: options.inputs, cwd: this.#cwd, outDir: path.resolve(this.#cwd, options.outDir), ...(options.tsconfig ? { tsconfig: options.tsconfig } : {}) });
    const kinds = new Set<ArtifactKind>(options.emit ?? defaultKinds);
    if (kinds.has("client") || kinds.has("server")) kinds.add("validate");
    this.#emitOptions = {
      outDir: path.resolve(this.#cwd, options.outDir),
      cwd: this.#cwd,
      runtime: options.runtime ?? "jamp-gen/runtime",
      kinds,
      schema: schemaOptions(options.schema),
      importExtension: options.importExtension ?? ".js",
    };
    this.#active = emitters.filter((e) => e.kind === "index" || kinds.has(e.kind));
  }

  /** Every file a run reads: the inputs, what they import, and the tsconfig. What watch mode watches. */
  dependencies(): Set<string> {
    return this.#session.dependencies();
  }

  /**
   * The first run analyses everything; later runs, given the absolute paths of the files that changed
   * (appeared, disappeared) since, redo only what those can affect. Without `changed`, starts afresh.
   */
  async run(changed?: readonly string[]): Promise<GeneratorRun> {
    const progress = this.#options.onProgress ?? (() => {});
    progress("analyzing", 0, 0);
    const { model, diagnostics, read } = this.#session.run(changed, (done, total) => progress("analyzing", done, total));
    if (hasErrors(diagnostics)) return { model, files: [], diagnostics, analyzed: read, emitted: [], shared: [] };

    // What this run makes is kept only once it is finished: a run that stops (a check's error, a throw while
    // formatting) leaves the last finished run's outputs to compare the next run with, and none half made.
    progress("emitting", 0, model.services.length);
    const previous = this.#services;
    const services = new Map<string, ServiceOutput>();
    const emitted: string[] = [];
    const toFormat: { output: ServiceOutput | undefined; files: OutputFile[] }[] = [];
    for (const [index, service] of model.services.entries()) {
      progress("emitting", index, model.services.length);
      let output = previous.get(service.name);
      if (output && sameSlice(output.slice, model, service)) {
        services.set(service.name, output);
        continue;
      }
      const slice = sliceOf(model, service);
      const key = [service, ...Object.values(slice.types)].map(jsonOf).join("\n");
      if (output?.key === key) output = { ...output, slice };
      else {
        emitted.push(service.name);
        const diagnostics = this.#active.flatMap((e) => (e.scope === "service" ? (e.check?.(slice, this.#emitOptions) ?? []) : []));
        output = { slice, key, diagnostics, files: [] };
        if (!hasErrors(diagnostics)) toFormat.push({ output, files: this.#active.flatMap((e) => (e.scope === "service" ? e.emit(slice, this.#emitOptions) : [])) });
      }
      services.set(service.name, output);
    }
    const all = sortDiagnostics([...diagnostics, ...dedupeDiagnostics([...services.values()].flatMap((s) => s.diagnostics))]);
    if (hasErrors(all)) return { model, files: [], diagnostics: all, analyzed: read, emitted, shared: [] };

    // The types services of other files share, written once in the module of their file.
    const shared: string[] = [];
    const previousSources = this.#sources;
    const sources = new Map<string, SourceOutput>();
    const owners = this.#active.some((e) => e.scope === "source") ? sharedTypes(model, (service) => Object.keys(services.get(service.name)!.slice.types)) : new Map<string, string[]>();
    for (const [file, names] of owners) {
      const owned = names.join("\n");
      let output = previousSources.get(file);
      if (output?.owned === owned && sameTypes(output.slice, model)) {
        sources.set(file, output);
        continue;
      }
      const slice: Model = { modelVersion: model.modelVersion, services: [], types: Object.fromEntries(reachableFrom(model, names).map((name) => [name, model.types[name]!])) };
      const key = [owned, ...Object.values(slice.types).map(jsonOf)].join("\n");
      if (output?.key === key) output = { ...output, slice };
      else {
        shared.push(file);
        output = { slice, key, owned, diagnostics: [], files: [] };
        toFormat.push({ output, files: this.#active.flatMap((e) => (e.scope === "source" ? e.emit(slice, this.#emitOptions, file) : [])) });
      }
      sources.set(file, output);
    }

    const project = { output: undefined, files: this.#active.flatMap((e) => (e.scope === "project" ? e.emit(model, this.#emitOptions) : [])) };
    toFormat.push(project);
    const total = toFormat.reduce((n, group) => n + group.files.length, 0);
    let done = 0;
    progress("formatting", done, total);
    // One file after another: a chunk formatted for one file is then known to the next (services share
    // their types' validators), and only one file's syntax trees are alive at a time.
    const formatted: GeneratedFile[][] = [];
    for (const { output, files } of toFormat) {
      const out: GeneratedFile[] = [];
      for (const file of files) {
        out.push({ path: file.path, contents: await this.#formatter.format(file) });
        progress("formatting", ++done, total);
      }
      if (output) output.files = out;
      formatted.push(out);
    }
    this.#services = services;
    this.#sources = sources;
    const files = [...[...services.values(), ...sources.values()].flatMap((s) => s.files), ...formatted.at(-1)!];
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.#formatter.sweep();
    return { model, files, diagnostics: all, analyzed: read, emitted, shared };
  }
}

/**
 * The JSON text of a part of the model, kept per object: the analysis hands back the same objects for
 * what it did not read again, so comparing a service's slice with the last run's costs little.
 */
const jsonTexts = new WeakMap<object, string>();
function jsonOf(part: object): string {
  let text = jsonTexts.get(part);
  if (text === undefined) jsonTexts.set(part, (text = JSON.stringify(part)));
  return text;
}

/** Whether a slice is still the service's: the same service object, and the same objects for the types it reached. */
function sameSlice(slice: Model, model: Model, service: Service): boolean {
  return slice.services[0] === service && sameTypes(slice, model);
}

/** Whether the model holds the same objects for the types of a slice (then they reach the same types, too). */
function sameTypes(slice: Model, model: Model): boolean {
  for (const [name, named] of Object.entries(slice.types)) if (model.types[name] !== named) return false;
  return true;
}

/** The part of the model a service's files depend on: the service and the named types it reaches. */
function sliceOf(model: Model, service: Service): Model {
  return { modelVersion: model.modelVersion, services: [service], types: Object.fromEntries(reachableTypes(model, service).map((name) => [name, model.types[name]!])) };
}

/** The options with defaults filled in; an `undefined` value counts as left out. */
function schemaOptions(given: Partial<SchemaOptions> | undefined): SchemaOptions {
  return {
    unknownProperties: given?.unknownProperties ?? defaultSchemaOptions.unknownProperties,
    unions: given?.unions ?? defaultSchemaOptions.unions,
  };
}
