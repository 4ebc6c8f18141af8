/**
 * The analyzer's side of the `ReadContext` that kinds use: it runs the kinds in priority order,
 * keeps the named-type graph, and records diagnostics with the span and path of the member being read.
 * Given the run's `NamedReads`, a named type another file's reader read already is replayed rather than
 * read again (see named-reads.ts): the same result, without walking the type through ts-morph.
 */
import { Node, ts, type Type, TypeFormatFlags } from "ts-morph";
import type { Diagnostic, Severity } from "../diagnostics.js";
import { kinds, type ReadContext, type TypeNode } from "../kinds/index.js";
import type { TagKeywords } from "../model/keywords.js";
import type { Doc, Model, NamedType } from "../model/model.js";
import { checkKeywords } from "./keyword-checks.js";
import { type PendingKeyword, readKeywords, taggedAliasAt } from "./keywords.js";
import { type NamedRead, type NamedReads, type ReadEvent, rebased, type Step } from "./named-reads.js";
import { packageOf } from "./packages.js";
import { forEachSyntax, readDoc, relativeFile, spanOf, wrapSyntax } from "./source.js";
import { explainUnsupported } from "./unsupported.js";

// `packageOf` lives with the other package lookups; re-exported for the tests that name it here.
export { packageOf } from "./packages.js";

export class TypeReader implements ReadContext {
  readonly diagnostics: Diagnostic[] = [];
  readonly types = new Map<string, NamedType>();
  /** JSDoc keywords to check against their members' types once the model is complete. */
  private readonly pendingKeywords: PendingKeyword[] = [];
  /** What was read (signatures' type nodes, named declarations) and the tagged-alias references read as such. */
  private readonly roots: Node[] = [];
  private readonly aliasSites = new Set<Node>();
  private readonly declarations = new Map<string, Node>();
  private readonly steps: Step[] = [];
  private site: Node;
  private optionalTop: Type | undefined;
  /** The named types being read, innermost last, with the length of `steps` where each began; `null` while replaying. */
  readonly #recording: ({ read: NamedRead; stepBase: number } | null)[] = [];

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
    const saved = this.steps.length;
    this.steps.push(...steps.map((text) => ({ text, member: false })));
    try {
      return this.readDeclared(type, site, optional);
    } finally {
      this.steps.length = saved;
    }
  }

  /** Records a diagnostic at a node that is not a type being read (a method, a parameter). */
  reportAt(site: Node, steps: readonly string[], severity: Severity, code: string, message: string, hint?: string): void {
    const saved = this.steps.length;
    this.steps.push(...steps.map((text) => ({ text, member: false })));
    try {
      this.withSite(site, undefined, () => this.report(severity, code, message, hint));
    } finally {
      this.steps.length = saved;
    }
  }

  read(type: Type): TypeNode {
    return this.readWith(type, false);
  }

  readBody(type: Type): TypeNode {
    return this.readWith(type, true);
  }

  readMember(type: Type, declaration: Node | undefined, step: string, optional: boolean): TypeNode {
    this.steps.push({ text: step, member: true });
    const site = declaration === undefined ? this.site : ((Node.isPropertySignature(declaration) || Node.isPropertyDeclaration(declaration) ? declaration.getTypeNode() : undefined) ?? declaration);
    try {
      return declaration === undefined ? this.withSite(site, optional ? type : undefined, () => this.read(type)) : this.readDeclared(type, site, optional);
    } finally {
      this.steps.pop();
    }
  }

  isOptionalTop(type: Type): boolean {
    return this.optionalTop === type;
  }

  defineNamed(name: string, declaration: Node, type: Type, doc: Doc | null, typeName?: string): string {
    const top = this.#recording.at(-1);
    if (top) this.#record({ kind: "child", steps: this.steps.slice(top.stepBase), site: this.site, name, declaration, type, doc, typeName });
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
    const prefix = this.path();
    // A path always leads to a named type (a method's parameter or result); without one, no replay.
    const earlier = prefix === "" ? undefined : this.reads?.find(name, declaration, type, typeName);
    if (earlier?.entry) {
      this.#replay(earlier, prefix);
      return name;
    }
    const read: NamedRead = { name, declaration, type, typeName, entry: undefined, prefix, events: [] };
    this.#recording.push({ read, stepBase: this.steps.length });
    try {
      read.entry = this.#read(name, declaration, type, doc, typeName);
    } finally {
      this.#recording.pop();
    }
    if (prefix !== "") this.reads?.add(read);
    return name;
  }

  /** Does again what reading `read` did, in this reader, at the path `prefix`. */
  #replay(read: NamedRead, prefix: string): void {
    this.declarations.set(read.name, read.declaration);
    this.roots.push(read.declaration);
    this.types.set(read.name, read.entry!);
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
            const [savedSteps, savedSite] = [this.steps.length, this.site];
            this.steps.push(...event.steps);
            this.site = event.site;
            try {
              this.#define(event.name, event.declaration, event.type, event.doc, event.typeName);
            } finally {
              this.steps.length = savedSteps;
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

  /** Reads a named type's declaration and body into its model entry. */
  #read(name: string, declaration: Node, type: Type, doc: Doc | null, typeName: string | undefined): NamedType {
    this.declarations.set(name, declaration);
    this.roots.push(declaration);
    const exported = Node.isExportable(declaration) && declaration.isExported();
    const filePath = declaration.getSourceFile().getFilePath();
    const module = packageOf(filePath, this.outDir);
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
    this.steps.push({ text: name, member: false });
    const bodySite = Node.isTypeAliasDeclaration(declaration) ? (declaration.getTypeNode() ?? declaration) : declaration;
    try {
      entry.type = this.withSite(bodySite, undefined, () => this.readBody(type));
      const tagged = this.tagsOf(declaration, entry.type, false);
      entry.type = tagged.type;
      if (tagged.keywords) entry.keywords = tagged.keywords;
    } finally {
      this.steps.pop();
    }
    return entry;
  }

  /** The files declaring the named types read so far, absolute. */
  declarationFiles(): Set<string> {
    return new Set([...this.declarations.values()].map((d) => d.getSourceFile().getFilePath()));
  }

  readDoc(node: Node): Doc | null {
    return this.reads ? this.reads.doc(node, readDoc) : readDoc(node);
  }

  readKeywords(declaration: Node, step: string, type: TypeNode): TagKeywords {
    this.steps.push({ text: step, member: true });
    try {
      return this.tagsOf(declaration, type, false);
    } finally {
      this.steps.pop();
    }
  }

  /** The keywords of a parameter's own JSDoc (`/** @minimum 0 *\/ amount: number`), with the path that reaches it. */
  readParamKeywords(param: Node, steps: readonly string[], type: TypeNode): TagKeywords {
    const saved = this.steps.length;
    this.steps.push(...steps.map((text) => ({ text, member: false })));
    try {
      return this.tagsOf(param, type, true);
    } finally {
      this.steps.length = saved;
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

  /** The type references in `root` (itself included), each with the JG1022 it gets unless read as a tagged alias. */
  #lostAliases(root: Node): { reference: Node; diagnostic: Diagnostic | undefined }[] {
    const references = [root];
    forEachSyntax(root.compilerNode, (node) => {
      if (node !== root.compilerNode && ts.isTypeReferenceNode(node)) references.push(wrapSyntax(root, node));
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
    const tagged = readKeywords(node, type, { cwd: this.cwd, path: this.path(), param }, diagnostics, pending);
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
    for (const kind of kinds) {
      if (body && kind.kind === "ref") continue;
      const node = kind.read(type, this);
      if (node) return node;
    }
    const { code, message, hint } = explainUnsupported(type, this.typeText(type));
    this.report("error", code, message, hint);
    return { kind: "any", ts: "unknown" };
  }

  /**
   * For an optional member, TypeScript adds `undefined` to the type and so drops its alias
   * (`category?: Category` reads as an anonymous union); the declared type node keeps it.
   */
  private readDeclared(type: Type, site: Node, optional: boolean): TypeNode {
    const declared = optional && Node.isTypeNode(site) ? site.getType() : type;
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

  private path(): string {
    let out = "";
    for (const step of this.steps) out += out === "" ? step.text : step.member ? `.${step.text}` : ` → ${step.text}`;
    return out;
  }
}
