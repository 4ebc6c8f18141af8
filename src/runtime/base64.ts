/**
 * Base64 (RFC 4648 §4: the standard alphabet, with `=` padding) for `Uint8Array`s on the wire. Written
 * here rather than taken from `Buffer` (Node only) or `atob` (lenient: it accepts whitespace and missing
 * padding), so both platforms encode alike and decoding accepts exactly the canonical form.
 */

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const PAD = 61; // "="

/** Character code → six bits, or -1. */
const sextets = new Int8Array(128).fill(-1);
for (let i = 0; i < alphabet.length; i++) sextets[alphabet.charCodeAt(i)] = i;

const encodingTable = new Uint8Array(64);
for (let i = 0; i < alphabet.length; i++) encodingTable[i] = alphabet.charCodeAt(i);

/** The text is built as ASCII bytes and decoded in one native call: far faster than joining strings. */
const ascii = new TextDecoder();

export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  const whole = bytes.length - (bytes.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = encodingTable[n >> 18]!;
    out[o++] = encodingTable[(n >> 12) & 63]!;
    out[o++] = encodingTable[(n >> 6) & 63]!;
    out[o++] = encodingTable[n & 63]!;
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const n = (bytes[whole]! << 16) | (rest === 2 ? bytes[whole + 1]! << 8 : 0);
    out[o++] = encodingTable[n >> 18]!;
    out[o++] = encodingTable[(n >> 12) & 63]!;
    out[o++] = rest === 2 ? encodingTable[(n >> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return ascii.decode(out);
}

/**
 * The bytes of a canonical base64 text, or `undefined` when `text` is not one (a length that is not a
 * multiple of 4, a character outside the alphabet, misplaced padding, or nonzero bits after the data).
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = last && padding === 2 ? 0 : sextet(text, i + 2);
    const d = last && padding >= 1 ? 0 : sextet(text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
    // Canonical form: the bits padding leaves over are zero, so one byte string has one text.
    if (last && ((padding === 2 && (n & 0xffff) !== 0) || (padding === 1 && (n & 0xff) !== 0))) return undefined;
  }
  return out;
}

function sextet(text: string, index: number): number {
  const c = text.charCodeAt(index);
  return c < 128 ? sextets[c]! : -1;
}
