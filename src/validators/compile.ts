/**
 * JSON Schema (the subset in `json-schema.ts`) → TypeScript validator functions.
 *
 * Every def gets two functions: a predicate `$isEntry(value): boolean` that returns at the first
 * mismatch, and a reporter `$Entry(value, path, issues): boolean` that lists what is wrong. A root's
 * function is a reporter whose body checks inline and calls defs' reporters only where their
 * predicates fail, so validating a valid value allocates nothing. The output is plain, strictly
 * typed TypeScript, deterministic byte for byte, importing its helpers from `jamp-gen/runtime`.
 */
import { checkRefCycles, checkSchema } from "./check-schema.js";
import type { JsonSchema } from "./json-schema.js";
import { compareCodeUnits, type DefFunctions, ModuleBuilder, type ModuleOp } from "./module.js";

export type { DefFunctions } from "./module.js";
import { isIdentifier, pointerTo, unescapePointerToken } from "./names.js";
import { writePredicate } from "./predicate.js";
import { writeReporter } from "./report.js";

export type { JsonSchema } from "./json-schema.js";

export interface ValidatorRoot {
  /** The function's name: a TypeScript identifier not starting with `$` (those are the compiler's). */
  name: string;
  schema: JsonSchema;
  /** The function's doc comment; by default it names the schema location. */
  doc?: string;
}

/**
 * How a module of several (a generated project's) names and shares its defs' functions. Without it, a
 * module holds every def it uses and names their functions itself, numbering clashes.
 */
export interface ModuleOptions {
  /** The names of a def's functions, distinct for distinct defs, the same in every module. */
  defFunctions: (def: string) => DefFunctions;
  /** Defs whose functions another module defines and exports: this one calls them and imports them. */
  imported?: ReadonlySet<string>;
  /** Defs whose functions this module exports, whether its roots use them or not. */
  exported?: ReadonlySet<string>;
}

export interface CompiledValidators {
  /**
   * Declarations, not exported: one `function <root.name>(value: unknown, path: string, issues:
   * ValidationIssue[]): boolean` per root (a `Validator`), plus the `$`-prefixed functions and
   * constants they use. The module holding it imports `type ValidationIssue` and `runtimeImports`.
   */
  code: string;
  /** The values the code uses from `jamp-gen/runtime`, sorted. */
  runtimeImports: string[];
  /** The functions of `imported` defs the code calls, sorted. */
  imports: string[];
}

/**
 * Compiles `roots` (schemas whose `$ref`s point into `defs`) into validator functions. Throws on
 * anything outside the supported subset, naming the keyword and where it is.
 */
export function compileValidators(
  defs: Readonly<Record<string, JsonSchema>>,
  roots: readonly ValidatorRoot[],
  options?: ModuleOptions,
): CompiledValidators {
  checkRootNames(roots);
  const defNames = Object.keys(defs).sort(compareCodeUnits);
  const imported = options?.imported ?? new Set<string>();
  // An imported def is checked where its functions are generated.
  for (const name of defNames) if (!imported.has(name)) checkSchema(defs[name], defLocation(name), defs);
  for (const root of roots) checkSchema(root.schema, `${root.name}#`, defs);
  checkRefCycles(defs);

  const module = new ModuleBuilder(defs);
  for (const root of roots) module.symbols.reserve(root.name);
  if (options) module.nameDefsAs(defNames, options.defFunctions);
  else module.nameDefs(defNames);
  // Output order: roots as given, then defs by name. Defs are generated first, so the names of
  // hoisted constants inside them do not change when roots are added or removed.
  for (const root of roots) module.enterGroup(root.name);
  for (const name of defNames) {
    if (imported.has(name)) continue;
    const { predicate, reporter } = module.defFunctions.get(name)!;
    const at = defLocation(name);
    module.enterGroup(at);
    const write = () => {
      writeReporter(module, reporter, defs[name]!, at, predicate);
      writePredicate(module, predicate, defs[name]!, at);
    };
    writeDef(module, name, write);
  }
  for (const root of roots) {
    module.enterGroup(root.name);
    writeReporter(module, root.name, root.schema, `${root.name}#`, `$is_${root.name}`, root.doc);
  }
  const exported = [...(options?.exported ?? [])].sort(compareCodeUnits).flatMap((def) => {
    const { reporter, predicate } = module.defFunctions.get(def)!;
    return [reporter, predicate];
  });
  const external = [...imported].flatMap((def) => {
    const { reporter, predicate } = module.defFunctions.get(def)!;
    return [reporter, predicate];
  });
  const compiled = module.render([...roots.map((root) => root.name), ...exported], new Set(exported), new Set(external));
  const clash = roots.find((root) => compiled.runtimeImports.includes(root.name));
  if (clash !== undefined)
    throw new Error(`Validator name "${clash.name}" clashes with the runtime helper of that name; choose another.`);
  return compiled;
}

/**
 * A def's functions are the same in every module holding the same def and the same defs it refers to,
 * but for names (what else the module claimed first, what it calls the other defs): services share
 * their types' defs, so a def is generated once and replayed, renamed, in the next module. Keyed by the
 * def's name and the schemas of the defs it reaches; bounded, as watch mode runs for long.
 */
const generatedDefs = new Map<string, { ops: ModuleOp[]; defFunctions: Map<string, DefFunctions> }>();
const GENERATED_DEFS_LIMIT = 5000;

/** Forgets the defs generated so far: the next module generates each again (tests compare the two ways). */
export function forgetGeneratedDefs(): void {
  generatedDefs.clear();
}

/**
 * A def reaching more defs than this is generated afresh in every module: the key naming its functions
 * holds the schemas of every def it reaches, which in a chain of thousands of types would make keys
 * quadratic in the chain's length.
 */
const REPLAY_REACH_LIMIT = 200;

function writeDef(module: ModuleBuilder, name: string, write: () => void): void {
  const reached = reachedDefs(name, module.defs, REPLAY_REACH_LIMIT);
  if (reached === undefined) return write();
  const key = [JSON.stringify(name), ...[...reached].sort(compareCodeUnits).map((def) => `${JSON.stringify(def)}:${jsonOf(module.defs[def])}`)].join("\n");
  const earlier = generatedDefs.get(key);
  if (earlier) {
    const renamed = new Map<string, string>();
    for (const [def, old] of earlier.defFunctions) {
      const now = module.defFunctions.get(def)!;
      renamed.set(old.reporter, now.reporter).set(old.predicate, now.predicate);
    }
    if (module.replay(earlier.ops, renamed)) return;
  }
  const ops = module.record(write);
  if (generatedDefs.size >= GENERATED_DEFS_LIMIT) generatedDefs.clear();
  generatedDefs.set(key, { ops, defFunctions: new Map([...reached].map((def) => [def, module.defFunctions.get(def)!])) });
}

/** A schema's JSON text, kept per schema object (modules of services share their types' defs). */
const jsonTexts = new WeakMap<object, string>();
function jsonOf(schema: JsonSchema | undefined): string {
  if (typeof schema !== "object") return JSON.stringify(schema) ?? "undefined";
  let text = jsonTexts.get(schema);
  if (text === undefined) jsonTexts.set(schema, (text = JSON.stringify(schema)));
  return text;
}

/** The def and every def its schema refers to, directly or through others; `undefined` past `limit` of them. */
function reachedDefs(name: string, defs: Readonly<Record<string, JsonSchema>>, limit: number): Set<string> | undefined {
  const out = new Set<string>();
  const waiting = [name];
  while (waiting.length > 0) {
    const def = waiting.pop()!;
    if (out.has(def)) continue;
    out.add(def);
    if (out.size > limit) return undefined;
    collectRefs(defs[def], (target) => void (out.has(target) || waiting.push(target)));
  }
  return out;
}

function collectRefs(schema: unknown, found: (def: string) => void): void {
  if (Array.isArray(schema)) {
    for (const item of schema) collectRefs(item, found);
  } else if (typeof schema === "object" && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/$defs/")) found(unescapePointerToken(value.slice("#/$defs/".length)));
      else collectRefs(value, found);
    }
  }
}

function defLocation(name: string): string {
  return pointerTo("#/$defs", name);
}

/** Names the generated code refers to that a root function must not shadow. */
const USED_GLOBALS = new Set(["Array", "Number", "Object", "RegExp", "Set", "ValidationIssue"]);

function checkRootNames(roots: readonly ValidatorRoot[]): void {
  const seen = new Set<string>();
  for (const { name } of roots) {
    if (!isIdentifier(name) || name.startsWith("$")) {
      throw new Error(`Validator name "${name}" must be a TypeScript identifier not starting with "$".`);
    }
    if (USED_GLOBALS.has(name))
      throw new Error(`Validator name "${name}" would hide the global of that name from the generated code.`);
    if (seen.has(name)) throw new Error(`Validator name "${name}" is used twice.`);
    seen.add(name);
  }
}
