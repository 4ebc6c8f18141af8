/**
 * `string`, `number`, `boolean` and `null`: the values JSON carries as they are.
 * Emits `{ "type": "<name>" }`; nothing to revive.
 */
import type { Type } from "ts-morph";
import type { Kind } from "./kind.js";

type PrimitiveName = "string" | "number" | "boolean" | "null";

function primitiveKind<K extends PrimitiveName>(kind: K, test: (type: Type) => boolean): Kind<{ kind: K }> {
  return {
    kind,
    read: (type) => (test(type) ? { kind } : undefined),
    tsType: () => kind,
    schema: () => ({ type: kind }),
    revive: () => undefined,
    encode: () => undefined,
  };
}

export const stringKind = primitiveKind("string", (t) => t.isString());
export const numberKind = primitiveKind("number", (t) => t.isNumber());
export const booleanKind = primitiveKind("boolean", (t) => t.isBoolean());
export const nullKind = primitiveKind("null", (t) => t.isNull());
