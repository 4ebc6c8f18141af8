/**
 * The contract of a type kind: how one kind of TypeScript type is read into the model and rendered
 * back out. Each kind lives in its own file; `kinds/index.ts` lists them in priority order.
 */
import type { Node, Type } from "ts-morph";
import type { Doc } from "../model/model.js";
import type { TagKeywords } from "../model/keywords.js";
import type { JsonSchema } from "../validators/json-schema.js";
import type { TypeNode } from "./index.js";

export interface Kind<N extends { kind: string }> {
  readonly kind: N["kind"];
  /** Returns the model node when `type` is of this kind (or what it simplifies to, such as a union of one), `undefined` to let the next kind try. */
  read(type: Type, cx: ReadContext): N | TypeNode | undefined;
  /** The TypeScript text of the node, as generated signatures spell it. */
  tsType(node: N, cx: RenderContext): string;
  /** The JSON Schema of the node's wire form. */
  schema(node: N, cx: RenderContext): JsonSchema;
  /**
   * Code of a `Reviver` that turns the wire form back into the TypeScript value, or `undefined` when
   * the parsed JSON already is that value (the common case, which costs nothing at run time).
   */
  revive(node: N, cx: RenderContext): string | undefined;
  /**
   * Code of an `Encoder`, the inverse of `revive`: it turns the TypeScript value into the wire form,
   * copying what it changes. `undefined` exactly when `revive` is, but for objects under
   * `unknownProperties: "strip"`, which revive (deleting unknown keys) and encode as they are.
   */
  encode(node: N, cx: RenderContext): string | undefined;
  /**
   * What the runtime's `valueTypeOf` says of the node's TypeScript values (`"date"`, `"bigint"`, `"map"`,
   * ...), when that is not simply the JSON types of its wire form (`cx.wireTypes`). Unions use it to tell
   * which member a value to encode belongs to.
   */
  valueTypes?(node: N, cx: RenderContext): ReadonlySet<string>;
}

/** What a kind's `read` may ask of the analyzer. */
export interface ReadContext {
  /** Reads a nested type (array items, union members, property types). */
  read(type: Type): TypeNode;
  /**
   * Reads a member's type (a property, an index signature's values, a tuple element) at `site`, its
   * declaration, or where the reader is when there is none: an optional member drops `undefined`.
   */
  readMember(type: Type, site: Node | undefined, step: string, optional: boolean): TypeNode;
  /** Reads the body of a named type, skipping the check that would turn it into a reference again. */
  readBody(type: Type): TypeNode;
  /** Whether `type` is the declared type of an optional member being read (so `undefined` is implied). */
  isOptionalTop(type: Type): boolean;
  /**
   * Registers a named type (interface or alias) declared in the user's code and returns its model
   * name; reads its body once, so recursion ends in a reference. `typeName` is the TypeScript name to
   * import when it differs from `name` (a generic instance).
   */
  defineNamed(name: string, declaration: Node, type: Type, doc: Doc | null, typeName?: string): string;
  /** Reads the JSDoc of a declaration. */
  readDoc(node: Node): Doc | null;
  /**
   * Reads the schema keywords the JSDoc tags of a member's declaration set (`@minimum 0`), and
   * returns its type as `@integer` leaves it. `step` is the member's name, for diagnostics.
   */
  readKeywords(declaration: Node, step: string, type: TypeNode): TagKeywords;
  /** Records an error or warning at the member being read, with the path that reaches it. */
  report(severity: "error" | "warning", code: string, message: string, hint?: string): void;
  /** The type's text as TypeScript prints it, for messages. */
  typeText(type: Type): string;
}

/**
 * Schema semantics a project chooses (`GenerateOptions.schema`, CLI `--unknown-properties`, `--unions`).
 * - `unknownProperties`: `reject` closes objects (`additionalProperties: false`); `allow` leaves them
 *   open and passes unknown keys through; `strip` leaves them open and the receiver's revivers delete
 *   the keys an object's type does not name, at any depth.
 * - `unions`: what a union of non-literal members without a discriminator emits, `anyOf` or `oneOf`.
 */
export interface SchemaOptions {
  unknownProperties: "reject" | "allow" | "strip";
  unions: "anyOf" | "oneOf";
}

export const defaultSchemaOptions: Readonly<SchemaOptions> = { unknownProperties: "reject", unions: "anyOf" };

/** What a kind's renderers may ask of the emitter. */
export interface RenderContext {
  /** The project's schema semantics. */
  readonly options: Readonly<SchemaOptions>;
  tsType(node: TypeNode): string;
  schema(node: TypeNode): JsonSchema;
  revive(node: TypeNode): string | undefined;
  encode(node: TypeNode): string | undefined;
  /** The JSON types (`"string"`, `"object"`, ...; `integer` counts as `number`) the node's wire form may have. */
  wireTypes(node: TypeNode): ReadonlySet<string>;
  /** What the runtime's `valueTypeOf` may say of the node's TypeScript values (see `Kind.valueTypes`). */
  valueTypes(node: TypeNode): ReadonlySet<string>;
  /** The node itself, or for a reference the named type's body (through chains of aliases). */
  resolve(node: TypeNode): TypeNode;
  /** Notes that generated code names this user type, so the emitter imports it. */
  useType(name: string): void;
  /** Notes that generated code calls this runtime export, so the emitter imports it. */
  useRuntime(name: string): void;
  /** Code naming the reviver of a named type, or `undefined` when its wire form needs none. */
  reviveNamed(name: string): string | undefined;
  /** Code naming the encoder of a named type, or `undefined` when its values need none. */
  encodeNamed(name: string): string | undefined;
  /** Records that this node cannot be rendered; the emitter's check turns it into a diagnostic (JG2001). */
  unsupported(message: string, hint?: string): void;
}
