/**
 * Mutations of valid frames, the hostile input of `npm run fuzz` and of the codecs' property tests: text
 * edits (bit flips in the UTF-8 bytes, truncation, deleted, repeated and inserted spans) and, where the
 * frame is JSON, edits of its structure (swapped, dropped and repeated slots, values replaced by huge
 * numbers, lone surrogates, long strings, `__proto__`/`constructor`/`prototype` objects, nesting far past
 * any depth limit, batches). Deterministic: the same frame and the same `Random` give the same result.
 * Results are strings (the text of a WebSocket text frame); byte edits that break UTF-8 decode to U+FFFD,
 * as a receiving text API would show them.
 */

/** A seeded source of numbers in [0, 1). */
export type Random = () => number;

/**
 * A small fast generator (sfc32, seeded through splitmix32): good enough to pick mutations, and the same
 * sequence on every machine for the same seed.
 */
export function createRandom(seed: number): Random {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** A whole number from 0 to `n - 1`. */
export function below(random: Random, n: number): number {
  return Math.floor(random() * n);
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[below(random, items.length)] as T;
}

/** One named way of breaking a frame. */
export interface Mutation {
  readonly name: string;
  /** How often it is picked, relative to the others: the costly ones (big frames) are rare. */
  readonly weight: number;
  readonly apply: (frame: string, random: Random) => string;
}

/** Mostly small, sometimes far past a limit: `common` nine times in ten, else `rare`. */
function sizeOf(random: Random, common: readonly number[], rare: readonly number[]): number {
  return random() < 0.9 ? pick(random, common) : pick(random, rare);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Edits of the text, whatever it holds. */
const textMutations: readonly Mutation[] = [
  {
    name: "flip-bit",
    weight: 10,
    apply(frame, random) {
      const bytes = encoder.encode(frame);
      if (bytes.length === 0) return frame;
      const at = below(random, bytes.length);
      bytes[at] = (bytes[at] as number) ^ (1 << below(random, 8));
      return decoder.decode(bytes);
    },
  },
  {
    name: "set-byte",
    weight: 10,
    apply(frame, random) {
      const bytes = encoder.encode(frame);
      if (bytes.length === 0) return frame;
      const bytesOfNote = [0x00, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x30, 0x2d, 0x65, 0xc0, 0xed, 0xff];
      bytes[below(random, bytes.length)] = random() < 0.5 ? pick(random, bytesOfNote) : below(random, 256);
      return decoder.decode(bytes);
    },
  },
  { name: "truncate", weight: 10, apply: (frame, random) => frame.slice(0, below(random, frame.length)) },
  {
    name: "delete-span",
    weight: 10,
    apply(frame, random) {
      const start = below(random, frame.length + 1);
      return frame.slice(0, start) + frame.slice(start + 1 + below(random, 8));
    },
  },
  {
    name: "repeat-span",
    weight: 10,
    apply(frame, random) {
      const start = below(random, frame.length + 1);
      const span = frame.slice(start, start + 1 + below(random, 16));
      return frame.slice(0, start) + span.repeat(2 + below(random, 3)) + frame.slice(start);
    },
  },
  {
    name: "insert-token",
    weight: 10,
    apply(frame, random) {
      const tokens = ["{", "}", "[", "]", '"', "\\", ",", ":", "null", "1e400", "-0", "\\u0000", "\\ud800", '"\\udc00"',
        '"__proto__":{"polluted":1},', "\ud800", "\u0000", " ", "9007199254740993", "[[[[[[[[", "]]]]]]]]"];
      const at = below(random, frame.length + 1);
      return frame.slice(0, at) + pick(random, tokens) + frame.slice(at);
    },
  },
];

/** Raw JSON texts put in place of a value: what parsers and checks trip over. */
const oddValues = [
  "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "9007199254740993", "-9007199254740993",
  "9007199254740992", "-0", "0.5", "-1", "4294967296", "1.7976931348623157e308", "5e-324",
  '"\\ud800"', '"\\udfff"', '"a\\ud800b"', '"\\udc00\\ud800"', '"\\u0000"', '""', '"2026-13-45T99:99:99Z"',
  "null", "true", "false", "[]", "{}", "[null]", '{"":null}',
  '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
  '{"prototype":{"polluted":true}}',
  '["__proto__"]', '"__proto__"', '"constructor"', '"toString"', '"hasOwnProperty"',
];

/** Edits of the parsed structure; each returns `undefined` when the frame has nothing it applies to. */
interface Edit {
  readonly name: string;
  readonly weight: number;
  readonly apply: (root: unknown, random: Random, raw: RawTexts) => unknown;
}

/**
 * Raw JSON texts to splice into the frame once it is written (numbers such as `1e400` that a parsed value
 * cannot hold, nesting that `JSON.stringify` would recurse through): each is written as a marker string.
 */
class RawTexts {
  readonly texts: string[] = [];
  /** The length of the texts, to keep frames within `maxLength`. */
  size = 0;
  constructor(readonly maxLength: number) {}
  /** A marker, written as a JSON string, that `splice` replaces with `text`. */
  marker(text: string): string {
    this.texts.push(text);
    this.size += text.length;
    return `\u0001fz${this.texts.length - 1}\u0001`;
  }
  /** `json` with each marker replaced by its text (also markers inside texts, which nest-deep can wrap). */
  splice(json: string): string {
    let text = json;
    for (let round = 0; round < 4 && text.includes("\\u0001fz"); round++) {
      text = text.replace(/"\\u0001fz(\d+)\\u0001"/g, (_, index: string) => this.texts[Number(index)] as string);
    }
    return text;
  }
}

interface Slot {
  readonly parent: unknown[] | Record<string, unknown>;
  readonly key: number | string;
}

/** The slots of arrays and objects in `root`, breadth first, at most `limit` of them. */
function slotsOf(root: unknown, limit = 256): Slot[] {
  const slots: Slot[] = [];
  const queue: unknown[] = [root];
  for (let i = 0; i < queue.length && slots.length < limit; i++) {
    const node = queue[i];
    if (Array.isArray(node)) {
      node.forEach((item, key) => {
        slots.push({ parent: node, key });
        queue.push(item);
      });
    } else if (typeof node === "object" && node !== null) {
      for (const key of Object.keys(node)) {
        slots.push({ parent: node as Record<string, unknown>, key });
        queue.push((node as Record<string, unknown>)[key]);
      }
    }
  }
  return slots;
}

function containersOf(root: unknown): (unknown[] | Record<string, unknown>)[] {
  const containers = new Set<unknown[] | Record<string, unknown>>();
  if (typeof root === "object" && root !== null) containers.add(root as Record<string, unknown>);
  for (const slot of slotsOf(root)) {
    const value = get(slot);
    if (typeof value === "object" && value !== null) containers.add(value as Record<string, unknown>);
  }
  return [...containers];
}

function get(slot: Slot): unknown {
  return (slot.parent as Record<string | number, unknown>)[slot.key];
}

/** Sets a slot; an object key is defined, so that `__proto__` becomes data, as `JSON.parse` makes it. */
function set(slot: Slot, value: unknown): void {
  if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
  else Object.defineProperty(slot.parent, slot.key, { value, enumerable: true, writable: true, configurable: true });
}

/** A value at a random place (or the root itself, replaced by what `make` returns). */
function replaceSomewhere(root: unknown, random: Random, make: (old: unknown) => unknown): unknown {
  const slots = slotsOf(root);
  if (slots.length === 0 || random() < 0.1) return make(root);
  const slot = pick(random, slots);
  set(slot, make(get(slot)));
  return root;
}

function nest(depth: number, inner: string, random: Random): string {
  return random() < 0.5
    ? "[".repeat(depth) + inner + "]".repeat(depth)
    : '{"a":'.repeat(depth) + inner + "}".repeat(depth);
}

const edits: readonly Edit[] = [
  {
    name: "swap-slots",
    weight: 10,
    apply(root, random) {
      const containers = containersOf(root).filter((c) => Object.keys(c).length >= 2);
      if (containers.length === 0) return undefined;
      const container = pick(random, containers);
      const keys = Object.keys(container);
      const a = { parent: container, key: Array.isArray(container) ? Number(pick(random, keys)) : pick(random, keys) };
      const b = { parent: container, key: Array.isArray(container) ? Number(pick(random, keys)) : pick(random, keys) };
      const first = get(a);
      set(a, get(b));
      set(b, first);
      return root;
    },
  },
  {
    name: "drop-slot",
    weight: 10,
    apply(root, random) {
      const slots = slotsOf(root);
      if (slots.length === 0) return undefined;
      const slot = pick(random, slots);
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key];
      return root;
    },
  },
  {
    name: "repeat-slot",
    weight: 5,
    apply(root, random) {
      const arrays = containersOf(root).filter(Array.isArray);
      if (arrays.length === 0) return undefined;
      const array = pick(random, arrays);
      const at = below(random, array.length + 1);
      array.splice(at, 0, ...Array<unknown>(1 + below(random, 3)).fill(array[at] ?? null));
      return root;
    },
  },
  {
    name: "odd-value",
    weight: 20,
    apply: (root, random, raw) => replaceSomewhere(root, random, () => raw.marker(pick(random, oddValues))),
  },
  {
    name: "change-type",
    weight: 10,
    apply: (root, random) =>
      replaceSomewhere(root, random, (old) => {
        if (typeof old === "string") return random() < 0.5 ? Number(old.length) : [old];
        if (typeof old === "number") return random() < 0.5 ? String(old) : -old - 1;
        if (Array.isArray(old)) return random() < 0.5 ? { ...old } : old.length;
        if (typeof old === "object" && old !== null) return Object.values(old);
        return String(old);
      }),
  },
  {
    name: "long-string",
    weight: 1,
    apply: (root, random, raw) =>
      replaceSomewhere(root, random, () =>
        "x".repeat(Math.min(sizeOf(random, [100, 1000, 4096], [65_536, 100_000]), raw.maxLength / 2)),
      ),
  },
  {
    name: "pollute",
    weight: 10,
    apply(root, random) {
      const objects = containersOf(root).filter((c) => !Array.isArray(c));
      const payload = { polluted: true, toString: 1, constructor: { prototype: { polluted: true } } };
      const key = pick(random, ["__proto__", "constructor", "prototype"]);
      if (objects.length > 0 && random() < 0.7) {
        set({ parent: pick(random, objects), key }, random() < 0.5 ? payload : { ...payload });
        return root;
      }
      return replaceSomewhere(root, random, (old) => {
        const wrapper = {};
        set({ parent: wrapper, key }, old === undefined ? payload : old);
        return wrapper;
      });
    },
  },
  {
    name: "nest-deep",
    weight: 3,
    apply: (root, random, raw) =>
      replaceSomewhere(root, random, (old) => {
        const depth = sizeOf(random, [127, 128, 129, 1000], [30_000]);
        return raw.marker(nest(depth, JSON.stringify(old) ?? "0", random));
      }),
  },
  {
    name: "batch",
    weight: 3,
    apply(root, random, raw) {
      // As many copies as fit in the frame size: a long batch of small entries, or a few big ones.
      const size = (JSON.stringify(root)?.length ?? 4) + raw.size + 1;
      const count = Math.min(sizeOf(random, [0, 1, 2, 10], [999, 1000, 1001]), Math.floor(raw.maxLength / size));
      return Array.from({ length: count }, () => (random() < 0.8 ? root : null));
    },
  },
];

/** The longest frame a mutation makes, in characters (each at most 3 bytes: within `listen`'s 1 MiB). */
const maxLength = 256 * 1024;

/**
 * Every mutation by name, text edits first. An edit of the structure falls back to a text edit when the
 * frame is not JSON, when it finds nothing to edit, or when the frame nests too deeply to be written again.
 */
export const mutations: readonly Mutation[] = [
  ...textMutations,
  ...edits.map(
    (edit): Mutation => ({
      name: edit.name,
      weight: edit.weight,
      apply(frame, random) {
        try {
          const raw = new RawTexts(maxLength);
          const changed = edit.apply(JSON.parse(frame), random, raw);
          if (changed !== undefined) return raw.splice(JSON.stringify(changed));
        } catch {
          // Not JSON, or too deep for JSON.stringify: edit the text instead.
        }
        return pick(random, textMutations).apply(frame, random);
      },
    }),
  ),
];

const totalWeight = mutations.reduce((sum, mutation) => sum + mutation.weight, 0);

/**
 * `frame` after one to three mutations picked at random by weight. A result longer than `maxLength`
 * characters is cut to that length (truncation being a mutation too).
 */
export function mutateFrame(frame: string, random: Random): string {
  let mutated = frame;
  const rounds = 1 + below(random, 3);
  for (let i = 0; i < rounds; i++) {
    let at = random() * totalWeight;
    const mutation = mutations.find((m) => (at -= m.weight) < 0) ?? (mutations[0] as Mutation);
    mutated = mutation.apply(mutated, random);
    if (mutated.length > maxLength) mutated = mutated.slice(0, maxLength);
  }
  return mutated;
}
