/**
 * What compiled validators (`*.validate.ts`) call at run time: issue reporting, JSON value helpers and
 * the checkers of the string formats they support. Ships to browsers: no Node APIs, no dependencies,
 * no code generation, every regular expression compiled once at module load.
 */
import type { ValidationIssue } from "./descriptor.js";

/** A validator stops adding issues once the list holds this many. */
export const MAX_VALIDATION_ISSUES = 20;

/** Appends an issue unless the list is full. Returns `false`, so a validator can write `valid = addIssue(...)`. */
export function addIssue(issues: ValidationIssue[], path: string, keyword: string, message: string): false {
  if (issues.length < MAX_VALIDATION_ISSUES) issues.push({ path, keyword, message });
  return false;
}

/** A JSON object as JSON Schema's `object` type means it: neither `null` nor an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Escapes an object key for use as one JSON pointer token (RFC 6901): `~` → `~0`, `/` → `~1`. */
export function escapePointerToken(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The length of a string in Unicode code points, as `minLength`/`maxLength` count it. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/**
 * Whether `value` is an integer multiple of `divisor` (> 0), read as the decimals they are written as:
 * `19.99` is a multiple of `0.01` although `19.99 / 0.01` is `1998.9999999999998` in binary floating point.
 */
export function isMultipleOf(value: number, divisor: number): boolean {
  const quotient = value / divisor;
  // Past 2^53 every double is an integer, so an integral quotient there proves nothing.
  if (Number.isInteger(quotient) && Math.abs(quotient) <= Number.MAX_SAFE_INTEGER) return true;
  const decimals = Math.max(decimalPlaces(value), decimalPlaces(divisor));
  if (decimals > 20) return false;
  const scale = 10 ** decimals;
  const scaledValue = Math.round(value * scale);
  const scaledDivisor = Math.round(divisor * scale);
  if (!Number.isSafeInteger(scaledValue) || !Number.isSafeInteger(scaledDivisor) || scaledDivisor === 0) return false;
  return scaledValue % scaledDivisor === 0;
}

/** Digits after the decimal point in the shortest decimal form of `n` (`1.5e-7` has 8). */
function decimalPlaces(n: number): number {
  const text = String(n);
  const e = text.indexOf("e");
  const mantissa = e === -1 ? text : text.slice(0, e);
  const exponent = e === -1 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const fraction = dot === -1 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, fraction - exponent);
}

const hasOwnProperty = Object.prototype.hasOwnProperty;

/** JSON equality: same type and value, arrays item by item, objects with the same keys in any order. */
export function isJsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!isJsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  // `hasOwnProperty.call` inside `for…in` is what V8 optimises; `Object.hasOwn` there is slower.
  for (const key in left) {
    if (!hasOwnProperty.call(left, key)) continue;
    if (!Object.hasOwn(right, key) || !isJsonEqual(left[key], right[key])) return false;
    count++;
  }
  for (const key in right) if (hasOwnProperty.call(right, key)) count--;
  return count === 0;
}

/** Below this length, comparing every pair is cheaper than hashing. */
const PAIRWISE_LIMIT = 16;

/** The indices `[first, second]` of the first two JSON-equal items, or `undefined` if all are distinct. */
export function findDuplicateItems(items: readonly unknown[]): readonly [number, number] | undefined {
  if (items.length <= PAIRWISE_LIMIT) {
    for (let j = 1; j < items.length; j++) {
      for (let i = 0; i < j; i++) if (isJsonEqual(items[i], items[j])) return [i, j];
    }
    return undefined;
  }
  // Primitives are Map keys as they are (SameValueZero keeps 1 and "1" apart); objects and arrays
  // by their canonical JSON text, in a map of their own so they cannot meet a string.
  const primitives = new Map<unknown, number>();
  const structured = new Map<string, number>();
  for (let j = 0; j < items.length; j++) {
    const item = items[j];
    const isStructured = typeof item === "object" && item !== null;
    const map: Map<unknown, number> = isStructured ? structured : primitives;
    const key = isStructured ? canonicalJson(item) : item;
    const i = map.get(key);
    if (i !== undefined) return [i, j];
    map.set(key, j);
  }
  return undefined;
}

function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
}

// ---------------------------------------------------------------------------------------------
// Formats. Each checker takes a string and never throws. Dates and times follow RFC 3339 § 5.6
// strictly ("T" between date and time, offsets as `Z` or `±hh:mm`), which is what `Date` revival
// parses reliably; the others follow the RFCs JSON Schema names for them.

const DIGIT_0 = 48;

/** The number written by `count` ASCII digits at `start`, or -1 if any of them is not a digit. */
function readDigits(text: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - DIGIT_0;
    if (!(d >= 0 && d <= 9)) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** RFC 3339 `full-date`, its day checked against its month by `isDate`: `2024-02-29`. */
const FULL_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * RFC 3339 `full-time`: hour, minute, second (60, a leap second, checked by `isTime`), an optional
 * fraction, then `Z` or an offset's sign, hours and minutes: `23:59:60.5+01:00`, `08:30:00Z`.
 */
const FULL_TIME = /^([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.\d+)?(?:[Zz]|([+-])([01]\d|2[0-3]):([0-5]\d))$/;

/** RFC 3339 `full-date`: `2024-02-29`. */
export function isDate(text: string): boolean {
  const date = FULL_DATE.exec(text);
  return date !== null && Number(date[3]) <= daysInMonth(Number(date[1]), Number(date[2]));
}

/** RFC 3339 `full-time`: `08:30:00Z`, `23:59:59.999+02:00`. */
export function isTime(text: string): boolean {
  const time = FULL_TIME.exec(text);
  if (time === null) return false;
  if (time[3] !== "60") return true;
  // A leap second is only ever inserted as 23:59:60 UTC: the local time less the offset (`-05:30` reads -330).
  const offset = time[4] === undefined ? 0 : Number(`${time[4]}${Number(time[5]) * 60 + Number(time[6])}`);
  return (((Number(time[1]) * 60 + Number(time[2]) - offset) % 1440) + 1440) % 1440 === 23 * 60 + 59;
}

/** RFC 3339 `date-time`: `2024-02-29T08:30:00.5Z`. */
export function isDateTime(text: string): boolean {
  const separator = text[10];
  return (separator === "T" || separator === "t") && isDate(text.slice(0, 10)) && isTime(text.slice(11));
}

/** ISO 8601 duration as RFC 3339 appendix A writes it, in whole units: `P3Y6M4DT12H30M5S`, `P2W`. */
const DURATION = /^P(?:\d+W|(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$/;

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

/** A UUID in its 36-character text form, any case: `123e4567-e89b-12d3-a456-426614174000`. */
export function isUuid(text: string): boolean {
  if (text.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (!isHexDigit(c)) {
      return false;
    }
  }
  return true;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isAlphaNumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Dotted-quad IPv4 (RFC 2673 § 3.2): four decimal octets 0–255, no leading zeros. */
export function isIpv4(text: string): boolean {
  return ipv4End(text, 0) === text.length;
}

/** Where a dotted-quad address starting at `start` ends, or -1 if there is none there. */
function ipv4End(text: string, start: number): number {
  let i = start;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (text.charCodeAt(i) !== 0x2e) return -1;
      i++;
    }
    const first = i;
    let n = 0;
    while (i < text.length && i - first < 3) {
      const d = text.charCodeAt(i) - DIGIT_0;
      if (!(d >= 0 && d <= 9)) break;
      n = n * 10 + d;
      i++;
    }
    const width = i - first;
    if (width === 0 || n > 255 || (width > 1 && text.charCodeAt(first) === DIGIT_0)) return -1;
  }
  return i;
}

/** IPv6 text (RFC 4291 § 2.2): eight hex groups, one `::` for a run of zero groups, an IPv4 tail. */
export function isIpv6(text: string): boolean {
  let groups = 0;
  let compressed = false;
  let i = 0;
  if (text.startsWith("::")) {
    compressed = true;
    i = 2;
    if (i === text.length) return true;
  } else if (text.charCodeAt(0) === 0x3a) {
    return false;
  }
  for (;;) {
    // At the start of a group: hex digits, or the IPv4 tail standing for the last two groups.
    const start = i;
    while (i < text.length && i - start < 5 && isHexDigit(text.charCodeAt(i))) i++;
    const next = text.charCodeAt(i);
    if (next === 0x2e) {
      if (ipv4End(text, start) !== text.length) return false;
      groups += 2;
      break;
    }
    if (i === start || i - start > 4) return false;
    groups++;
    if (i === text.length) break;
    if (next !== 0x3a) return false;
    i++;
    if (text.charCodeAt(i) === 0x3a) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === text.length) break;
    } else if (i === text.length) {
      return false;
    }
  }
  return compressed ? groups <= 7 : groups === 8;
}

/**
 * A host name (RFC 1123 § 2.1): dot-separated labels of letters, digits and inner hyphens, 1–63
 * characters each, at most 253 in all; one trailing dot (a fully qualified name) is allowed.
 */
export function isHostname(text: string): boolean {
  const end = text.endsWith(".") ? text.length - 1 : text.length;
  return end >= 1 && end <= 253 && labelsEnd(text, 0, end, 1) === end;
}

/**
 * Checks dot-separated host labels in `text` from `start` up to `end`; returns `end` when there are
 * at least `minLabels` valid labels, else -1.
 */
function labelsEnd(text: string, start: number, end: number, minLabels: number): number {
  let labels = 0;
  let i = start;
  while (i < end) {
    const first = i;
    while (i < end && text.charCodeAt(i) !== 0x2e) {
      const c = text.charCodeAt(i);
      if (!isAlphaNumeric(c) && c !== 0x2d) return -1;
      i++;
    }
    if (i === first || i - first > 63) return -1;
    if (text.charCodeAt(first) === 0x2d || text.charCodeAt(i - 1) === 0x2d) return -1;
    labels++;
    if (i < end) {
      i++;
      if (i === end) return -1;
    }
  }
  return labels >= minLabels ? end : -1;
}

/** `atext` of RFC 5322 § 3.2.3: letters, digits and ``!#$%&'*+-/=?^_`{|}~``. */
const ATEXT_SYMBOLS = "!#$%&'*+-/=?^_`{|}~";

/**
 * An email address as RFC 5321 mailboxes are usually written: a dot-atom local part, `@`, and a
 * domain of at least two host labels. Quoted local parts and address literals are not accepted.
 */
export function isEmail(text: string): boolean {
  const at = text.lastIndexOf("@");
  if (at < 1) return false;
  let previousDot = true;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (previousDot) return false;
      previousDot = true;
    } else if (isAlphaNumeric(c) || (c < 0x80 && ATEXT_SYMBOLS.includes(text[i] ?? ""))) {
      previousDot = false;
    } else {
      return false;
    }
  }
  return !previousDot && labelsEnd(text, at + 1, text.length, 2) === text.length;
}

// URIs (RFC 3986). Character classes as bit flags over ASCII.
const UNRESERVED = 1;
const SUB_DELIM = 2;
const SCHEME = 4;
// Made by a call marked pure, so that a bundle whose validators check no URI leaves the table out.
const charClass = /* @__PURE__ */ characterClasses();

function characterClasses(): Uint8Array {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    if (isAlphaNumeric(c) || "-._~".includes(ch)) table[c]! |= UNRESERVED;
    if ("!$&'()*+,;=".includes(ch)) table[c]! |= SUB_DELIM;
    if (isAlphaNumeric(c) || "+-.".includes(ch)) table[c]! |= SCHEME;
  }
  return table;
}

function hasClass(c: number, flags: number): boolean {
  return c < 128 && ((charClass[c] ?? 0) & flags) !== 0;
}

/**
 * Scans characters from `start` while they are unreserved, sub-delims, percent-encoded or in `extra`;
 * stops at `end` or any other character. Returns where it stopped, or -1 at a malformed `%`.
 */
function scanChars(text: string, start: number, end: number, extra: string): number {
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= end) return -1;
      if (!isHexDigit(text.charCodeAt(i + 1)) || !isHexDigit(text.charCodeAt(i + 2))) return -1;
      i += 3;
    } else if (hasClass(c, UNRESERVED | SUB_DELIM) || (c < 128 && extra.includes(String.fromCharCode(c)))) {
      i++;
    } else {
      break;
    }
  }
  return i;
}

/** Length of a URI scheme followed by `:` at the start of `text`, or -1 if there is none. */
function schemeLength(text: string): number {
  const first = text.charCodeAt(0);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return -1;
  let i = 1;
  while (i < text.length && hasClass(text.charCodeAt(i), SCHEME)) i++;
  return text.charCodeAt(i) === 0x3a ? i : -1;
}

/** `authority` from `start` (just after `//`) to `end`: `[userinfo@]host[:port]`. */
function isAuthority(text: string, start: number, end: number): boolean {
  let hostStart = start;
  const at = text.lastIndexOf("@", end - 1);
  if (at >= start) {
    if (scanChars(text, start, at, ":") !== at) return false;
    hostStart = at + 1;
  }
  let hostEnd: number;
  if (text.charCodeAt(hostStart) === 0x5b) {
    const close = text.indexOf("]", hostStart);
    if (close === -1 || close >= end || !isIpLiteral(text.slice(hostStart + 1, close))) return false;
    hostEnd = close + 1;
  } else {
    hostEnd = scanChars(text, hostStart, end, "");
    if (hostEnd === -1) return false;
  }
  if (hostEnd === end) return true;
  if (text.charCodeAt(hostEnd) !== 0x3a) return false;
  for (let i = hostEnd + 1; i < end; i++) if (readDigits(text, i, 1) < 0) return false;
  return true;
}

/** The inside of `[...]` in a URI host: an IPv6 address or an `IPvFuture` (`v1.x`). */
function isIpLiteral(inner: string): boolean {
  const first = inner.charCodeAt(0);
  if (first !== 0x76 && first !== 0x56) return isIpv6(inner);
  const dot = inner.indexOf(".");
  if (dot < 2) return false;
  for (let i = 1; i < dot; i++) if (!isHexDigit(inner.charCodeAt(i))) return false;
  return (
    dot + 1 < inner.length && scanChars(inner, dot + 1, inner.length, ":") === inner.length && !inner.includes("%")
  );
}

/**
 * Checks what follows the scheme (or a relative reference's start): `//authority`, a path, `?query`,
 * `#fragment`. `noColonInFirstSegment` is RFC 3986's rule for relative references without a scheme.
 */
function isUriRest(text: string, start: number, noColonInFirstSegment: boolean): boolean {
  let i = start;
  if (text.startsWith("//", i)) {
    let end = i + 2;
    while (end < text.length && !"/?#".includes(text[end] ?? "")) end++;
    if (!isAuthority(text, i + 2, end)) return false;
    i = end;
  } else if (noColonInFirstSegment) {
    const firstSegmentEnd = scanChars(text, i, text.length, "@");
    if (firstSegmentEnd === -1 || text.charCodeAt(firstSegmentEnd) === 0x3a) return false;
  }
  i = scanChars(text, i, text.length, ":@/");
  if (i === -1) return false;
  if (text.charCodeAt(i) === 0x3f) {
    i = scanChars(text, i + 1, text.length, ":@/?");
    if (i === -1) return false;
  }
  if (text.charCodeAt(i) === 0x23) {
    i = scanChars(text, i + 1, text.length, ":@/?");
    if (i === -1) return false;
  }
  return i === text.length;
}

/** An absolute URI (RFC 3986 § 3): `https://example.com/a?b#c`, `urn:isbn:0451450523`. */
export function isUri(text: string): boolean {
  const scheme = schemeLength(text);
  return scheme > 0 && isUriRest(text, scheme + 1, false);
}

/** A URI or a relative reference (RFC 3986 § 4.1): `../a/b?c`, `#top`, `//host/x`. */
export function isUriReference(text: string): boolean {
  const scheme = schemeLength(text);
  return scheme > 0 ? isUriRest(text, scheme + 1, false) : isUriRest(text, 0, true);
}

/** A JSON pointer (RFC 6901): empty, or `/`-prefixed tokens where `~` is only in `~0` or `~1`. */
export function isJsonPointer(text: string): boolean {
  return isPointerAt(text, 0);
}

function isPointerAt(text: string, start: number): boolean {
  if (start < text.length && text.charCodeAt(start) !== 0x2f) return false;
  for (let i = start; i < text.length; i++) {
    if (text.charCodeAt(i) === 0x7e) {
      const next = text.charCodeAt(i + 1);
      if (next !== 0x30 && next !== 0x31) return false;
      i++;
    }
  }
  return true;
}

/** A relative JSON pointer: a non-negative integer, then `#` or a JSON pointer: `0/a`, `2#`. */
export function isRelativeJsonPointer(text: string): boolean {
  let i = 0;
  while (i < text.length && readDigits(text, i, 1) >= 0) i++;
  if (i === 0 || (i > 1 && text.charCodeAt(0) === DIGIT_0)) return false;
  return (text.charCodeAt(i) === 0x23 && i + 1 === text.length) || isPointerAt(text, i);
}
