/**
 * What to say about a type no kind reads: the message and hint of its JG1001 diagnostic. Kept apart
 * from the kinds so that adding a kind never means editing messages here (a kind that starts reading
 * a type simply takes it before this fallback is reached).
 */
import type { Type } from "ts-morph";
import { ts } from "./ts-morph.js";

export interface Explanation {
  code: "JG1001" | "JG1012";
  message: string;
  hint: string;
}

export function explainUnsupported(type: Type, text: string): Explanation {
  const unsupported = (message: string, hint: string): Explanation => ({ code: "JG1001", message, hint });
  const flags = type.getFlags();
  if (type.getCallSignatures().length > 0) {
    return unsupported(`Function type '${text}' cannot travel as JSON.`, "pass data instead; for callbacks, expose a service the other side can call");
  }
  if (type.isUndefined() || flags & ts.TypeFlags.Void) {
    return { code: "JG1012", message: `'${text}' cannot travel as JSON.`, hint: "make the member optional with '?', or use 'null'" };
  }
  if (type.isClass() || type.getConstructSignatures().length > 0 || type.getSymbol()?.getDeclarations().some((d) => d.getKindName() === "ClassDeclaration")) {
    return unsupported(`Class instance type '${text}' cannot travel as JSON: its prototype and methods would be lost.`, "describe the data with an interface");
  }
  if (flags & (ts.TypeFlags.ESSymbol | ts.TypeFlags.UniqueESSymbol)) return unsupported(`'${text}' cannot travel as JSON.`, "use a string");
  if (flags & ts.TypeFlags.BigIntLiteral) return unsupported(`The bigint literal type '${text}' is not supported.`, "use 'bigint'");
  if (flags & ts.TypeFlags.Never) return unsupported("'never' has no values to send.", "remove the member");
  if (type.isTypeParameter() && text === "this") {
    return unsupported("The polymorphic 'this' type cannot travel: it stands for whatever implements the interface.", "name the interface or a data type instead");
  }
  if (type.isTypeParameter()) return unsupported(`Type parameter '${text}' is not resolved to a concrete type.`, "use a concrete type");
  if (type.isIntersection()) return unsupported(`Intersection type '${text}' mixes members that cannot be merged.`, "intersect object types only, or brand a single primitive");
  const name = type.getSymbol()?.getName();
  if (name === "WeakMap" || name === "WeakSet") return unsupported(`'${text}' cannot travel: its entries cannot be listed.`, name === "WeakMap" ? "use a Map" : "use a Set");
  if (name === "Promise") return unsupported(`A Promise ('${text}') cannot travel inside a value.`, "send the resolved value");
  return unsupported(`Type '${text}' is not supported.`, "use JSON data: strings, numbers, booleans, null, arrays and interfaces");
}
