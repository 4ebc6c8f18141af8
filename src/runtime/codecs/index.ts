import type { Codec, FrameCodec } from "./codec.js";
import { jampBCodec } from "./jamp-b.js";
import { jampCodec } from "./jamp.js";
import { nameCodecs, resolveCodec } from "./names.js";
import { jsonRpc1Codec } from "./jsonrpc1.js";
import { jsonRpc2Codec } from "./jsonrpc2.js";
import { soapjrCodec } from "./soapjr.js";

export { isFrameCodec, type Batch, type Codec, type FrameCodec, type InvalidMessageData } from "./codec.js";
export { createJampCodec, jampCodec, type JampCodecOptions } from "./jamp.js";
export { createJampBCodec, jampBCodec, type JampBCodecOptions } from "./jamp-b.js";
export { createJsonRpc2Codec, jsonRpc2Codec, type JsonRpc2CodecOptions } from "./jsonrpc2.js";
export { createJsonRpc1Codec, jsonRpc1Codec, type JsonRpc1CodecOptions } from "./jsonrpc1.js";
export { createSoapjrCodec, soapjrCodec, soapjrFormFrame, type SoapjrCodecOptions } from "./soapjr.js";

/**
 * Every wire format by name (a null-prototype object, so `codecs[name]` is safe for any string). The order
 * is the one a server accepting them all tries, and asks for an answer to a frame none recognises.
 * A new format is one file plus one line here.
 */
export const codecs: Readonly<Record<string, FrameCodec>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, FrameCodec>, {
    [jampCodec.name]: jampCodec,
    [jampBCodec.name]: jampBCodec,
    [jsonRpc2Codec.name]: jsonRpc2Codec,
    [jsonRpc1Codec.name]: jsonRpc1Codec,
    [soapjrCodec.name]: soapjrCodec,
  }),
);

nameCodecs(codecs);

/**
 * The codec `codec` names, or `codec` itself. Throws a `TypeError` for a name no codec is registered under.
 * (Importing it loads the registry, which the peer then uses for names too.)
 */
export function findCodec(codec: Codec | string): Codec {
  return resolveCodec(codec);
}
