/**
 * `Date`: travels as an ISO-8601 string, `{ "type": "string", "format": "date-time" }`, and is revived
 * to a `Date` on the receiving side.
 */
import type { Kind } from "./kind.js";

export interface DateNode {
  kind: "date";
}

export const dateKind: Kind<DateNode> = {
  kind: "date",
  read(type) {
    const symbol = type.getSymbol();
    if (symbol?.getName() !== "Date" || type.isAnonymous()) return undefined;
    // Only the standard library's Date, not a user's own interface that happens to be called Date.
    const fromLib = symbol.getDeclarations().some((d) => d.getSourceFile().isFromExternalLibrary() || d.getSourceFile().isDeclarationFile());
    return fromLib ? { kind: "date" } : undefined;
  },
  tsType: () => "Date",
  schema: () => ({ type: "string", format: "date-time" }),
  revive(_node, cx) {
    cx.useRuntime("reviveDate");
    return "reviveDate";
  },
};
