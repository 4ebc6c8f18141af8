/**
 * The pipeline, the one place that knows the order: analyze → check → emit → format. It returns
 * files and diagnostics without writing anything; the CLI (or a build tool) decides what to write.
 */
import path from "node:path";
import { analyze } from "./analyzer/analyze.js";
import { type Diagnostic, hasErrors, sortDiagnostics } from "./diagnostics.js";
import { type ArtifactKind, defaultKinds, type EmitOptions, emitters } from "./emitters/index.js";
import { defaultSchemaOptions, type SchemaOptions } from "./kinds/index.js";
import type { Model } from "./model/model.js";
import { formatFile } from "./writer/format.js";

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

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
  const { model, diagnostics } = analyze({ inputs: options.inputs, cwd, ...(options.tsconfig ? { tsconfig: options.tsconfig } : {}) });
  if (hasErrors(diagnostics)) return { model, files: [], diagnostics };

  const kinds = new Set<ArtifactKind>(options.emit ?? defaultKinds);
  if (kinds.has("client") || kinds.has("server")) kinds.add("validate");
  const emitOptions: EmitOptions = { outDir: path.resolve(cwd, options.outDir), cwd, runtime: options.runtime ?? "jamp-gen/runtime", kinds, schema: schemaOptions(options.schema) };
  const active = emitters.filter((e) => e.kind === "index" || kinds.has(e.kind));
  const checks = active.flatMap((e) => e.check?.(model, emitOptions) ?? []);
  const all = sortDiagnostics([...diagnostics, ...checks]);
  if (hasErrors(all)) return { model, files: [], diagnostics: all };

  const outputs = active.flatMap((e) => e.emit(model, emitOptions));
  const files = await Promise.all(outputs.map(async (file) => ({ path: file.path, contents: await formatFile(file) })));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { model, files, diagnostics: all };
}

/** The options with defaults filled in; an `undefined` value counts as left out. */
function schemaOptions(given: Partial<SchemaOptions> | undefined): SchemaOptions {
  return {
    unknownProperties: given?.unknownProperties ?? defaultSchemaOptions.unknownProperties,
    unions: given?.unions ?? defaultSchemaOptions.unions,
  };
}
