/**
 * Shapes describe each kind of configuration value twice: as a reader that turns a JSON node into a
 * typed value or precise issues, and as the JSON Schema editors use for completion. The published
 * schema is built from the same shapes, so what the file promises and what the loader accepts cannot
 * drift apart (`test/config.test.ts` also checks them against ajv).
 */
import type { Extent, JsonNode } from "./json.js";

export type JsonSchema = { [keyword: string]: unknown };

/** One thing wrong in a configuration file. */
export interface Issue {
  /** The JSON path of the offending key or value (`entries[1].emit[2]`); "" for the document itself. */
  path: string;
  /** What it points at in the file. */
  at: Extent;
  message: string;
}

export interface Shape<T> {
  /** What a message says is expected: `a non-empty string`. */
  readonly expected: string;
  readonly schema: JsonSchema;
  /** The value, or `undefined` after adding at least one issue. */
  read(node: JsonNode, path: string, issues: Issue[]): T | undefined;
}

export type ValueOf<S> = S extends Shape<infer T> ? T : never;

/** A member of a record shape: its value's shape and what editors show for the key. */
export interface Field<T> {
  shape: Shape<T>;
  description: string;
}

type Fields = Record<string, Field<unknown>>;
export type RecordOf<F extends Fields> = { [K in keyof F]?: F[K] extends Field<infer T> ? T : never };

/** A string with at least one character. */
export function text(expected = "a non-empty string"): Shape<string> {
  return {
    expected,
    schema: { type: "string", minLength: 1 },
    read: (node, path, issues) => (node.type === "string" && node.value !== "" ? node.value : mismatch(node, path, expected, issues)),
  };
}

/** One of a few fixed strings. */
export function oneOf<const V extends readonly string[]>(values: V): Shape<V[number]> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  return {
    expected,
    schema: { enum: [...values] },
    read: (node, path, issues) =>
      node.type === "string" && values.includes(node.value) ? (node.value as V[number]) : mismatch(node, path, expected, issues),
  };
}

/** A non-empty array whose items all have `item`'s shape. */
export function listOf<T>(item: Shape<T>, expected: string): Shape<T[]> {
  return {
    expected,
    schema: { type: "array", minItems: 1, items: item.schema },
    read(node, path, issues) {
      if (node.type !== "array" || node.items.length === 0) return mismatch(node, path, expected, issues);
      const values = node.items.map((n, i) => item.read(n, `${path}[${i}]`, issues));
      return values.every((v) => v !== undefined) ? (values as T[]) : undefined;
    },
  };
}

/** One non-empty string, or a non-empty array of them; read as an array either way. */
export function textOrList(expected: string): Shape<string[]> {
  const one = text();
  const many = listOf(one, expected);
  return {
    expected,
    // One level for editors: minLength binds only strings, and minItems and items only arrays.
    schema: { type: ["string", "array"], minLength: 1, minItems: 1, items: one.schema },
    read(node, path, issues) {
      if (node.type === "string") return node.value === "" ? mismatch(node, path, expected, issues) : [node.value];
      return many.read(node, path, issues);
    },
  };
}

/**
 * A closed object: every key must be one of `fields`. Keys are looked up as own properties only, so
 * `constructor` or `__proto__` in a file is an unknown key, never something inherited.
 */
export function record<const F extends Fields>(fields: F, expected: string): Shape<RecordOf<F>> {
  const names = Object.keys(fields);
  return {
    expected,
    schema: {
      type: "object",
      properties: Object.fromEntries(names.map((name) => [name, { description: fields[name]!.description, ...fields[name]!.shape.schema }])),
      additionalProperties: false,
    },
    read(node, path, issues) {
      if (node.type !== "object") return mismatch(node, path, expected, issues);
      const before = issues.length;
      const out: Record<string, unknown> = {};
      for (const member of node.members.values()) {
        const at = keyPath(path, member.key);
        if (!Object.hasOwn(fields, member.key)) {
          issues.push({ path: at, at: member.keyAt, message: `unknown key; expected one of ${names.join(", ")}${suggestion(member.key, names)}` });
          continue;
        }
        const value = fields[member.key]!.shape.read(member.value, at, issues);
        if (value !== undefined) out[member.key] = value;
      }
      for (const earlier of node.repeated) {
        const later = node.members.get(earlier.key)!;
        issues.push({ path: keyPath(path, earlier.key), at: later.keyAt, message: "expected each key once; found this key a second time (JSON would keep only the last)" });
      }
      return issues.length === before ? (out as RecordOf<F>) : undefined;
    },
  };
}

/** `entries[0].emit`, or `entries[0]["odd key"]` when the key is not an identifier. */
export function keyPath(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

/** How a message shows the value it found: short JSON for scalars, a word for containers. */
export function describe(node: JsonNode): string {
  switch (node.type) {
    case "object":
      return node.members.size === 0 ? "{}" : "an object";
    case "array":
      return node.items.length === 0 ? "[]" : "an array";
    case "string":
      return JSON.stringify(node.value.length > 60 ? `${node.value.slice(0, 57)}...` : node.value);
    default:
      return String(node.value);
  }
}

function mismatch(node: JsonNode, path: string, expected: string, issues: Issue[]): undefined {
  issues.push({ path, at: node, message: `expected ${expected}; found ${describe(node)}` });
  return undefined;
}

/** ` (did you mean "emit"?)` for a key one or two edits away from a known one. */
function suggestion(key: string, names: readonly string[]): string {
  const near = names.find((name) => name.toLowerCase() === key.toLowerCase()) ?? names.find((name) => editDistance(name, key) <= 2);
  return near ? ` (did you mean "${near}"?)` : "";
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
