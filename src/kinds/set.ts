/**
 * `Set<T>` and `ReadonlySet<T>`: travel as a JSON array of the items, in the Set's order, and are
 * revived to a Set. The schema adds `uniqueItems: true` when the items are primitives (strings, numbers,
 * booleans, `bigint`s, null): then a Set's "same value" and JSON equality agree, and every item has its
 * own wire text. For items that are objects (a `Date` among them) a Set compares by identity, so two
 * equal items are allowed, and `uniqueItems` would wrongly refuse them; it is left out.
 */
import type { Kind } from "./kind.js";
import type { TypeNode } from "./index.js";
import { isStandardLibrary } from "./library.js";

export interface SetNode {
  kind: "set";
  items: TypeNode;
  readonly: boolean;
}

const primitives: ReadonlySet<string> = new Set(["string", "number", "boolean", "bigint", "null"]);

export const setKind: Kind<SetNode> = {
  kind: "set",
  read(type, cx) {
    const symbol = type.getSymbol();
    const name = symbol?.getName();
    if ((name !== "Set" && name !== "ReadonlySet") || !symbol?.getDeclarations().some(isStandardLibrary)) return undefined;
    const [items] = type.getTypeArguments();
    return items ? { kind: "set", items: cx.read(items), readonly: name === "ReadonlySet" } : undefined;
  },
  tsType: (node, cx) => `${node.readonly ? "ReadonlySet" : "Set"}<${cx.tsType(node.items)}>`,
  schema(node, cx) {
    const unique = [...cx.valueTypes(node.items)].every((t) => primitives.has(t));
    return { type: "array", items: cx.schema(node.items), ...(unique ? { uniqueItems: true } : {}) };
  },
  revive(node, cx) {
    cx.useRuntime("reviveSet");
    return `reviveSet(${cx.revive(node.items) ?? ""})`;
  },
  encode(node, cx) {
    cx.useRuntime("encodeSet");
    return `encodeSet(${cx.encode(node.items) ?? ""})`;
  },
  valueTypes: () => new Set(["set"]),
};
