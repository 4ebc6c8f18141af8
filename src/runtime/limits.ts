/**
 * The limits a peer keeps on one connection, with their defaults, and the checks the peer runs against
 * them. The README's "Reliability" section lists them all, with those of the transports and `listen`.
 */

import { JampError } from "./errors.js";

/** The largest frame sent or accepted, in bytes of UTF-8. */
export const defaultMaxPayload = 1024 * 1024;
/** Queries this side sent and streams it opened, not yet answered or ended. */
export const defaultMaxPending = 10_000;
/** Calls of the other side this side runs at once: queries, sends, streams it serves. */
export const defaultMaxRunning = 1000;
/** Credit is counted up to here; more is taken as this much (it is a count of items, never a buffer). */
export const maxCredit = 9_007_199_254_740_991; // Number.MAX_SAFE_INTEGER, as a literal a bundler drops when unused

/**
 * A whole number from 1 (or `Infinity` where `infinite`), for a limit named `name`; `undefined` gives
 * `fallback`. Throws a `RangeError` for anything else, so that a wrong limit fails where it is given.
 */
export function limitOf(name: string, value: number | undefined, fallback: number, infinite = false): number {
  if (value === undefined) return fallback;
  if ((infinite && value === Infinity) || (Number.isSafeInteger(value) && value >= 1)) return value;
  throw new RangeError(`${name} must be a whole number from 1${infinite ? " or Infinity" : ""}, got ${value}`);
}

/**
 * `limit-exceeded` when `frame` is more than `maxPayload` bytes of UTF-8, else `undefined`. Counted only
 * when the frame could be that big: a UTF-16 code unit is at most 3 bytes of UTF-8.
 */
export function oversize(frame: string, maxPayload: number, what: () => string): JampError | undefined {
  if (fits(frame, maxPayload)) return undefined;
  const bytes = utf8Length(frame);
  return new JampError("limit-exceeded", `${what()} is ${bytes} bytes, over the limit of ${maxPayload}`, {
    data: { bytes, maxPayload },
  });
}

/** Whether `frame` is at most `maxPayload` bytes of UTF-8, counted only when it could be more. */
export function fits(frame: string, maxPayload: number): boolean {
  return frame.length * 3 <= maxPayload || utf8Length(frame) <= maxPayload;
}

/** The length of `text` in UTF-8, without encoding it (a lone surrogate counts as the 3 bytes of U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) bytes += unit < 0x800 ? 1 : 2;
    // A surrogate pair is two units and four bytes: the high one counted 3, the low one is skipped (1).
    if ((unit & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return bytes;
}

/** `limit-exceeded` for a call refused because `running` calls of the other side already run. */
export function tooManyRunning(running: number, what: string): JampError {
  return new JampError(
    "limit-exceeded",
    `${what} refused: ${running} calls of this connection are running, the most this side runs at once`,
    { data: { maxRunning: running } },
  );
}
