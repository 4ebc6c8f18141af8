/**
 * The registry of type kinds, in priority order: the first kind whose `read` returns a node wins.
 * A new kind is one new file plus one line here; `TypeNode` is inferred from this list.
 */
import { anyKind } from "./any.js";
import { arrayKind } from "./array.js";
import { dateKind } from "./date.js";
import type { Kind } from "./kind.js";
import { literalKind } from "./literal.js";
import { namedKind } from "./named.js";
import { objectKind } from "./object.js";
import { brandKind } from "./brand.js";
import { booleanKind, nullKind, numberKind, stringKind } from "./primitive.js";
import { tupleKind } from "./tuple.js";
import { unionKind } from "./union.js";

export const kinds = [
  anyKind,
  dateKind, // before the named and object kinds: Date is an interface of the standard library
  namedKind, // before union and object: a named union or interface becomes a $defs entry
  nullKind,
  stringKind,
  numberKind,
  booleanKind,
  literalKind,
  arrayKind,
  tupleKind,
  unionKind,
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

export type { Kind, ReadContext, RenderContext } from "./kind.js";
export type { ArrayNode } from "./array.js";
export type { LiteralNode } from "./literal.js";
export type { ObjectNode, Property } from "./object.js";
export type { RefNode } from "./named.js";
export type { UnionNode } from "./union.js";
export type { TupleElement, TupleNode } from "./tuple.js";
export type { BrandNode } from "./brand.js";
export type { AnyNode } from "./any.js";
export type { DateNode } from "./date.js";
