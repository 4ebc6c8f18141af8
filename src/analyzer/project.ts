/**
 * The ts-morph project the analyzer reads from. With a tsconfig (`-p`), the program sees what the
 * user's own `tsc -p` sees: its compilerOptions through every `extends` (a file or a package's),
 * `baseUrl` and `paths`, the ambient declarations its file list holds, and the projects it references,
 * read from their sources as an editor reads them. Without one, defaults that match generated code
 * (NodeNext, strict). Input files are added by the analyzer, not from the tsconfig's own file list.
 *
 * One option is always on, whatever the tsconfig says: `strictNullChecks`. Without it TypeScript drops
 * `null` and `undefined` from every union, so `T | null` would reach the model as `T` and the schema would
 * refuse the null the interface promises. It is not reported: it changes no type a service can use,
 * only what TypeScript checks. The other strict options (`noImplicitAny`, `strictFunctionTypes`, ...)
 * decide which code TypeScript complains about, not what a type is, so they stay as the user set them:
 * an interface that compiles under `strict: false` gives the model it gives under `strict: true`.
 */
import path from "node:path";
import type { ResolutionHostFactory, ts as TS } from "ts-morph";
import { Project, ts } from "./ts-morph.js";
import type { Diagnostic } from "../diagnostics.js";
import type { SourceSpan } from "../model/model.js";
import { forEachSyntax, relativeFile } from "./source.js";

export interface ProjectOptions {
  cwd: string;
  /** A tsconfig.json (relative to `cwd` or absolute) whose settings the analysis follows. */
  tsconfig?: string;
}

/** Where no tsconfig is given: what generated code is written for. */
const defaultOptions: TS.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
};

export function openProject(options: ProjectOptions, diagnostics: Diagnostic[]): Project {
  const config = options.tsconfig === undefined ? undefined : readTsconfig(path.resolve(options.cwd, options.tsconfig), options, diagnostics);
  if (!config) return new Project({ compilerOptions: { ...defaultOptions, strictNullChecks: true } });
  const redirects = referencedOutputs(config, options.cwd, diagnostics);
  const project = new Project({
    compilerOptions: analysisOptions(config.parsed.options),
    ...(redirects.size > 0 ? { resolutionHost: resolvingToSources(redirects) } : {}),
  });
  // A `declare module "x"` or a global reaches a program only through the file list; modules come through imports.
  for (const file of config.parsed.fileNames) if (isDeclarationFile(file)) project.addSourceFileAtPath(file);
  return project;
}

/**
 * The user's options, for reading types rather than building: `strictNullChecks` on (see above), and
 * none of the emit layout (`rootDir`, `outDir`, `declarationDir`, `composite`'s file list). The layout
 * decides where outputs go, never what a type is; kept, it would count a referenced project's sources,
 * read in place of its outputs, as files outside this project.
 *
 * ts-morph runs TypeScript 6, whose defaults differ from TypeScript 5's, which most projects still
 * compile with. Where the tsconfig leaves them out, the analysis takes TypeScript 5's: every `@types`
 * package (6 takes none), `strict` off (6 turns it on), and no `rootDir` at the tsconfig's folder. Under
 * either version's defaults the model is the same; TypeScript 5's only reject less, so a service the
 * user's own compiler accepts is never refused here.
 */
function analysisOptions(options: TS.CompilerOptions): TS.CompilerOptions {
  const { rootDir: _rootDir, outDir: _outDir, declarationDir: _declarationDir, composite: _composite, ...kept } = options;
  return { ...kept, strict: options.strict ?? false, types: options.types ?? allTypesPackages(options), strictNullChecks: true };
}

/** The `@types` packages TypeScript 5 includes when `types` is not set: every folder in the type roots. */
function allTypesPackages(options: TS.CompilerOptions): string[] {
  // Parsed from a tsconfig, the options name its file, which the default roots are found from.
  const roots = ts.getEffectiveTypeRoots(options, {}) ?? [];
  const names = new Set<string>();
  for (const root of roots) {
    if (!ts.sys.directoryExists(root)) continue;
    for (const name of ts.sys.getDirectories(root)) {
      // A stub whose package.json says `"typings": null` is one TypeScript 5 leaves out too.
      const manifest = ts.sys.readFile(path.join(root, name, "package.json"));
      if (!name.startsWith(".") && !(manifest && /"typings"\s*:\s*null/.test(manifest))) names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * Reads a tsconfig as `tsc -p` does, reporting (JG3002) a missing file, JSON that does not parse and
 * whatever TypeScript finds wrong in it or in what it extends, at the place it names. Returns
 * `undefined` only when there is no file: a config with errors is still followed, so one run reports
 * the inputs' problems too.
 */
function readTsconfig(file: string, options: ProjectOptions, diagnostics: Diagnostic[]): Config | undefined {
  if (!ts.sys.fileExists(file)) {
    diagnostics.push({
      code: "JG3002",
      severity: "error",
      message: `Cannot read the tsconfig '${relativeFile(file, options.cwd)}': no such file.`,
      hint: "give -p the path of a tsconfig.json, relative to the folder jamp-gen runs in",
    });
    return undefined;
  }
  return parseConfig(file, options.cwd, diagnostics);
}

interface Config {
  parsed: TS.ParsedCommandLine;
  /** The JSON as written, for positions in it. */
  source: TS.TsConfigSourceFile;
}

function parseConfig(file: string, cwd: string, diagnostics: Diagnostic[]): Config {
  const source = ts.readJsonConfigFile(file, ts.sys.readFile);
  const parsed = ts.parseJsonSourceFileConfigFileContent(source, ts.sys, path.dirname(file), undefined, file);
  // JSON syntax errors stay on the source file; what TypeScript finds in the settings comes back parsed.
  const errors = [...((source as { parseDiagnostics?: TS.Diagnostic[] }).parseDiagnostics ?? []), ...parsed.errors];
  for (const error of errors) {
    // "No inputs were found": the analyzer names its inputs itself.
    if (error.category !== ts.DiagnosticCategory.Error || error.code === 18003) continue;
    diagnostics.push(configDiagnostic(error, source, cwd));
  }
  return { parsed, source };
}

function configDiagnostic(error: TS.Diagnostic, config: TS.TsConfigSourceFile, cwd: string): Diagnostic {
  const text = `${ts.flattenDiagnosticMessageText(error.messageText, " ")} (TS${error.code})`;
  // TypeScript gives no position for a file `extends` or `references` names that cannot be read; point at the key.
  const at = error.file && error.start !== undefined ? { file: error.file, start: error.start, length: error.length ?? 0 } : keyOf(config, ["extends", "references"]);
  const hint = `run 'tsc -p ${relativeFile(config.fileName, cwd)} --showConfig' to see the settings TypeScript reads`;
  if (!at) return { code: "JG3002", severity: "error", message: `In the tsconfig ${relativeFile(config.fileName, cwd)}: ${text}`, hint };
  return { code: "JG3002", severity: "error", message: text, hint, span: spanIn(at.file, at.start, at.length, cwd) };
}

/** The first of `keys` that the config's top-level object sets, as a position. */
function keyOf(config: TS.TsConfigSourceFile, keys: readonly string[]): { file: TS.SourceFile; start: number; length: number } | undefined {
  const root = config.statements[0]?.expression;
  if (!root || !ts.isObjectLiteralExpression(root)) return undefined;
  for (const key of keys) {
    const property = root.properties.find((p) => p.name !== undefined && ts.isStringLiteral(p.name) && p.name.text === key);
    if (property) return { file: config, start: property.getStart(config), length: property.getWidth(config) };
  }
  return undefined;
}

function spanIn(file: TS.SourceFile, start: number, length: number, cwd: string): SourceSpan {
  const from = file.getLineAndCharacterOfPosition(start);
  const to = file.getLineAndCharacterOfPosition(start + length);
  return { file: relativeFile(file.fileName, cwd), line: from.line + 1, column: from.character + 1, endLine: to.line + 1, endColumn: to.character + 1 };
}

function isDeclarationFile(file: string): boolean {
  return /\.d\.[cm]?ts$/.test(file);
}

/**
 * The declaration files that `tsc -b` builds from the referenced projects (and theirs), each mapped to
 * the source it is built from. A missing or broken referenced tsconfig is reported like the main one.
 */
function referencedOutputs(config: Config, cwd: string, diagnostics: Diagnostic[]): Map<string, string> {
  const outputs = new Map<string, string>();
  const seen = new Set<string>();
  const visit = ({ parsed, source }: Config) => {
    for (const reference of parsed.projectReferences ?? []) {
      const file = ts.resolveProjectReferencePath(reference);
      if (seen.has(file)) continue;
      seen.add(file);
      if (!ts.sys.fileExists(file)) {
        const at = keyOf(source, ["references"]);
        const message = `Cannot read the referenced project '${relativeFile(file, cwd)}': no such file.`;
        diagnostics.push({ code: "JG3002", severity: "error", message, hint: "a reference's path names a tsconfig.json or the folder holding one", ...(at ? { span: spanIn(at.file, at.start, at.length, cwd) } : {}) });
        continue;
      }
      const referenced = parseConfig(file, cwd, diagnostics);
      for (const input of referenced.parsed.fileNames) {
        if (isDeclarationFile(input) || input.endsWith(".json")) continue;
        const declaration = ts.getOutputFileNames(referenced.parsed, input, !ts.sys.useCaseSensitiveFileNames).find(isDeclarationFile);
        if (declaration) outputs.set(path.resolve(declaration), input);
      }
      visit(referenced);
    }
  };
  visit(config);
  return outputs;
}

/**
 * Module resolution that reads a referenced project from its sources, as editors do (TypeScript's
 * `useSourceOfProjectReferenceRedirect`, which ts-morph's program does not take): an import that lands
 * on one of its outputs, directly or through a workspace package's `exports`, resolves to the source the
 * output is built from, whether or not `tsc -b` has built it yet. Everything else resolves as usual.
 */
function resolvingToSources(outputs: ReadonlyMap<string, string>): ResolutionHostFactory {
  const outputDirs = new Set<string>();
  for (const output of outputs.keys()) for (let dir = path.dirname(output); !outputDirs.has(dir) && path.dirname(dir) !== dir; dir = path.dirname(dir)) outputDirs.add(dir);
  return (host) => {
    // The paths a resolver asks about may run through a workspace symlink (`node_modules/@acme/api/dist`).
    const real = (file: string) => realPath(file, host);
    const resolver: TS.ModuleResolutionHost = {
      ...host,
      fileExists: (file) => host.fileExists(file) || outputs.has(real(file)),
      directoryExists: (dir) => (host.directoryExists?.(dir) ?? true) || outputDirs.has(real(dir)),
      realpath: (file) => (host.fileExists(file) ? (host.realpath?.(file) ?? file) : real(file)),
    };
    // No resolution cache: it would outlive the program, and watch mode would then miss a file that appears.
    return {
      resolveModuleNames: (names, containingFile, _reused, redirected, compilerOptions, containingSourceFile) =>
        names.map((name) => {
          const mode = containingSourceFile ? modeOf(containingSourceFile, name, compilerOptions) : undefined;
          const resolved = ts.resolveModuleName(name, containingFile, compilerOptions, resolver, undefined, redirected, mode).resolvedModule;
          const source = resolved && outputs.get(real(resolved.resolvedFileName));
          if (!resolved || !source) return resolved;
          return { ...resolved, resolvedFileName: source, extension: extensionOf(source), isExternalLibraryImport: false };
        }),
    };
  };
}

/** The real path of a file that may not exist: the real path of its nearest existing folder, plus the rest. */
function realPath(file: string, host: TS.ModuleResolutionHost): string {
  const rest: string[] = [];
  for (let at = path.resolve(file); ; at = path.dirname(at)) {
    if (host.directoryExists?.(at) ?? ts.sys.directoryExists(at)) return path.join(host.realpath?.(at) ?? at, ...rest.reverse());
    if (path.dirname(at) === at) return path.resolve(file);
    rest.push(path.basename(at));
  }
}

function extensionOf(file: string): TS.Extension {
  const match = /(\.d)?\.[cm]?tsx?$/.exec(file);
  return (match?.[0] ?? ts.Extension.Ts) as TS.Extension;
}

/** Module specifiers by text, per file: an import's resolution mode (import or require) depends on where it is. */
const specifiers = new WeakMap<TS.SourceFile, Map<string, TS.StringLiteralLike>>();

function modeOf(file: TS.SourceFile, name: string, options: TS.CompilerOptions): TS.ResolutionMode {
  let found = specifiers.get(file);
  if (!found) {
    const literals = new Map<string, TS.StringLiteralLike>();
    forEachSyntax(file, (node) => {
      if (ts.isStringLiteralLike(node) && isModuleSpecifier(node) && !literals.has(node.text)) literals.set(node.text, node);
    });
    specifiers.set(file, (found = literals));
  }
  const usage = found.get(name);
  return usage ? ts.getModeForUsageLocation(file, usage, options) : file.impliedNodeFormat;
}

function isModuleSpecifier(node: TS.StringLiteralLike): boolean {
  const parent = node.parent;
  return (
    ts.isImportDeclaration(parent) ||
    ts.isExportDeclaration(parent) ||
    ts.isExternalModuleReference(parent) ||
    (ts.isLiteralTypeNode(parent) && ts.isImportTypeNode(parent.parent)) ||
    (ts.isCallExpression(parent) && parent.arguments[0] === node)
  );
}
