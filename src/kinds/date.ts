/**
 * `Date`: travels as an ISO-8601 string, `{ "type": "string", "format": "date-time" }`: the sender
 * encodes it with `toISOString()` (so the wire form is what the schema says even before
 * `JSON.stringify`, and an invalid `Date` fails at the sender), and the receiver revives it to a `Date`.
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
  encode(_node, cx) {
    cx.useRuntime("encodeDate");
    return "encodeDate";
  },
  valueTypes: () => new Set(["date"]),
};
