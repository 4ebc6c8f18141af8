/**
 * `Map<K, V>` and `ReadonlyMap<K, V>`. With string keys (`string`, string literals, a branded or
 * template string) a Map travels as a JSON object, `{ "type": "object", "additionalProperties": V }`
 * (plus `propertyNames` when the keys are narrower than `string`): the form every JSON reader knows
 * as a dictionary. Other keys (numbers, `bigint`s, booleans) travel as an array of `[key, value]`
 * pairs, so a key keeps its type instead of becoming a string. Keys that are objects (a `Date`, an
 * interface) are refused: a Map compares them by identity, which no copy keeps. Encoded and revived
 * in the Map's order, except that a JSON object puts integer-like keys ("7") first on the receiving side.
 */
import type { JsonSchema } from "../validators/json-schema.js";
import type { Kind, RenderContext } from "./kind.js";
import type { TypeNode } from "./index.js";
import { isStandardLibrary } from "./library.js";

export interface MapNode {
  kind: "map";
  key: TypeNode;
  value: TypeNode;
  readonly: boolean;
}

export const mapKind: Kind<MapNode> = {
  kind: "map",
  read(type, cx) {
    const symbol = type.getSymbol();
    const name = symbol?.getName();
    if ((name !== "Map" && name !== "ReadonlyMap") || !symbol?.getDeclarations().some(isStandardLibrary)) return undefined;
    const [key, value] = type.getTypeArguments();
    if (!key || !value) return undefined;
    if ((key.isUnion() ? key.getUnionTypes() : [key]).some((k) => k.isObject())) {
      cx.report(
        "error",
        "JG1001",
        `Map keys that are objects ('${cx.typeText(key)}') cannot travel: a Map compares them by identity, which a copy does not keep.`,
        "key the Map by a string or a number (an id, or a date's ISO string)",
      );
      return { kind: "any", ts: "unknown" };
    }
    return { kind: "map", key: cx.read(key), value: cx.read(value), readonly: name === "ReadonlyMap" };
  },
  tsType: (node, cx) => `${node.readonly ? "ReadonlyMap" : "Map"}<${cx.tsType(node.key)}, ${cx.tsType(node.value)}>`,
  schema(node, cx) {
    const value = cx.schema(node.value);
    if (!isStringKeyed(node, cx)) {
      return { type: "array", items: { type: "array", prefixItems: [cx.schema(node.key), value], minItems: 2, items: false } };
    }
    const names: JsonSchema | undefined = node.key.kind === "string" ? undefined : cx.schema(node.key);
    return { type: "object", ...(names === undefined ? {} : { propertyNames: names }), additionalProperties: value };
  },
  revive(node, cx) {
    const value = cx.revive(node.value);
    if (isStringKeyed(node, cx)) return call(cx, "reviveMapObject", [value]);
    return call(cx, "reviveMapEntries", [cx.revive(node.key), value]);
  },
  encode(node, cx) {
    const value = cx.encode(node.value);
    if (isStringKeyed(node, cx)) return call(cx, "encodeMapObject", [value]);
    return call(cx, "encodeMapEntries", [cx.encode(node.key), value]);
  },
  valueTypes: () => new Set(["map"]),
};

/** Whether the keys are strings both as values and on the wire, so they can be an object's keys. */
function isStringKeyed(node: MapNode, cx: RenderContext): boolean {
  const strings = (types: ReadonlySet<string>) => types.size > 0 && [...types].every((t) => t === "string");
  return strings(cx.wireTypes(node.key)) && strings(cx.valueTypes(node.key));
}

/** `fn(a, b)`, with trailing absent arguments left out and inner ones written `undefined`. */
function call(cx: RenderContext, fn: string, args: readonly (string | undefined)[]): string {
  cx.useRuntime(fn);
  let length = args.length;
  while (length > 0 && args[length - 1] === undefined) length--;
  return `${fn}(${args.slice(0, length).map((a) => a ?? "undefined").join(", ")})`;
}
