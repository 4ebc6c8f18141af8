/**
 * `Uint8Array`: travels as a base64 string (RFC 4648, standard alphabet, padded),
 * `{ "type": "string", "contentEncoding": "base64", "pattern": … }`; the pattern admits exactly the
 * canonical texts the runtime decodes. Base64 rather than an array of numbers: a third larger than the
 * bytes instead of up to four times, and one string for the parser instead of one number per byte.
 * Revived to a `Uint8Array`; any subclass (Node's `Buffer`) is encoded alike.
 */
import type { Kind } from "./kind.js";
import { isStandardLibrary } from "./library.js";

export interface BytesNode {
  kind: "bytes";
  /** Present for `Uint8Array<ArrayBuffer>`, so signatures keep the narrower type the revived array has. */
  buffer?: "ArrayBuffer";
}

/** Canonical base64: whole quads, then an optional padded tail whose unused bits are zero. */
export const BASE64 = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$";

export const bytesKind: Kind<BytesNode> = {
  kind: "bytes",
  read(type, cx) {
    const symbol = type.getSymbol();
    // The standard library's Uint8Array, not a user's own interface of that name.
    if (symbol?.getName() !== "Uint8Array" || !symbol.getDeclarations().some(isStandardLibrary)) return undefined;
    const [buffer] = type.getTypeArguments();
    const text = buffer ? cx.typeText(buffer) : "ArrayBufferLike";
    if (text === "ArrayBufferLike") return { kind: "bytes" };
    if (text === "ArrayBuffer") return { kind: "bytes", buffer: "ArrayBuffer" };
    cx.report("error", "JG1001", `'${cx.typeText(type)}' cannot be revived as such: the receiver's bytes are in a new ArrayBuffer.`, "use 'Uint8Array' or 'Uint8Array<ArrayBuffer>'");
    return { kind: "any", ts: "unknown" };
  },
  tsType: (node) => (node.buffer ? `Uint8Array<${node.buffer}>` : "Uint8Array"),
  schema: () => ({ type: "string", contentEncoding: "base64", pattern: BASE64 }),
  revive(_node, cx) {
    cx.useRuntime("reviveBytes");
    return "reviveBytes";
  },
  encode(_node, cx) {
    cx.useRuntime("encodeBytes");
    return "encodeBytes";
  },
  valueTypes: () => new Set(["bytes"]),
};
