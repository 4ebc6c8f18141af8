/**
 * The analyzer's side of the `ReadContext` that kinds use: it runs the kinds in priority order,
 * keeps the named-type graph, and records diagnostics with the span and path of the member being read.
 * Given the run's `NamedReads`, a named type another file's reader read already is replayed rather than
 * read again (see named-reads.ts): the same result, without walking the type through ts-morph.
 *
 * A named type's body is read (or replayed) after the signature that reached it, in the order the
 * types were first reached, not in the middle of reading the type that refers to it: a reference needs
 * only the name. So the stack holds one type's own nesting at a time, however long the chains of named
 * types (a model of thousands of types referring to each other), and that nesting is bounded: a type
 * nesting deeper than `maxTypeDepth` levels, or a generic type instantiated within its own instances
 * deeper than `maxGenericNesting` (`Deep<T> = { next: Deep<Deep<T>> }`, a new type at each level),
 * is reported (JG1033) rather than read on.
 */
import type { Type } from "ts-morph";
import { Node, TypeFormatFlags } from "./ts-morph.js";
import type { Diagnostic, Severity } from "../diagnostics.js";
import { kinds, type ReadContext, type TypeNode } from "../kinds/index.js";
import type { TagKeywords } from "../model/keywords.js";
import type { Doc, Model, NamedType } from "../model/model.js";
import { checkKeywords } from "./keyword-checks.js";
import { mayNameTaggedAlias, type PendingKeyword, readKeywords, taggedAliasAt } from "./keywords.js";
import { type NamedRead, type NamedReads, type ReadEvent, rebased, type Step } from "./named-reads.js";
import { packageOf } from "./packages.js";
import { forEachSyntax, readDoc, relativeFile, spanOf, wrapSyntax } from "./source.js";
import { explainUnsupported } from "./unsupported.js";

// `packageOf` lives with the other package lookups; re-exported for the tests that name it here.
export { packageOf } from "./packages.js";

/**
 * How deep one type may nest (an object in an array in a union... each counts), named types aside,
 * since each starts afresh: deeper than this a value would hardly travel (the runtime's codecs refuse
 * JSON nesting deeper than 128 levels by default), validators grow with the cube of the depth, and
 * TypeScript itself runs out of stack on such files a few hundred levels further.
 */
export const maxTypeDepth = 100;

/** How many instances of one generic type may be read within each other's bodies (`Deep<Deep<…>>`). */
export const maxGenericNesting = 10;

/**
 * The path being read (`Api.get → param x → Entry.at`), innermost step first: never changed once made, so
 * a deferred body keeps the path that reached it at no cost, however long the chain of types.
 */
interface Trail {
  readonly step: Step;
  readonly up: Trail | undefined;
}

/** The named types whose bodies led to the one being read, innermost first. */
interface Lineage {
  readonly declaration: Node;
  readonly generic: boolean;
  readonly parent: Lineage | undefined;
}

export class TypeReader implements ReadContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly types = new Map<string, NamedType>();
  /** JSDoc keywords to check against their members' types once the model is complete. */
  private readonly pendingKeywords: PendingKeyword[] = [];
  /** What was read (signatures' type nodes, named declarations) and the tagged-alias references read as such. */
  private readonly roots: Node[] = [];
  private readonly aliasSites = new Set<Node>();
  private readonly declarations = new Map<string, Node>();
  private trail: Trail | undefined;
  private site: Node;
  private optionalTop: Type | undefined;
  /** The named types being read, innermost last, with the trail where each began; `null` while replaying. */
  readonly #recording: ({ read: NamedRead; base: Trail | undefined } | null)[] = [];
  /** Named types defined whose bodies are still to read or replay, in the order they were reached. */
  readonly #later: (() => void)[] = [];
  #draining = false;
  /** The levels of the type being read, named types' bodies starting afresh. */
  #depth = 0;
  #lineage: Lineage | undefined;

  constructor(
    private readonly cwd: string,
    root: Node,
    /** Where generated code goes, absolute: see `packageOf`. */
    private readonly outDir?: string,
    /** The named types read so far in this run, by any file's reader. */
    private readonly reads?: NamedReads,
  ) {
    this.site = root;
  }

  /** Notes what the named type being read did, for a later replay. */
  #record(event: ReadEvent): void {
    this.#recording.at(-1)?.read.events.push(event);
  }

  /** Reads a type at a site (a parameter, a return type), with the path that reaches it. */
  readAt(type: Type, site: Node, steps: readonly string[], optional: boolean): TypeNode {
    this.roots.push(site);
    const saved = this.trail;
    for (const text of steps) this.#step(text, false);
    let node: TypeNode;
    try {
      node = this.readDeclared(type, site, optional);
    } finally {
      this.trail = saved;
    }
    this.#drain();
    return node;
  }

  /** Reads and replays the bodies of the named types defined so far, and of those they define in turn. */
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let i = 0; i < this.#later.length; i++) this.#later[i]!();
    } finally {
      this.#later.length = 0;
      this.#draining = false;
    }
  }

  /**
   * Runs `work` on the queue, where the reader is as it is now: the same path and site, inside the same
   * named types (its own `declaration` innermost), at the first level.
   */
  #defer(declaration: Node, generic: boolean, work: () => void): void {
    const [trail, site] = [this.trail, this.site];
    const lineage: Lineage = { declaration, generic, parent: this.#lineage };
    this.#later.push(() => {
      const saved = [this.trail, this.site, this.optionalTop, this.#depth, this.#lineage] as const;
      [this.trail, this.site, this.optionalTop, this.#depth, this.#lineage] = [trail, site, undefined, 0, lineage];
      try {
        work();
      } finally {
        [this.trail, this.site, this.optionalTop, this.#depth, this.#lineage] = saved;
      }
    });
  }

  /** Records a diagnostic at a node that is not a type being read (a method, a parameter). */
  reportAt(site: Node, steps: readonly string[], severity: Severity, code: string, message: string, hint?: string): void {
    const saved = this.trail;
    for (const text of steps) this.#step(text, false);
    try {
      this.withSite(site, undefined, () => this.report(severity, code, message, hint));
    } finally {
      this.trail = saved;
    }
  }

  read(type: Type): TypeNode {
    return this.readWith(type, false);
  }

  readBody(type: Type): TypeNode {
    return this.readWith(type, true);
  }

  readMember(type: Type, declaration: Node | undefined, step: string, optional: boolean): TypeNode {
    const saved = this.trail;
    this.#step(step, true);
    const site = declaration === undefined ? this.site : ((Node.isPropertySignature(declaration) || Node.isPropertyDeclaration(declaration) ? declaration.getTypeNode() : undefined) ?? declaration);
    try {
      return declaration === undefined ? this.withSite(site, optional ? type : undefined, () => this.read(type)) : this.readDeclared(type, site, optional);
    } finally {
      this.trail = saved;
    }
  }

  isOptionalTop(type: Type): boolean {
    return this.optionalTop === type;
  }

  defineNamed(name: string, declaration: Node, type: Type, doc: Doc | null, typeName?: string): string {
    const top = this.#recording.at(-1);
    if (top) this.#record({ kind: "child", steps: this.#stepsSince(top.base), site: this.site, name, declaration, type, doc, typeName });
    return this.#define(name, declaration, type, doc, typeName);
  }

  #define(name: string, declaration: Node, type: Type, doc: Doc | null, typeName: string | undefined): string {
    const known = this.declarations.get(name);
    if (known) {
      if (known !== declaration) {
        const other = spanOf(known, this.cwd);
        // Not part of the referring type's record: a replay decides it again, as this does.
        this.#recording.push(null);
        try {
          this.report("error", "JG1009", `Two different types are named '${name}' (the other is at ${other.file}:${other.line}:${other.column}).`, "rename one of them");
        } finally {
          this.#recording.pop();
        }
      }
      return name;
    }
    const generic = typeName !== undefined;
    if (generic && this.#genericNesting(declaration) >= maxGenericNesting) {
      // Decided again by a replay, as here: the nesting depends on how this reader reached the type.
      this.#recording.push(null);
      try {
        this.report(
          "error",
          "JG1033",
          `The generic type '${typeName}' is instantiated within its own instances more than ${maxGenericNesting} levels deep ('${name}'): each level is a new type, and it may never end.`,
          `give the recursion a fixed type argument ('${typeName}<T>' inside '${typeName}<T>'), as JSON Schema needs a definition for each type`,
        );
      } finally {
        this.#recording.pop();
      }
      this.#enter(name, declaration, doc, typeName);
      return name;
    }
    const trail = this.trail;
    // Made only if needed: a diagnostic to move to or from this path. Long chains of types have long paths.
    const prefix = once(() => this.path(trail));
    // A path always leads to a named type (a method's parameter or result); without one, no replay.
    const earlier = trail === undefined ? undefined : this.reads?.find(name, declaration, type, typeName);
    if (earlier?.entry) {
      this.declarations.set(earlier.name, earlier.declaration);
      this.roots.push(earlier.declaration);
      this.types.set(earlier.name, earlier.entry);
      this.#defer(declaration, generic, () => this.#replay(earlier, prefix));
      return name;
    }
    const entry = this.#enter(name, declaration, doc, typeName);
    this.#defer(declaration, generic, () => {
      const read: NamedRead = { name, declaration, type, typeName, entry: undefined, prefix, events: [] };
      this.#recording.push({ read, base: this.trail });
      try {
        this.#read(entry, declaration, type);
      } finally {
        this.#recording.pop();
      }
      read.entry = entry;
      if (trail !== undefined) this.reads?.add(read);
    });
    return name;
  }

  /** How many instances of the generic `declaration` the type being read is within. */
  #genericNesting(declaration: Node): number {
    let count = 0;
    for (let at = this.#lineage; at; at = at.parent) if (at.generic && at.declaration === declaration) count++;
    return count;
  }

  /** Does again what reading `read` did, in this reader, at the path `prefix` (the type itself is defined already). */
  #replay(read: NamedRead, prefix: () => string): void {
    this.#recording.push(null);
    try {
      for (const event of read.events) {
        switch (event.kind) {
          case "report":
            this.#addReported(rebased(event.diagnostic, read.prefix, prefix));
            break;
          case "diagnostic":
            this.#addDiagnostic(rebased(event.diagnostic, read.prefix, prefix));
            break;
          case "pending":
            this.#addPending(rebased(event.pending, read.prefix, prefix));
            break;
          case "alias-site":
            this.#addAliasSite(event.site);
            break;
          case "child": {
            const [savedTrail, savedSite] = [this.trail, this.site];
            for (const step of event.steps) this.#step(step.text, step.member);
            this.site = event.site;
            try {
              this.#define(event.name, event.declaration, event.type, event.doc, event.typeName);
            } finally {
              this.trail = savedTrail;
              this.site = savedSite;
            }
            break;
          }
        }
      }
    } finally {
      this.#recording.pop();
    }
  }

  /** Defines a named type: its model entry, whose body is still to read. */
  #enter(name: string, declaration: Node, doc: Doc | null, typeName: string | undefined): NamedType {
    this.declarations.set(name, declaration);
    this.roots.push(declaration);
    const exported = Node.isExportable(declaration) && declaration.isExported();
    const filePath = declaration.getSourceFile().getFilePath();
    const module = packageOf(filePath, this.outDir, this.reads?.packageFolders);
    const entry: NamedType = {
      name,
      ...(typeName ? { typeName } : {}),
      ...(module ? { module } : {}),
      file: relativeFile(filePath, this.cwd),
      exported,
      doc,
      span: spanOf(Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration) || Node.isEnumDeclaration(declaration) ? declaration.getNameNode() : declaration, this.cwd),
      type: { kind: "any", ts: "unknown" },
    };
    this.types.set(name, entry);
    return entry;
  }

  /** Reads a named type's body into its model entry. */
  #read(entry: NamedType, declaration: Node, type: Type): void {
    const saved = this.trail;
    this.#step(entry.name, false);
    const bodySite = Node.isTypeAliasDeclaration(declaration) ? (declaration.getTypeNode() ?? declaration) : declaration;
    try {
      entry.type = this.withSite(bodySite, undefined, () => this.readBody(type));
      const tagged = this.tagsOf(declaration, entry.type, false);
      entry.type = tagged.type;
      if (tagged.keywords) entry.keywords = tagged.keywords;
    } finally {
      this.trail = saved;
    }
  }

  /** The files declaring the named types read so far, absolute. */
  declarationFiles(): Set<string> {
    return new Set([...this.declarations.values()].map((d) => d.getSourceFile().getFilePath()));
  }

  readDoc(node: Node): Doc | null {
    return this.reads ? this.reads.doc(node, readDoc) : readDoc(node);
  }

  readKeywords(declaration: Node, step: string, type: TypeNode): TagKeywords {
    const saved = this.trail;
    this.#step(step, true);
    try {
      return this.tagsOf(declaration, type, false);
    } finally {
      this.trail = saved;
    }
  }

  /** The keywords of a parameter's own JSDoc (`/** @minimum 0 *\/ amount: number`), with the path that reaches it. */
  readParamKeywords(param: Node, steps: readonly string[], type: TypeNode): TagKeywords {
    const saved = this.trail;
    for (const text of steps) this.#step(text, false);
    try {
      return this.tagsOf(param, type, true);
    } finally {
      this.trail = saved;
    }
  }

  /**
   * Checks, once `model` holds every type, that the keywords read fit their members' types, and that
   * no tagged alias was used where TypeScript forgets it (`Name[]`), which would drop its keywords.
   */
  checkKeywords(model: Model): Diagnostic[] {
    const lost: Diagnostic[] = [];
    const seen = new Set<Node>(this.aliasSites);
    for (const root of this.roots) {
      for (const { reference, diagnostic } of this.reads ? this.reads.references(root, (r) => this.#lostAliases(r)) : this.#lostAliases(root)) {
        if (seen.has(reference)) continue;
        seen.add(reference);
        if (diagnostic) lost.push(diagnostic);
      }
    }
    return [...checkKeywords(model, this.pendingKeywords), ...lost];
  }

  /**
   * The type references in `root` (itself included) that may name a tagged alias, each with the JG1022 it
   * gets unless read as one. The others, nearly all, get none, and are left out unwrapped.
   */
  #lostAliases(root: Node): { reference: Node; diagnostic: Diagnostic | undefined }[] {
    const checker = root.getProject().getTypeChecker().compilerObject;
    const references: Node[] = [];
    forEachSyntax(root.compilerNode, (node) => {
      if (mayNameTaggedAlias(node, checker)) references.push(node === root.compilerNode ? root : wrapSyntax(root, node));
    });
    return references.map((reference) => {
      const alias = taggedAliasAt(reference);
      if (!alias) return { reference, diagnostic: undefined };
      const message = `The JSDoc keywords of '${alias.getName()}' would be lost here: inside another type, TypeScript keeps no trace of an alias of '${reference.getType().getText()}'.`;
      return { reference, diagnostic: { code: "JG1022", severity: "error", message, hint: `declare a member or parameter as '${alias.getName()}' itself, or put the tags on this member`, span: spanOf(reference, this.cwd) } };
    });
  }

  private tagsOf(node: Node, type: TypeNode, param: boolean): TagKeywords {
    const [diagnostics, pending]: [Diagnostic[], PendingKeyword[]] = [[], []];
    const trail = this.trail;
    const path = once(() => this.path(trail));
    // The path is made only for a diagnostic or a keyword to check: most members have neither.
    const tagged = readKeywords(node, type, { cwd: this.cwd, get path() { return path(); }, param }, diagnostics, pending);
    diagnostics.forEach((d) => this.#addDiagnostic(d));
    pending.forEach((p) => this.#addPending(p));
    return tagged;
  }

  report(severity: Severity, code: string, message: string, hint?: string): void {
    const span = spanOf(this.site, this.cwd);
    const path = this.path();
    const diagnostic: Diagnostic = { code, severity, message, ...(hint ? { hint } : {}), span, ...(path ? { path } : {}) };
    this.#record({ kind: "report", diagnostic });
    this.#addReported(diagnostic);
  }

  /** A diagnostic reported at a node: one per code, message and position. */
  #addReported(diagnostic: Diagnostic): void {
    const { code, message, span } = diagnostic;
    const duplicate = this.diagnostics.some((d) => d.code === code && d.message === message && d.span?.file === span?.file && d.span?.line === span?.line && d.span?.column === span?.column);
    if (!duplicate) this.diagnostics.push(diagnostic);
  }

  #addDiagnostic(diagnostic: Diagnostic): void {
    this.#record({ kind: "diagnostic", diagnostic });
    this.diagnostics.push(diagnostic);
  }

  #addPending(pending: PendingKeyword): void {
    this.#record({ kind: "pending", pending });
    this.pendingKeywords.push(pending);
  }

  #addAliasSite(site: Node): void {
    this.#record({ kind: "alias-site", site });
    this.aliasSites.add(site);
  }

  typeText(type: Type): string {
    return type.getText(this.site, TypeFormatFlags.UseAliasDefinedOutsideCurrentScope | TypeFormatFlags.NoTruncation);
  }

  private readWith(type: Type, body: boolean): TypeNode {
    if (this.#depth >= maxTypeDepth) {
      this.report("error", "JG1033", `This type nests deeper than ${maxTypeDepth} levels; the generator reads no deeper.`, "name the inner levels (an interface or type alias each): a named type is one definition, however deep it is used");
      return { kind: "any", ts: "unknown" };
    }
    this.#depth++;
    try {
      for (const kind of kinds) {
        if (body && kind.kind === "ref") continue;
        const node = kind.read(type, this);
        if (node) return node;
      }
    } finally {
      this.#depth--;
    }
    const { code, message, hint } = explainUnsupported(type, this.typeText(type));
    this.report("error", code, message, hint);
    return { kind: "any", ts: "unknown" };
  }

  /**
   * For an optional member, TypeScript adds `undefined` to the type and so drops its alias
   * (`category?: Category` reads as an anonymous union); the declared type node keeps it. Not in a
   * generic type, though: there the node's type is the declaration's (`v?: T`), not the instance's.
   */
  private readDeclared(type: Type, site: Node, optional: boolean): TypeNode {
    const declared = optional && Node.isTypeNode(site) ? sameBesidesUndefined(site.getType(), type) : type;
    const alias = taggedAliasAt(site);
    if (alias) {
      // TypeScript forgot the alias, but its tags must not be: it becomes a named type after all.
      this.#addAliasSite(site);
      return this.withSite(site, undefined, () => ({ kind: "ref", name: this.defineNamed(alias.getName(), alias, declared, this.readDoc(alias)) }));
    }
    return this.withSite(site, optional ? declared : undefined, () => this.read(declared));
  }

  private withSite<T>(site: Node, optionalTop: Type | undefined, run: () => T): T {
    const [savedSite, savedOptional] = [this.site, this.optionalTop];
    this.site = site;
    this.optionalTop = optionalTop;
    try {
      return run();
    } finally {
      this.site = savedSite;
      this.optionalTop = savedOptional;
    }
  }

  #step(text: string, member: boolean): void {
    this.trail = { step: { text, member }, up: this.trail };
  }

  /** The steps taken since `base` (a trail this one extends), outermost first. */
  #stepsSince(base: Trail | undefined): Step[] {
    const steps: Step[] = [];
    for (let at = this.trail; at !== base && at !== undefined; at = at.up) steps.push(at.step);
    return steps.reverse();
  }

  private path(trail = this.trail): string {
    let out = "";
    const steps: Step[] = [];
    for (let at = trail; at !== undefined; at = at.up) steps.push(at.step);
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i]!;
      out += out === "" ? step.text : step.member ? `.${step.text}` : ` → ${step.text}`;
    }
    return out;
  }
}

/** `declared` when it is `type` but for `undefined` (the same types, as TypeScript keeps each once), else `type`. */
function sameBesidesUndefined(declared: Type, type: Type): Type {
  const members = (t: Type) => new Set((t.isUnion() ? t.getUnionTypes() : [t]).filter((m) => !m.isUndefined()).map((m) => m.compilerType));
  const [a, b] = [members(declared), members(type)];
  return a.size === b.size && [...a].every((m) => b.has(m)) ? declared : type;
}

/** `make`, called once, on first use. */
function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) [value, made] = [make(), true];
    return value!;
  };
}
