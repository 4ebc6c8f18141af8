/**
 * The ts-morph project the analyzer reads from: the user's tsconfig when one is given, else defaults
 * that match generated code (NodeNext, strict). Input files are added by the analyzer, not from the
 * tsconfig's own file list.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Project, ts } from "ts-morph";
import type { Diagnostic } from "../diagnostics.js";

export interface ProjectOptions {
  cwd: string;
  /** A tsconfig.json whose compilerOptions resolve the inputs' imports. */
  tsconfig?: string;
}

export function openProject(options: ProjectOptions, diagnostics: Diagnostic[]): Project {
  // strictNullChecks is forced: without it `T | null` would silently lose its null.
  const strict = { strict: true, strictNullChecks: true, noEmit: true };
  if (options.tsconfig) {
    const tsConfigFilePath = path.resolve(options.cwd, options.tsconfig);
    if (existsSync(tsConfigFilePath)) {
      return new Project({ tsConfigFilePath, skipAddingFilesFromTsConfig: true, compilerOptions: strict });
    }
    diagnostics.push({ code: "JG3002", severity: "error", message: `Cannot read the tsconfig '${options.tsconfig}': no such file.` });
  }
  return new Project({
    compilerOptions: { ...strict, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true },
  });
}
