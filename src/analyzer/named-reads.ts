/**
 * What reading a named type did, kept for one analysis run so that the next input file reaching the same
 * type (services share their domain's types) replays it instead of walking the type again through
 * ts-morph, which was most of the analysis.
 *
 * Each input file still gets its own reader and its own result (watch mode re-reads files one by one),
 * so a replay must do exactly what reading would have done in that reader: define the type, then, in the
 * order reading did them, report its diagnostics (at the path that reaches it in this file), record its
 * keyword checks and tagged-alias sites, and define the named types it refers to, each only if this reader
 * does not know it yet, as reading would. A `NamedRead` therefore keeps events, not results: the named
 * types it refers to are events too, replayed (or read) in turn.
 *
 * It also keeps what a reader asks of a declaration alone, whichever file reaches it: its JSDoc, the
 * type references in it (the tagged aliases they lose), and the package its folder belongs to.
 *
 * Valid for one program only: types and nodes of another program are other objects.
 */
import type { Node, Type } from "ts-morph";
import type { Diagnostic } from "../diagnostics.js";
import type { Doc, NamedType } from "../model/model.js";
import type { PendingKeyword } from "./keywords.js";

/** One step of the path of a diagnostic: a type or parameter (`→ Name`), or a member (`.name`). */
export interface Step {
  text: string;
  /** A member step (`at`) joins the type step before it with a dot: `Entry.at`. */
  member: boolean;
}

export type ReadEvent =
  /** Through `report`: skipped when the reader has the same diagnostic already. */
  | { readonly kind: "report"; readonly diagnostic: Diagnostic }
  /** Added as it is (a malformed JSDoc tag). */
  | { readonly kind: "diagnostic"; readonly diagnostic: Diagnostic }
  | { readonly kind: "pending"; readonly pending: PendingKeyword }
  | { readonly kind: "alias-site"; readonly site: Node }
  /** A named type referred to, at `steps` below the type's own path, with `site` the node being read. */
  | {
      readonly kind: "child";
      readonly steps: readonly Step[];
      readonly site: Node;
      readonly name: string;
      readonly declaration: Node;
      readonly type: Type;
      readonly doc: Doc | null;
      readonly typeName: string | undefined;
    };

export interface NamedRead {
  readonly name: string;
  readonly declaration: Node;
  readonly type: Type;
  readonly typeName: string | undefined;
  /** The model entry, shared by every file that reaches the type. */
  entry: NamedType | undefined;
  /** The diagnostic path where it was read (made on first use); the paths its events hold start with it. */
  readonly prefix: () => string;
  readonly events: ReadEvent[];
}

/** The named types read in one analysis run, and what was read of declarations. */
export class NamedReads {
  readonly #reads = new Map<object, NamedRead[]>();
  readonly #docs = new Map<object, Doc | null>();
  readonly #references = new Map<object, unknown[]>();
  /** The workspace package of each folder holding a declaration, for `packageOf`, which fills it. */
  readonly packageFolders = new Map<string, string | undefined>();

  find(name: string, declaration: Node, type: Type, typeName: string | undefined): NamedRead | undefined {
    return this.#reads.get(declaration.compilerNode)?.find((r) => r.name === name && r.typeName === typeName && r.type.compilerType === type.compilerType);
  }

  add(read: NamedRead): void {
    const key = read.declaration.compilerNode;
    const list = this.#reads.get(key);
    if (list) list.push(read);
    else this.#reads.set(key, [read]);
  }

  /** The type references in a root of a reader (a declaration, a signature's type), listed once. */
  references<T>(root: Node, list: (root: Node) => T[]): T[] {
    let found = this.#references.get(root.compilerNode) as T[] | undefined;
    if (!found) this.#references.set(root.compilerNode, (found = list(root)));
    return found;
  }

  /** A declaration's JSDoc, read once. */
  doc(node: Node, read: (node: Node) => Doc | null): Doc | null {
    const key = node.compilerNode;
    if (this.#docs.has(key)) return this.#docs.get(key)!;
    const doc = read(node);
    this.#docs.set(key, doc);
    return doc;
  }
}

/** A diagnostic with its path moved from under `from` to under `to`. */
export function rebased<T extends { path?: string }>(item: T, from: () => string, to: () => string): T {
  return item.path === undefined ? item : { ...item, path: to() + item.path.slice(from().length) };
}
