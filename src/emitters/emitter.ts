/** The contract of an emitter: one artifact, a pure function from the model to files. */
import type { Diagnostic } from "../diagnostics.js";
import type { SchemaOptions } from "../kinds/index.js";
import type { Model } from "../model/model.js";

export type ArtifactKind = "client" | "server" | "schema" | "validate" | "model";

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
  /** What the emitter cannot render, found before anything is written. */
  check?(model: Model, options: EmitOptions): Diagnostic[];
  emit(model: Model, options: EmitOptions): OutputFile[];
}
