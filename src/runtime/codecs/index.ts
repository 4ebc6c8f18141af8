import type { Codec } from "./codec.js";
import { jampCodec } from "./jamp.js";

export type { Codec, InvalidMessageData } from "./codec.js";
export { createJampCodec, jampCodec, type JampCodecOptions } from "./jamp.js";

/**
 * Every wire format by name (a null-prototype object, so `codecs[name]` is safe for any string).
 * A new format is one file plus one line here.
 */
export const codecs: Readonly<Record<string, Codec>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Codec>, {
    [jampCodec.name]: jampCodec,
  }),
);
