/**
 * `any` and `unknown`: any JSON value. Emits `{}` and warns, since nothing is checked. Also stands in
 * for a type the analyzer reported as unsupported, so reading can go on and report everything at once.
 */
import type { Kind } from "./kind.js";

export interface AnyNode {
  kind: "any";
  ts: "any" | "unknown";
}

export const anyKind: Kind<AnyNode> = {
  kind: "any",
  read(type, cx) {
    if (!type.isAny() && !type.isUnknown()) return undefined;
    const ts = type.isAny() ? "any" : "unknown";
    cx.report("warning", "JG1010", `'${ts}' accepts any JSON value; nothing is validated here.`, "name a concrete type to have it checked");
    return { kind: "any", ts };
  },
  tsType: (node) => node.ts,
  schema: () => ({}),
  revive: () => undefined,
  encode: () => undefined,
};
