/**
 * Runs and type-checks what `compileValidators` produces, and builds the ajv oracle it is compared
 * with. The generated code runs exactly as compiled: TypeScript only strips its types.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import ts from "typescript";
import type { ValidationIssue, Validator } from "../../../src/runtime/descriptor.js";
import * as runtime from "../../../src/runtime/validation.js";
import {
  compileValidators,
  type CompiledValidators,
  type JsonSchema,
  type ValidatorRoot,
} from "../../../src/validators/compile.js";

const runtimeExports: Readonly<Record<string, unknown>> = runtime;

/** Evaluates compiled code with the runtime helpers it imports, returning the named root functions. */
export function loadValidators(compiled: CompiledValidators, names: readonly string[]): Record<string, Validator> {
  const missing = compiled.runtimeImports.filter((name) => !Object.hasOwn(runtimeExports, name));
  if (missing.length > 0) throw new Error(`runtime lacks ${missing.join(", ")}`);
  const js = ts.transpileModule(compiled.code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
  }).outputText;
  const factory = new Function(...compiled.runtimeImports, `${js}\nreturn { ${names.join(", ")} };`) as (
    ...helpers: unknown[]
  ) => Record<string, Validator>;
  return factory(...compiled.runtimeImports.map((name) => runtimeExports[name]));
}

/** Compiles one root schema (named `check`) against `defs` and returns its validator. */
export function compileOne(schema: JsonSchema, defs: Readonly<Record<string, JsonSchema>> = {}): Validator {
  return loadValidators(compileValidators(defs, [{ name: "check", schema }]), ["check"]).check!;
}

/** Runs a validator with a fresh issue list at the document root. */
export function run(validate: Validator, value: unknown): { valid: boolean; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  return { valid: validate(value, "", issues), issues };
}

const addFormats = addFormatsModule.default;

/** ajv's verdict for a root schema whose `$ref`s point into `defs`. */
export function ajvOracle(
  schema: JsonSchema,
  defs: Readonly<Record<string, JsonSchema>> = {},
): (value: unknown) => boolean {
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  const validate = ajv.compile(
    typeof schema === "boolean" ? { $defs: defs, allOf: [schema] } : { ...schema, $defs: defs },
  );
  return (value) => validate(value);
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Options users may add to ours; generated code must compile under them too. */
const STRICTER: ts.CompilerOptions = {
  noUnusedLocals: true,
  noUnusedParameters: true,
  noPropertyAccessFromIndexSignature: true,
  allowUnreachableCode: false,
  allowUnusedLabels: false,
  noFallthroughCasesInSwitch: true,
};

/**
 * Type-checks compiled code as a module of its own, with the repository's compiler options made
 * stricter still (and no ambient Node types: the code ships to browsers), importing the runtime from
 * source. Returns the diagnostics as text, empty when there are none.
 */
export function typeCheck(defs: Readonly<Record<string, JsonSchema>>, roots: readonly ValidatorRoot[]): string {
  const compiled = compileValidators(defs, roots);
  const config = ts.readConfigFile(join(repoRoot, "tsconfig.json"), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  const dir = mkdtempSync(join(tmpdir(), "jamp-validators-"));
  try {
    const file = join(dir, "validators.mts");
    const runtimeDir = join(repoRoot, "src", "runtime");
    const source = [
      `import type { ValidationIssue, Validator } from ${JSON.stringify(join(runtimeDir, "descriptor.js"))};`,
      compiled.runtimeImports.length > 0
        ? `import { ${compiled.runtimeImports.join(", ")} } from ${JSON.stringify(join(runtimeDir, "validation.js"))};`
        : "",
      compiled.code,
      `export const validators: Validator[] = [${roots.map((root) => root.name).join(", ")}];`,
    ].join("\n");
    writeFileSync(file, source);
    const { rootDir: _projectRoot, ...projectOptions } = parsed.options;
    const options: ts.CompilerOptions = {
      ...projectOptions,
      ...STRICTER,
      noEmit: true,
      types: [],
      declaration: false,
      sourceMap: false,
    };
    const program = ts.createProgram([file], options);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    return ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => dir,
      getNewLine: () => "\n",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
