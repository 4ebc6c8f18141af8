/**
 * Seeded random mutations of the oracle table's samples (a value replaced, a key added or removed,
 * an item duplicated or dropped): the compiled validator must agree with ajv on every one.
 */
import { describe, expect, test } from "vitest";
import { cases } from "./cases.js";
import { ajvOracle, compileOne, run } from "./harness.js";

const MUTANTS_PER_SAMPLE = 40;

const replacements: readonly unknown[] = [
  null,
  0,
  -1,
  1.5,
  7,
  "",
  "a",
  "abc",
  "12345",
  "2024-01-01T00:00:00Z",
  true,
  [],
  {},
  [1],
  ["a"],
  { a: 1 },
  { kind: "circle", radius: 1 },
];

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of `value` with one random change somewhere inside it. */
function mutate(value: unknown, next: () => number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  if (Array.isArray(value) && value.length > 0 && next() < 0.6) {
    const copy = [...value];
    const i = Math.floor(next() * copy.length);
    const action = pick(["inner", "duplicate", "drop"] as const);
    if (action === "inner") copy[i] = mutate(copy[i], next);
    else if (action === "duplicate") copy.push(structuredClone(copy[i]));
    else copy.splice(i, 1);
    return copy;
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value) && next() < 0.7) {
    const copy: Record<string, unknown> = { ...value };
    const keys = Object.keys(copy);
    const action = keys.length > 0 ? pick(["inner", "inner", "delete", "add"] as const) : "add";
    if (action === "add") copy[pick(["x", "a", "kind", "zip", "value", "n"])] = pick(replacements);
    else if (action === "delete") delete copy[pick(keys)];
    else {
      const key = pick(keys);
      copy[key] = mutate(copy[key], next);
    }
    return copy;
  }
  return structuredClone(pick(replacements));
}

describe.each(cases.map((c, i) => [c.name, c, i] as const))(
  "%s",
  (_name, { schema, defs = {}, valid, invalid }, index) => {
    test("agrees with ajv on random mutations of its samples", () => {
      const validate = compileOne(schema, defs);
      const oracle = ajvOracle(schema, defs);
      const next = random(index + 1);
      for (const sample of [...valid, ...invalid]) {
        for (let n = 0; n < MUTANTS_PER_SAMPLE; n++) {
          const mutant = mutate(sample, next);
          const { valid: verdict, issues } = run(validate, mutant);
          expect({ mutant, verdict }).toEqual({ mutant, verdict: oracle(mutant) });
          expect(issues.length === 0).toBe(verdict);
        }
      }
    });
  },
);
