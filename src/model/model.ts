/**
 * The model: plain, JSON-serialisable data the analyzer builds and every emitter reads. Nothing here
 * knows ts-morph, so a model can be dumped (`--emit model`), compared in tests and read by other tools.
 */
import type { TypeNode } from "../kinds/index.js";
import type { Keywords } from "./keywords.js";

export type { TypeNode };
export type { Keywords };

/** Where something is in the user's sources. Lines and columns are 1-based; `file` is relative to the cwd. */
export interface SourceSpan {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** JSDoc carried from the source: the text and the block tags (`@minimum 0` → `{ name: "minimum", text: "0" }`). */
export interface Doc {
  text: string;
  tags: DocTag[];
}

export interface DocTag {
  name: string;
  text: string;
}

export interface Param {
  name: string;
  /** May be left out: declared `p?: T`, or `p: T | undefined` (then `undefinedValue`). */
  optional: boolean;
  /** Declared `p: T | undefined` rather than `p?: T`; `type` is `T`. */
  undefinedValue?: true;
  type: TypeNode;
  /** Its JSDoc text, or what the method's `@param <name>` tag says. */
  description?: string;
  /** What the tags of its own JSDoc set (`/** @minimum 0 *\/ amount: number`). */
  keywords?: Keywords;
  span: SourceSpan;
}

/**
 * `query` for `Promise<T>` returns, `send` for `void` returns, `stream` for `AsyncIterable<T>` (or
 * `AsyncGenerator<T>`, `AsyncIterableIterator<T>`) returns (see DESIGN.md).
 */
export type MethodKind = "query" | "send" | "stream";

export interface Method {
  name: string;
  kind: MethodKind;
  params: Param[];
  /** The reply's type for queries, each item's type for streams; `null` for sends and for `Promise<void>`. */
  result: TypeNode | null;
  /**
   * For a stream declared to return `AsyncGenerator<T>` or `AsyncIterableIterator<T>`, that name, so the
   * generated client and skeleton promise the same; absent for `AsyncIterable<T>`.
   */
  iterator?: "AsyncGenerator" | "AsyncIterableIterator";
  doc: Doc | null;
  span: SourceSpan;
}

export interface Service {
  name: string;
  /** `/calculator`: kebab-case of the name unless an `@address` tag says otherwise. */
  address: string;
  /** Output file stem, `calculator`: kebab-case of the name. */
  fileStem: string;
  /** The source file that declares the interface (relative to the cwd). */
  file: string;
  doc: Doc | null;
  span: SourceSpan;
  methods: Method[];
}

/** A named type (interface, type alias or enum) reachable from a service; becomes a `$defs` entry. */
export interface NamedType {
  /** The `$defs` key, unique in the model. */
  name: string;
  /** The TypeScript name generated code imports, when it differs from `name` (generic instances). */
  typeName?: string;
  /** The package generated code imports it from, for a type declared in `node_modules`. */
  module?: string;
  file: string;
  /** Whether the declaration is exported (generated code imports it by name). */
  exported: boolean;
  doc: Doc | null;
  /** What the tags on its declaration set for the whole type (`@minLength 1` on `type Name = string`). */
  keywords?: Keywords;
  span: SourceSpan;
  type: TypeNode;
}

export interface Model {
  /** Bumped when the model's shape changes in a way tools reading `--emit model` would notice. */
  modelVersion: 1;
  services: Service[];
  /** Keyed by name, sorted by name. */
  types: Record<string, NamedType>;
}
