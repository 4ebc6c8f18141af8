/**
 * The programmatic API: `generate` returns files and diagnostics without writing, so build tools can
 * embed jamp-gen; the CLI is a thin layer over it.
 */
export { generate, Generator, type GenerateOptions, type GenerateResult, type GeneratedFile, type GeneratorRun } from "./pipeline.js";
export { applyPlan, OutputError, writeFiles, type WrittenFile } from "./writer/write.js";
export { isGenerated, planOutput, type FileStatus, type PlannedFile } from "./writer/plan.js";
export { formatDiagnostic, diagnosticCodes, type Diagnostic, type Severity } from "./diagnostics.js";
export type { ArtifactKind, ImportExtension } from "./emitters/index.js";
export type { SchemaOptions } from "./kinds/index.js";
export type * from "./model/model.js";
