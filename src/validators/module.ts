/**
 * The generated module being assembled: hoisted constants and functions, grouped by the root or def
 * they belong to, the names they claimed, and what each refers to, so that output holds only what
 * the roots reach, in a stable order.
 */
import { finishFunction, identifiers, renameIdentifiers, type Block, type FunctionBuilder } from "./code.js";
import { sanitizeIdentifier, SymbolTable } from "./names.js";
import type { Defs } from "./schema-info.js";

/** The two functions generated per def: a fast boolean check and a reporting validator. */
export interface DefFunctions {
  /** `$isEntry(value): boolean`, short-circuiting, no issues. */
  readonly predicate: string;
  /** `$Entry(value, path, issues): boolean`, a `Validator`. */
  readonly reporter: string;
}

/** A module-level declaration: its code, the comment above it, and (for functions) its builder. */
interface Hoisted {
  readonly name: string;
  readonly code: string;
  readonly comment: string;
  readonly builder: FunctionBuilder | undefined;
  /** The identifiers its code refers to. */
  readonly uses: ReadonlySet<string>;
}

/**
 * What generating one def's functions did to a module, in order: the names it claimed, the constants it
 * used and the functions it added. Enough to do it again in another module (another service's file)
 * that holds the same def, renaming what the other module names differently.
 */
export type ModuleOp =
  | { readonly kind: "claim"; readonly desired: string; readonly name: string }
  | { readonly kind: "constant"; readonly prefix: string; readonly initializer: string; readonly name: string }
  | { readonly kind: "function"; readonly fn: Hoisted; readonly group: string; readonly hoistedFrom: string | undefined };

export class ModuleBuilder {
  readonly symbols = new SymbolTable();
  readonly defFunctions = new Map<string, DefFunctions>();
  /** Output groups: one per root, in order, then one per def, sorted by def name. */
  readonly #groups = new Map<string, Hoisted[]>();
  #group = "";
  readonly #constants = new Map<string, Hoisted>();
  readonly #functions = new Map<string, Hoisted>();
  readonly #hoistedAt = new Map<string, string>();
  #recording: ModuleOp[] | undefined;

  constructor(readonly defs: Defs) {
    this.symbols.onClaim = (desired, name) => this.#recording?.push({ kind: "claim", desired, name });
  }

  /** Runs `write` and returns what it did to the module, to `replay` in another one. */
  record(write: () => void): ModuleOp[] {
    const ops: ModuleOp[] = [];
    this.#recording = ops;
    try {
      write();
    } finally {
      this.#recording = undefined;
    }
    return ops;
  }

  /**
   * Does again what `ops` did in another module, where names (claimed ones, constants, and those of
   * `renamed`: the defs' functions) may differ: each function's code is renamed to this module's names.
   * Returns false, having done nothing, when it cannot (a location hoisted already).
   */
  replay(ops: readonly ModuleOp[], renamed: ReadonlyMap<string, string>): boolean {
    if (ops.some((op) => op.kind === "function" && op.hoistedFrom !== undefined && this.#hoistedAt.has(op.hoistedFrom))) return false;
    const names = new Map(renamed);
    for (const op of ops) {
      if (op.kind === "claim") names.set(op.name, this.symbols.claim(op.desired));
      else if (op.kind === "constant") names.set(op.name, this.constant(op.prefix, op.initializer));
      else {
        const { fn } = op;
        const name = names.get(fn.name) ?? fn.name;
        const hoisted: Hoisted = { name, code: renameIdentifiers(fn.code, names), comment: fn.comment, builder: fn.builder, uses: new Set([...fn.uses].map((used) => names.get(used) ?? used)) };
        this.#functions.set(name, hoisted);
        this.enterGroup(op.group);
        this.#groups.get(op.group)!.push(hoisted);
        if (op.hoistedFrom !== undefined) this.#hoistedAt.set(op.hoistedFrom, name);
      }
    }
    return true;
  }

  /** Claims the function names of every def code may refer to; sorted, so names do not depend on key order. */
  nameDefs(names: readonly string[]): void {
    for (const def of [...names].sort(compareCodeUnits)) {
      const base = sanitizeIdentifier(def);
      const reporter = this.symbols.claim(`$${base}`);
      const predicate = this.symbols.claim(`$is${base.charAt(0).toUpperCase()}${base.slice(1)}`);
      this.defFunctions.set(def, { reporter, predicate });
    }
  }

  /** Gives every def the function names `names` chooses (distinct for distinct defs), claiming them. */
  nameDefsAs(defs: readonly string[], names: (def: string) => DefFunctions): void {
    for (const def of [...defs].sort(compareCodeUnits)) {
      const { reporter, predicate } = names(def);
      for (const name of [reporter, predicate]) {
        if (this.symbols.has(name)) throw new Error(`Def function name "${name}" (of "${def}") is taken.`);
        this.symbols.claim(name);
      }
      this.defFunctions.set(def, { reporter, predicate });
    }
  }

  /**
   * Functions added from now on belong to this group (a root's name or `$defs/<def>`). Groups are
   * output in the order they were first entered.
   */
  enterGroup(group: string): void {
    this.#group = group;
    if (!this.#groups.has(group)) this.#groups.set(group, []);
  }

  /** A module-level constant, shared by every use of the same initialiser: `const $pattern = ...`. */
  constant(prefix: string, initializer: string): string {
    const existing = this.#constants.get(initializer);
    if (existing !== undefined) {
      this.#recording?.push({ kind: "constant", prefix, initializer, name: existing.name });
      return existing.name;
    }
    const recording = this.#recording;
    this.#recording = undefined; // the claim is part of this constant, not one of its own
    const name = this.symbols.claim(prefix);
    this.#recording = recording;
    recording?.push({ kind: "constant", prefix, initializer, name });
    this.#constants.set(initializer, {
      name,
      code: `const ${name} = ${initializer};`,
      comment: "",
      builder: undefined,
      uses: identifiers(initializer),
    });
    return name;
  }

  /** The hoisted function already generated for a schema location, if any. */
  hoistedAt(location: string): string | undefined {
    return this.#hoistedAt.get(location);
  }

  /** Records a finished function, `function <name>(<params>): boolean { <body> }`. */
  addFunction(
    builder: FunctionBuilder,
    params: readonly [name: string, type: string][],
    body: Block,
    hoistedFrom?: string,
  ): void {
    const { signature, lines, uses } = finishFunction(params, body);
    const code = `function ${builder.name}(${signature}): boolean {\n${lines.join("\n")}\n}`;
    // Schema locations may hold "*/" (a def named `a*` has properties at `#/$defs/a*/properties`).
    const comment = `/** ${builder.doc.replaceAll("*/", "*\\/")} */\n`;
    // What the code refers to: the body's identifiers, and the signature's (the types name none of ours).
    const fn: Hoisted = { name: builder.name, code, comment, builder, uses: new Set([builder.name, ...uses, ...identifiers(signature)]) };
    this.#functions.set(builder.name, fn);
    this.#groups.get(this.#group)!.push(fn);
    if (hoistedFrom !== undefined) this.#hoistedAt.set(hoistedFrom, builder.name);
    this.#recording?.push({ kind: "function", fn, group: this.#group, hoistedFrom });
  }

  /**
   * The code of everything `roots` reach, the runtime helpers it uses (sorted), and which of the
   * `external` names (functions another module defines) it calls; the functions named in `exported`
   * are exported.
   */
  render(
    roots: readonly string[],
    exported: ReadonlySet<string> = new Set(),
    external: ReadonlySet<string> = new Set(),
  ): { code: string; runtimeImports: string[]; imports: string[] } {
    const declared = new Map<string, Hoisted>([
      ...this.#functions,
      ...[...this.#constants.values()].map((c) => [c.name, c] as const),
    ]);
    const reached = new Set<string>();
    const pending = [...roots];
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (reached.has(name) || !declared.has(name)) continue;
      reached.add(name);
      for (const used of declared.get(name)!.uses) if (declared.has(used)) pending.push(used);
    }
    const runtime = new Set<string>();
    const imports = new Set<string>();
    const parts: string[] = [];
    for (const constant of this.#constants.values()) if (reached.has(constant.name)) parts.push(constant.code);
    for (const group of this.#groups.values()) {
      for (const fn of group) {
        if (!reached.has(fn.name)) continue;
        parts.push(fn.comment + (exported.has(fn.name) ? "export " : "") + fn.code);
        for (const helper of fn.builder?.runtime ?? []) if (fn.uses.has(helper)) runtime.add(helper);
        for (const used of fn.uses) if (external.has(used)) imports.add(used);
      }
    }
    return {
      code: `${parts.join("\n\n")}\n`,
      runtimeImports: [...runtime].sort(compareCodeUnits),
      imports: [...imports].sort(compareCodeUnits),
    };
  }
}

/** Plain code-unit order: the same on every machine, unlike `localeCompare`. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A short name hint for a hoisted schema from the end of its location: `.../anyOf/1` → `anyOf1`. */
export function locationHint(location: string): string {
  const tokens = location.split("/");
  const last = tokens[tokens.length - 1] ?? "";
  const hint = /^\d+$/.test(last) ? `${tokens[tokens.length - 2] ?? ""}${last}` : last;
  return sanitizeIdentifier(hint);
}
