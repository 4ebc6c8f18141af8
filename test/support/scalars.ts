/**
 * The scalar side of `arbitrary.ts`: numbers, strings and containers' lengths within the bounds that
 * JSDoc keywords set, strings of each format, and strings of template literal types.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import type { Keywords } from "../../src/model/model.js";

/** Largest container generated where the depth allows it. */
export const MAX_ITEMS = 3;

/** Keywords that describe and never refuse. */
const annotations = new Set(["title", "default", "examples", "deprecated"]);

const addFormats = addFormatsModule.default;
const keywordAjv = new Ajv2020({ strict: false });
addFormats(keywordAjv);
const keywordChecks = new Map<string, (wire: unknown) => boolean>();

/** A check of the validation keywords that apply, or `undefined` when there are none. */
export function keywordCheck(keywords: readonly Keywords[]): ((wire: unknown) => boolean) | undefined {
  const schemas = keywords
    .map((k) => Object.fromEntries(Object.entries(k).filter(([name]) => !annotations.has(name))))
    .filter((s) => Object.keys(s).length > 0);
  if (schemas.length === 0) return undefined;
  const key = JSON.stringify(schemas);
  let check = keywordChecks.get(key);
  if (!check) {
    const validate = keywordAjv.compile({ allOf: schemas });
    check = (wire) => validate(wire);
    keywordChecks.set(key, check);
  }
  return check;
}

interface Bounds {
  lower: number;
  lowerExcluded: boolean;
  upper: number;
  upperExcluded: boolean;
  multipleOf: number | undefined;
}

function numericBounds(keywords: readonly Keywords[]): Bounds {
  const b: Bounds = { lower: -Infinity, lowerExcluded: false, upper: Infinity, upperExcluded: false, multipleOf: undefined };
  for (const k of keywords) {
    if (k.minimum !== undefined && k.minimum > b.lower) Object.assign(b, { lower: k.minimum, lowerExcluded: false });
    if (k.exclusiveMinimum !== undefined && k.exclusiveMinimum >= b.lower) Object.assign(b, { lower: k.exclusiveMinimum, lowerExcluded: true });
    if (k.maximum !== undefined && k.maximum < b.upper) Object.assign(b, { upper: k.maximum, upperExcluded: false });
    if (k.exclusiveMaximum !== undefined && k.exclusiveMaximum <= b.upper) Object.assign(b, { upper: k.exclusiveMaximum, upperExcluded: true });
    if (k.multipleOf !== undefined) b.multipleOf = k.multipleOf;
  }
  return b;
}

/** Numbers within the keywords' bounds; never -0, which JSON cannot carry. */
export function numberOf(keywords: readonly Keywords[], integer: boolean): fc.Arbitrary<number> {
  const b = numericBounds(keywords);
  const inside = (v: number) =>
    (b.lowerExcluded ? v > b.lower : v >= b.lower) && (b.upperExcluded ? v < b.upper : v <= b.upper) && (!integer || Number.isInteger(v));
  const m = b.multipleOf;
  if (m !== undefined && Number.isInteger(m)) {
    // Multiples k·m, with k in range.
    const lo = Math.max(-1e6, Math.ceil((Number.isFinite(b.lower) ? b.lower : -1e6 * m) / m));
    const hi = Math.min(1e6, Math.floor((Number.isFinite(b.upper) ? b.upper : 1e6 * m) / m));
    return fc.integer({ min: lo, max: hi }).map((k) => k * m || 0).filter(inside);
  }
  if (m !== undefined) {
    // ajv tests `multipleOf` with a binary remainder, which only m·2^j passes for a fraction such as
    // 0.01; jamp-gen's own validators test it in decimal, which these pass too.
    return fc
      .tuple(fc.integer({ min: 0, max: 20 }), fc.boolean())
      .map(([j, negative]) => (negative ? -1 : 1) * m * 2 ** j)
      .filter((v) => inside(v) && v % m === 0);
  }
  if (integer) {
    const lo = Number.isFinite(b.lower) ? (b.lowerExcluded ? Math.floor(b.lower) + 1 : Math.ceil(b.lower)) : Number.MIN_SAFE_INTEGER;
    const hi = Number.isFinite(b.upper) ? (b.upperExcluded ? Math.ceil(b.upper) - 1 : Math.floor(b.upper)) : Number.MAX_SAFE_INTEGER;
    const small = fc.integer({ min: Math.max(lo, -1000), max: Math.min(hi, 1000) });
    if (lo >= -(2 ** 31) && hi < 2 ** 31) return fc.integer({ min: lo, max: hi }).map((v) => v || 0);
    return fc.oneof(small, fc.maxSafeInteger().filter(inside)).map((v) => v || 0);
  }
  const double = fc
    .double({
      noNaN: true,
      noDefaultInfinity: true,
      ...(Number.isFinite(b.lower) ? { min: b.lower, minExcluded: b.lowerExcluded } : {}),
      ...(Number.isFinite(b.upper) ? { max: b.upper, maxExcluded: b.upperExcluded } : {}),
    })
    .map((v) => v || 0)
    .filter(inside);
  // Small integers too, where the bounds have some: easier to read than most doubles.
  const lo = Math.max(-100, Math.ceil(b.lower));
  const hi = Math.min(100, Math.floor(b.upper));
  const small = fc.integer({ min: Math.min(lo, hi), max: hi }).filter(inside);
  return lo <= hi && [lo, hi, Math.ceil((lo + hi) / 2)].some(inside) ? fc.oneof(double, small.map((v) => v || 0)) : double;
}

/** Strings of the keywords' format or pattern and lengths (counted in code points). */
export function stringOf(keywords: readonly Keywords[]): fc.Arbitrary<string> {
  let minLength = 0;
  let maxLength: number | undefined;
  let format: string | undefined;
  let pattern: string | undefined;
  for (const k of keywords) {
    if (k.minLength !== undefined) minLength = Math.max(minLength, k.minLength);
    if (k.maxLength !== undefined) maxLength = Math.min(maxLength ?? Infinity, k.maxLength);
    format ??= k.format;
    pattern ??= k.pattern;
  }
  if (format !== undefined) return formatOf(format);
  if (pattern !== undefined) return fc.stringMatching(new RegExp(pattern));
  return fc.string({ unit: "binary", minLength, maxLength: maxLength ?? minLength + 8 });
}

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const hex4 = fc.stringMatching(/^[0-9a-f]{1,4}$/);
/** Dates of years 1 to 9999: what `toISOString` writes without a sign, and `date-time` accepts. */
export const isoDates = fc.date({ min: new Date("0001-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true });
const pointer = fc.array(fc.stringMatching(/^[a-z~/]{0,4}$/), { maxLength: 3 }).map((tokens) => tokens.map((t) => `/${t.replaceAll("~", "~0").replaceAll("/", "~1")}`).join(""));

/** Plain, unremarkable strings of each format jamp-gen supports. */
const formats: Readonly<Record<string, fc.Arbitrary<string>>> = {
  date: isoDates.map((d) => d.toISOString().slice(0, 10)),
  "date-time": isoDates.map((d) => d.toISOString()),
  time: isoDates.map((d) => `${d.toISOString().slice(11, 19)}Z`),
  duration: fc.constantFrom("P1D", "PT5M", "P1Y2M3DT4H5M6S", "P2W", "PT0.5S"),
  email: fc.tuple(label, label, label).map(([user, host, tld]) => `${user}@${host}.${tld}`),
  hostname: fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => labels.join(".")),
  ipv4: fc.ipV4(),
  ipv6: fc.array(hex4, { minLength: 8, maxLength: 8 }).map((groups) => groups.join(":")),
  "json-pointer": pointer,
  "relative-json-pointer": fc.tuple(fc.nat({ max: 9 }), fc.oneof(fc.constant("#"), pointer)).map(([n, rest]) => `${n}${rest}`),
  uri: fc.tuple(label, fc.array(label, { maxLength: 2 })).map(([host, path]) => `https://${host}.example/${path.join("/")}`),
  "uri-reference": fc.oneof(fc.array(label, { minLength: 1, maxLength: 2 }).map((p) => p.join("/")), label.map((h) => `https://${h}.example/`)),
  uuid: fc.uuid(),
};

function formatOf(format: string): fc.Arbitrary<string> {
  const arbitrary = formats[format];
  if (!arbitrary) throw new Error(`sampleOf has no strings of format '${format}': add them in test/support/arbitrary.ts`);
  return arbitrary;
}

/** JavaScript's canonical number texts, as a `[key: number]` index signature's keys. */
export function numericKey(): fc.Arbitrary<string> {
  return fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true })).map((n) => String(n || 0));
}

type Hole = "string" | "number" | "bigint";

const holeTexts: Readonly<Record<Hole, fc.Arbitrary<string>>> = {
  string: fc.string({ unit: "binary", maxLength: 6 }),
  number: fc.oneof(
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n || 0)),
    fc.constantFrom(".5", "1.", "+4", "-0.25", "2e3", "1E-2", "0x1F", "0o17", "0b101"),
  ),
  bigint: fc.oneof(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String), fc.constantFrom("0x1f", "0o7", "0b11")),
};

const singleChar: Readonly<Record<Hole, fc.Arbitrary<string>>> = {
  string: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  number: fc.integer({ min: 0, max: 9 }).map(String),
  bigint: fc.integer({ min: 0, max: 9 }).map(String),
};

/**
 * Strings of a template as TypeScript matches them: a hole followed by text ends at that text's first
 * occurrence, so it may not hold one; a hole followed by another hole takes one character.
 */
export function templateOf(texts: readonly string[], holes: readonly string[]): fc.Arbitrary<string> {
  const parts = holes.map((name, i) => {
    const hole = name as Hole;
    if (!holeTexts[hole]) throw new Error(`sampleOf does not know the template hole '${name}'`);
    const after = texts[i + 1] ?? "";
    if (i === holes.length - 1) return holeTexts[hole];
    if (after === "") return singleChar[hole];
    return holeTexts[hole].filter((text) => (text + after).indexOf(after) === text.length);
  });
  return fc.tuple(...parts).map((filled) => texts.map((text, i) => text + (filled[i] ?? "")).join(""));
}

export function itemBounds(keywords: readonly Keywords[], exhausted: boolean): { min: number; max: number; unique: boolean } {
  let min = 0;
  let max: number | undefined;
  let unique = false;
  for (const k of keywords) {
    if (k.minItems !== undefined) min = Math.max(min, k.minItems);
    if (k.maxItems !== undefined) max = Math.min(max ?? Infinity, k.maxItems);
    if (k.uniqueItems) unique = true;
  }
  return { min, max: exhausted ? min : Math.min(max ?? Infinity, min + MAX_ITEMS), unique };
}
