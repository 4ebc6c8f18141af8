/**
 * Codecs by name, for options that take a name (`codec: "jsonrpc2"`). The names are those of the registry
 * in `codecs/index.ts`, which hands itself over here when it loads, so that the peer does not import every
 * format: a browser bundle that passes codecs as values (`{ codec: jampCodec }`) carries only those.
 */

import type { Codec, FrameCodec } from "./codec.js";

let registry: Readonly<Record<string, FrameCodec>> | undefined;

/** Called once by `codecs/index.ts` with every codec by name. */
export function nameCodecs(codecs: Readonly<Record<string, FrameCodec>>): void {
  registry = codecs;
}

/**
 * The codec `codec` names, or `codec` itself. Throws a `TypeError` for a name no codec is registered under,
 * or for any name when the registry is not loaded (nothing of the bundle imports `codecs` or `connect`).
 */
export function resolveCodec(codec: Codec | string): Codec {
  if (typeof codec !== "string") return codec;
  const found = registry?.[codec];
  if (found !== undefined) return found;
  if (registry === undefined) {
    throw new TypeError(
      `codec ${JSON.stringify(codec)} is given by name, and no codec registry is loaded: pass the codec itself ` +
        "(jampCodec, jsonRpc2Codec, ...), or import `codecs` from jamp-gen/runtime",
    );
  }
  throw new TypeError(`unknown codec ${JSON.stringify(codec)}; the codecs are ${Object.keys(registry).join(", ")}`);
}
