/**
 * Literal types: `"add"`, `42`, `true`. Emits `{ "const": value }` (a union of literals becomes an
 * `enum` in union.ts). Nothing to revive.
 */
import type { Kind } from "./kind.js";

export interface LiteralNode {
  kind: "literal";
  value: string | number | boolean;
}

export const literalKind: Kind<LiteralNode> = {
  kind: "literal",
  read(type) {
    if (type.isBooleanLiteral()) return { kind: "literal", value: type.getText() === "true" };
    if (type.isStringLiteral() || type.isNumberLiteral()) {
      const value = type.getLiteralValue();
      if (typeof value === "string" || typeof value === "number") return { kind: "literal", value };
    }
    return undefined;
  },
  tsType: (node) => JSON.stringify(node.value),
  schema: (node) => ({ const: node.value }),
  revive: () => undefined,
  encode: () => undefined,
};
