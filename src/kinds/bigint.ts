/**
 * `bigint`: travels as its decimal string, `{ "type": "string", "pattern": "^(0|-?[1-9][0-9]*)$" }`
 * (canonical: no sign on zero, no leading zeros, so one value has one text), encoded with
 * `toString()` and revived with `BigInt()`. A string, not a JSON number: parsers read numbers as
 * doubles, which keep integers exact only up to 2^53. Literal types (`5n`) are not read.
 */
import type { Kind } from "./kind.js";

export interface BigIntNode {
  kind: "bigint";
}

/** The canonical decimal integer, exported for tests. */
export const DECIMAL_INTEGER = "^(0|-?[1-9][0-9]*)$";

export const bigintKind: Kind<BigIntNode> = {
  kind: "bigint",
  read: (type) => (type.isBigInt() ? { kind: "bigint" } : undefined),
  tsType: () => "bigint",
  schema: () => ({ type: "string", pattern: DECIMAL_INTEGER }),
  revive(_node, cx) {
    cx.useRuntime("reviveBigInt");
    return "reviveBigInt";
  },
  encode(_node, cx) {
    cx.useRuntime("encodeBigInt");
    return "encodeBigInt";
  },
  valueTypes: () => new Set(["bigint"]),
};
