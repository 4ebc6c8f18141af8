/**
 * Tuples: `[string, number]`, `[string, number?]`, `[string, ...number[]]`, and their `readonly` forms.
 * Emits `prefixItems` for the fixed elements, `minItems` for the required ones, and `items` for the rest
 * element (`false` when there is none, so extra elements are refused). Revives element by element.
 */
import type { ts as TS } from "ts-morph";
import { ts } from "../analyzer/ts-morph.js";
import type { JsonSchema } from "../validators/json-schema.js";
import type { Kind } from "./kind.js";
import type { TypeNode } from "./index.js";

export interface TupleElement {
  type: TypeNode;
  optional: boolean;
}

export interface TupleNode {
  kind: "tuple";
  elements: TupleElement[];
  /** The element type of a trailing `...T[]`. */
  rest?: TypeNode;
  readonly: boolean;
}

export const tupleKind: Kind<TupleNode> = {
  kind: "tuple",
  read(type, cx) {
    if (!type.isTuple()) return undefined;
    const target = (type.getTargetType() ?? type).compilerType as TS.TupleType;
    const flags = target.elementFlags ?? [];
    const types = type.getTupleElements();
    const elements: TupleElement[] = [];
    let rest: TypeNode | undefined;
    for (const [i, element] of types.entries()) {
      const flag = flags[i] ?? ts.ElementFlags.Required;
      if (flag & ts.ElementFlags.Variable) {
        if (i !== types.length - 1 || flag & ts.ElementFlags.Variadic) {
          cx.report("error", "JG1030", `Only a last '...T[]' element of a tuple can travel ('${cx.typeText(type)}').`, "move the rest element to the end");
          return { kind: "any", ts: "unknown" };
        }
        rest = cx.readMember(element, undefined, `[${i}...]`, false);
        continue;
      }
      const optional = (flag & ts.ElementFlags.Optional) !== 0;
      elements.push({ type: cx.readMember(element, undefined, `[${i}]`, optional), optional });
    }
    return { kind: "tuple", elements, ...(rest ? { rest } : {}), readonly: target.readonly };
  },
  tsType(node, cx) {
    const parts = node.elements.map((e) => `${cx.tsType(e.type)}${e.optional ? "?" : ""}`);
    if (node.rest) parts.push(`...${node.rest.kind === "union" ? `(${cx.tsType(node.rest)})` : cx.tsType(node.rest)}[]`);
    return `${node.readonly ? "readonly " : ""}[${parts.join(", ")}]`;
  },
  schema(node, cx) {
    const required = node.elements.filter((e) => !e.optional).length;
    const schema: Record<string, JsonSchema | number> = { type: "array" } as never;
    if (node.elements.length > 0) schema.prefixItems = node.elements.map((e) => cx.schema(e.type)) as never;
    if (required > 0) schema.minItems = required;
    schema.items = node.rest ? cx.schema(node.rest) : false;
    return schema as JsonSchema;
  },
  revive(node, cx) {
    const items = node.elements.map((e) => cx.revive(e.type));
    if (node.rest && cx.revive(node.rest) !== undefined) {
      cx.unsupported(`the rest element of '${cx.tsType(node)}' cannot be revived yet`);
    }
    if (items.every((r) => r === undefined)) return undefined;
    cx.useRuntime("reviveTuple");
    return `reviveTuple([${items.map((r) => r ?? "undefined").join(", ")}])`;
  },
  encode(node, cx) {
    const items = node.elements.map((e) => cx.encode(e.type));
    if (node.rest && cx.encode(node.rest) !== undefined) {
      cx.unsupported(`the rest element of '${cx.tsType(node)}' cannot be revived yet`);
    }
    if (items.every((e) => e === undefined)) return undefined;
    cx.useRuntime("encodeTuple");
    return `encodeTuple([${items.map((e) => e ?? "undefined").join(", ")}])`;
  },
};
