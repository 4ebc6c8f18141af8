/**
 * Integers: `number & { readonly __integer: true }` (the integer brand, usually named by an alias,
 * `type Int = number & { readonly __integer: true }`), or a `number` whose member, parameter or
 * alias carries a JSDoc `@integer` / `@type integer` tag (see `analyzer/keywords.ts`). Emits
 * `{ "type": "integer" }`; the TypeScript type stays `number`, or the branded intersection.
 */
import type { Type } from "ts-morph";
import type { Kind } from "./kind.js";
import type { TypeNode } from "./index.js";

export interface IntegerNode {
  kind: "integer";
  /** The brand's TypeScript text, `{ readonly __integer: true }`, when the type is the branded one. */
  brand?: string;
}

export const integerKind: Kind<IntegerNode> = {
  kind: "integer",
  read(type, cx) {
    if (!type.isIntersection()) return undefined;
    const members = type.getIntersectionTypes();
    const brand = members.find((m) => !m.isNumber());
    if (members.length !== 2 || !members.some((m) => m.isNumber()) || !brand || !isIntegerBrand(brand)) return undefined;
    return { kind: "integer", brand: cx.typeText(brand) };
  },
  tsType: (node) => (node.brand ? `number & ${node.brand}` : "number"),
  schema: () => ({ type: "integer" }),
  revive: () => undefined,
  encode: () => undefined,
};

/** An object type whose one member is `__integer: true`. */
function isIntegerBrand(type: Type): boolean {
  const [only, ...others] = type.getProperties();
  if (!type.isObject() || !only || others.length > 0 || only.getName() !== "__integer" || only.isOptional()) return false;
  const declaration = only.getValueDeclaration() ?? only.getDeclarations()[0];
  const member = declaration ? only.getTypeAtLocation(declaration) : undefined;
  return member?.isBooleanLiteral() === true && member.getText() === "true";
}

/**
 * The node an `@integer` tag makes of a member's type: `number` becomes an integer, and so does the
 * `number` of a union (`number | null`); an integer stays one. `undefined` when the type holds no number.
 */
export function asInteger(node: TypeNode): TypeNode | undefined {
  if (node.kind === "number") return { kind: "integer" };
  if (node.kind === "integer") return node;
  if (node.kind !== "union" || !node.members.some((m) => m.kind === "number")) return undefined;
  return { ...node, members: node.members.map((m) => (m.kind === "number" ? { kind: "integer" } : m)) };
}
