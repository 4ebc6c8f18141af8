/**
 * `T[]`, `Array<T>`, `readonly T[]` and `ReadonlyArray<T>`. Emits `{ "type": "array", "items": … }`;
 * revives and encodes each item when the item type needs it.
 */
import type { Kind } from "./kind.js";
import type { TypeNode } from "./index.js";

export interface ArrayNode {
  kind: "array";
  items: TypeNode;
  readonly: boolean;
}

export const arrayKind: Kind<ArrayNode> = {
  kind: "array",
  read(type, cx) {
    const readonly = type.isReadonlyArray();
    if (!type.isArray() && !readonly) return undefined;
    const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
    if (!element) return undefined;
    return { kind: "array", items: cx.read(element), readonly };
  },
  tsType(node, cx) {
    const items = cx.tsType(node.items);
    const wrapped = node.items.kind === "union" ? `(${items})[]` : `${items}[]`;
    return node.readonly ? `readonly ${wrapped}` : wrapped;
  },
  schema: (node, cx) => ({ type: "array", items: cx.schema(node.items) }),
  revive(node, cx) {
    const items = cx.revive(node.items);
    if (items === undefined) return undefined;
    cx.useRuntime("reviveArray");
    return `reviveArray(${items})`;
  },
  encode(node, cx) {
    const items = cx.encode(node.items);
    if (items === undefined) return undefined;
    cx.useRuntime("encodeArray");
    return `encodeArray(${items})`;
  },
};
