/**
 * The patterns of template literal types agree with TypeScript itself: for each template, many
 * strings are checked both by the compiler (`const s: T = "…"`) and by the pattern, and must get the
 * same verdict. The corpus leaves out whitespace around numbers and numbers too large for a double,
 * the two documented places where the pattern and TypeScript part ways.
 */
import { Project, ts, type Type } from "ts-morph";
import { describe, expect, it } from "vitest";
import type { ReadContext } from "../../../src/kinds/kind.js";
import { templateLiteralKind, templatePattern, type TemplateLiteralNode } from "../../../src/kinds/template-literal.js";

const templates = [
  "`user-${string}`",
  "`${number}px`",
  "`v${number}.${number}.${number}`",
  "`${number}x${number}`",
  "`${number}-${number}`",
  "`${number}e${number}`",
  "`${number}ee${number}`",
  "`${string}@${string}`",
  "`${string}ab${string}`",
  "`${string}-${number}`",
  "`a${string}b${number}c`",
  "`${number}${string}`",
  "`${string}${number}`",
  "`${bigint}n`",
  "`${bigint}.${bigint}`",
  "`${bigint}b${number}`",
];

const fragments = ["", "0", "1", "7", "12", "-1", "+1", "-", "+", "1.5", ".5", "1.", ".", "1e3", "1E-3", "e5", "0x1f", "0X1F", "0b101", "0o17", "0x", "00", "01", "-0", "1_0", "Infinity", "NaN", "e", "ee", "x", "b", "px", "@", "v", "a", "ab", "abc", "n", "1n", "-0x1"];

/** A small deterministic PRNG (mulberry32), so the corpus is the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings shaped like the template (its texts with fragments in the holes), and random mixes. */
function corpus(node: TemplateLiteralNode, seed: number): string[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const out = new Set<string>();
  for (let n = 0; n < 300; n++) {
    out.add(node.texts.map((text, i) => text + (i < node.holes.length ? pick(fragments) + (next() < 0.3 ? pick(fragments) : "") : "")).join(""));
    const parts = [...node.texts, ...fragments];
    out.add(Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(parts)).join(""));
  }
  // Exponents of three digits may overflow to Infinity, which TypeScript refuses and no pattern can tell.
  return [...out].filter((s) => !/[eE][+-]?[0-9]{3}/.test(s));
}

function readTemplate(type: Type): TemplateLiteralNode {
  const cx = { report: (_s: string, _c: string, message: string) => expect.fail(message), typeText: (t: Type) => t.getText() } as unknown as ReadContext;
  const node = templateLiteralKind.read(type, cx);
  if (node?.kind !== "template-literal") throw new Error(`not a template literal: ${type.getText()}`);
  return node;
}

describe("template literal patterns", () => {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022 } });

  it.each(templates.map((t, i) => [t, i] as const))("accepts exactly what TypeScript accepts for %s", (template, index) => {
    const probe = project.createSourceFile(`probe${index}.ts`, `export type T = ${template};\n`, { overwrite: true });
    const node = readTemplate(probe.getTypeAliasOrThrow("T").getType());
    const pattern = new RegExp(templatePattern(node.texts, node.holes), "u");
    const strings = corpus(node, index + 1);
    const file = project.createSourceFile(`check${index}.ts`, `import type { T } from "./probe${index}.js";\n${strings.map((s, i) => `export const c${i}: T = ${JSON.stringify(s)};`).join("\n")}\n`, { overwrite: true });
    const refused = new Set(file.getPreEmitDiagnostics().map((d) => (d.getLineNumber() ?? 0) - 2));
    const disagreements = strings.flatMap((s, i) => (pattern.test(s) === refused.has(i) ? [`${JSON.stringify(s)}: TypeScript ${refused.has(i) ? "refuses" : "accepts"} it`] : []));
    expect(disagreements).toEqual([]);
    // The corpus must exercise both verdicts, or the comparison proves little.
    expect(refused.size).toBeGreaterThan(10);
    expect(strings.length - refused.size).toBeGreaterThan(10);
  });

  it("keeps its two documented differences from TypeScript: surrounding whitespace and overflow", () => {
    const pattern = new RegExp(templatePattern(["", "px"], ["number"]), "u");
    expect(pattern.test(" 1px")).toBe(false); // TypeScript accepts it: `+" 1"` is 1
    expect(pattern.test("1e999px")).toBe(true); // TypeScript refuses it: `+"1e999"` is Infinity
  });

  it("spells the type back as TypeScript wrote it, escaping what a template would read", () => {
    const tsType = (texts: string[], holes: TemplateLiteralNode["holes"]) => templateLiteralKind.tsType({ kind: "template-literal", texts, holes }, {} as never);
    expect(tsType(["user-", ""], ["string"])).toBe("`user-${string}`");
    expect(tsType(["a`b\\c${", ""], ["number"])).toBe("`a\\`b\\\\c\\${${number}`");
  });
});
