/** The contract of an emitter: one artifact, a pure function from the model to files. */
import type { Diagnostic } from "../diagnostics.js";
import type { SchemaOptions } from "../kinds/index.js";
import type { Model } from "../model/model.js";

export type ArtifactKind = "client" | "server" | "schema" | "validate" | "model" | "openrpc";

/**
 * How generated code ends its relative imports: `.js` for NodeNext resolution (the default), none for
 * bundler resolution, `.ts` for `allowImportingTsExtensions` (and Deno).
 */
export const importExtensions = [".js", "", ".ts"] as const;
export type ImportExtension = (typeof importExtensions)[number];

export interface EmitOptions {
  /** Where the files go, absolute. */
  outDir: string;
  /** The working directory: source paths in headers are relative to it. */
  cwd: string;
  /** The module specifier generated code imports the runtime from (`jamp-gen/runtime`). */
  runtime: string;
  /** The kinds being emitted, so files only import what exists (`index.ts` re-exports those). */
  kinds: ReadonlySet<ArtifactKind>;
  /** The project's schema semantics, defaults filled in; kinds read them as `cx.options`. */
  schema: Readonly<SchemaOptions>;
  /** How relative imports in generated code end (`moduleSpecifier` and `siblingSpecifier` in view.ts). */
  importExtension: ImportExtension;
}

export interface OutputFile {
  /** Relative to the output folder, POSIX separators. */
  path: string;
  contents: string;
  /** How the writer formats it. */
  language: "typescript" | "json";
}

export interface Emitter {
  readonly kind: ArtifactKind | "index";
  /**
   * `service`: the files of each service depend only on that service and the types it reaches, so
   * the pipeline gives it one service at a time (and reuses the files of a service that did not
   * change); `source`: the files of each source file whose types services of other files share
   * (`sharedTypes` in model/walk.ts), given those types and what they reach, with the file as
   * `source` (reused alike); `project`: one output from the whole model (`index.ts`, `model.json`).
   */
  readonly scope: "service" | "source" | "project";
  /** What the emitter cannot render, found before anything is written. */
  check?(model: Model, options: EmitOptions): Diagnostic[];
  emit(model: Model, options: EmitOptions, source?: string): OutputFile[];
}
