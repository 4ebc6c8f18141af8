/**
 * Branded primitives: `string & { readonly __brand: "UserId" }`. The brand exists only for the type
 * checker, so the value travels as the primitive and the schema is the primitive's. Usually declared as
 * an alias (`type UserId = …`), which makes it a named `$defs` entry like any alias.
 */
import type { Kind } from "./kind.js";
import type { TypeNode } from "./index.js";

export interface BrandNode {
  kind: "brand";
  base: TypeNode;
  /** The TypeScript text of the brand part, `{ readonly __brand: "UserId" }`, kept so signatures match. */
  brand: string;
}

export const brandKind: Kind<BrandNode> = {
  kind: "brand",
  read(type, cx) {
    if (!type.isIntersection()) return undefined;
    const members = type.getIntersectionTypes();
    const primitives = members.filter((m) => m.isString() || m.isNumber() || m.isBoolean());
    const brands = members.filter((m) => m.isObject() && m.getCallSignatures().length === 0);
    if (primitives.length !== 1 || primitives.length + brands.length !== members.length) return undefined;
    // A brand that is a named type would need importing into generated code; an inline one is self-contained.
    if (!brands.every((b) => b.isAnonymous())) {
      cx.report("error", "JG1031", `The brand of '${cx.typeText(type)}' must be an inline object type.`, "write the brand inline, e.g. string & { readonly __brand: \"UserId\" }");
    }
    return { kind: "brand", base: cx.read(primitives[0]!), brand: brands.map((b) => cx.typeText(b)).join(" & ") };
  },
  tsType: (node, cx) => `${cx.tsType(node.base)} & ${node.brand}`,
  schema: (node, cx) => cx.schema(node.base),
  revive: () => undefined,
  encode: () => undefined,
};
