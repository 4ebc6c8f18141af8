/**
 * The registry of type kinds, in priority order: the first kind whose `read` returns a node wins.
 * A new kind is one new file plus one line here; `TypeNode` is inferred from this list.
 */
import { anyKind } from "./any.js";
import { arrayKind } from "./array.js";
import { bigintKind } from "./bigint.js";
import { bytesKind } from "./bytes.js";
import { dateKind } from "./date.js";
import { enumKind, enumMemberKind, enumRefKind } from "./enum.js";
import { integerKind } from "./integer.js";
import type { Kind } from "./kind.js";
import { literalKind } from "./literal.js";
import { mapKind } from "./map.js";
import { namedKind } from "./named.js";
import { objectKind } from "./object.js";
import { brandKind } from "./brand.js";
import { booleanKind, nullKind, numberKind, stringKind } from "./primitive.js";
import { setKind } from "./set.js";
import { tupleKind } from "./tuple.js";
import { templateLiteralKind } from "./template-literal.js";
import { unionKind } from "./union.js";

export const kinds = [
  anyKind,
  dateKind, // before the named and object kinds: Date is an interface of the standard library
  bytesKind, // Uint8Array, Map and Set too
  mapKind,
  setKind,
  namedKind, // before union and object: a named union or interface becomes a $defs entry
  enumRefKind, // a `ref` kind too: an enum is a named type, so its body (enumKind) is read like an alias's
  enumKind,
  enumMemberKind, // before literal: `Color.Red` is a string literal type as well
  nullKind,
  stringKind,
  numberKind,
  booleanKind,
  bigintKind,
  literalKind,
  templateLiteralKind,
  arrayKind,
  tupleKind,
  unionKind,
  integerKind, // before brand: `number & { readonly __integer: true }` is the integer brand
  brandKind, // before object: an intersection with one primitive member is a branded primitive
  objectKind,
] as const;

type NodeOf<K> = K extends Kind<infer N> ? N : never;

/** A type in the model: one node shape per kind, discriminated on `kind`. */
export type TypeNode = NodeOf<(typeof kinds)[number]>;

const byKind = new Map<string, Kind<TypeNode>>(kinds.map((k) => [k.kind, k as unknown as Kind<TypeNode>]));

/** The kind that renders `node`. */
export function kindOf(node: TypeNode): Kind<TypeNode> {
  const kind = byKind.get(node.kind);
  if (!kind) throw new Error(`no kind registered for '${node.kind}'`);
  return kind;
}

export type { Kind, ReadContext, RenderContext, SchemaOptions } from "./kind.js";
export { defaultSchemaOptions } from "./kind.js";
export type { ArrayNode } from "./array.js";
export type { LiteralNode } from "./literal.js";
export type { ObjectNode, Property } from "./object.js";
export type { RefNode } from "./named.js";
export type { UnionNode } from "./union.js";
export type { TupleElement, TupleNode } from "./tuple.js";
export type { BrandNode } from "./brand.js";
export type { AnyNode } from "./any.js";
export type { DateNode } from "./date.js";
export type { BigIntNode } from "./bigint.js";
export type { BytesNode } from "./bytes.js";
export type { MapNode } from "./map.js";
export type { SetNode } from "./set.js";
export type { EnumMemberNode, EnumNode } from "./enum.js";
export type { IntegerNode } from "./integer.js";
export type { TemplateLiteralNode } from "./template-literal.js";
