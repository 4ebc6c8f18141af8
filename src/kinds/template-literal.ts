/**
 * Template literal types: `` `user-${string}` ``, `` `${number}px` ``, `` `v${number}.${number}` ``.
 * Emits `{ "type": "string", "pattern": "^…$" }` accepting exactly the strings TypeScript accepts.
 * (A union inside, `` `${"a" | "b"}-${string}` ``, reaches here already split by TypeScript into a
 * union of template literals, one pattern each.)
 *
 * TypeScript matches a string against a template left to right: the text before the first hole and
 * after the last must be there, and each hole followed by text ends at the first place that text
 * occurs (a hole followed directly by another takes one character). The pattern does the same: such
 * a hole may not run over an occurrence of the text after it (`(?:(?!-)[\s\S])*`). A `${number}`
 * hole takes what `Number()` reads as a number (`1`, `-1.5e3`, `.5`, `0x1f`), except with surrounding
 * whitespace, which TypeScript also allows, and except that a number too large for a double is not
 * refused. A hole of any other type (`Uppercase<string>`, a brand) is reported: no pattern is close
 * enough, and a pattern looser than the type is never emitted.
 */
import type { ts as TS } from "ts-morph";
import { ts } from "../analyzer/ts-morph.js";
import type { Kind } from "./kind.js";

export type Hole = "string" | "number" | "bigint";

export interface TemplateLiteralNode {
  kind: "template-literal";
  /** The texts around the holes; one more than `holes`. */
  texts: string[];
  holes: Hole[];
}

export const templateLiteralKind: Kind<TemplateLiteralNode> = {
  kind: "template-literal",
  read(type, cx) {
    if (!type.isTemplateLiteral()) return undefined;
    const compiled = type.compilerType as TS.TemplateLiteralType;
    const holes: Hole[] = [];
    for (const hole of compiled.types) {
      const flags = hole.flags;
      const name = flags & ts.TypeFlags.String ? "string" : flags & ts.TypeFlags.Number ? "number" : flags & ts.TypeFlags.BigInt ? "bigint" : undefined;
      if (name === undefined) {
        cx.report("error", "JG1021", `Template literal type '${cx.typeText(type)}' has a hole no pattern expresses exactly.`, "use only ${string}, ${number} and ${bigint} holes, literal texts and unions of literals; or use string");
        return { kind: "any", ts: "unknown" };
      }
      holes.push(name);
    }
    return { kind: "template-literal", texts: [...compiled.texts], holes };
  },
  tsType(node) {
    const escape = (text: string) => text.replace(/[\\`]|\$\{/g, (m) => `\\${m}`);
    return `\`${node.texts.map((text, i) => escape(text) + (i < node.holes.length ? `\${${node.holes[i]}}` : "")).join("")}\``;
  },
  schema: (node) => ({ type: "string", pattern: templatePattern(node.texts, node.holes) }),
  revive: () => undefined,
  encode: () => undefined,
};

/** The anchored pattern of a template: `^user-[\s\S]*$`. */
export function templatePattern(texts: readonly string[], holes: readonly Hole[]): string {
  let pattern = `^${escapeRegExp(texts[0] ?? "")}`;
  holes.forEach((hole, i) => {
    const after = texts[i + 1] ?? "";
    const last = i === holes.length - 1;
    pattern += last ? HOLES[hole].pattern(plain) : after === "" ? HOLES[hole].single : HOLES[hole].pattern(guard(after));
    pattern += escapeRegExp(after);
  });
  return `${pattern}$`;
}

/** Wraps one character class of a hole's pattern. */
type Atom = (atom: string) => string;

const plain: Atom = (atom) => atom;

/**
 * A hole followed by `text` ends at the first occurrence of `text`, so none of its characters may
 * start one: each character class that could match the first character of `text` gets a lookahead.
 */
function guard(text: string): Atom {
  const lookahead = `(?!${escapeRegExp(text)})`;
  return (atom) => (new RegExp(`^(?:${atom})$`, "u").test(text.charAt(0)) ? `(?:${lookahead}${atom})` : atom);
}

const nonDecimal = (a: Atom) => `${a("0")}(?:${a("[xX]")}${a("[0-9a-fA-F]")}+|${a("[oO]")}${a("[0-7]")}+|${a("[bB]")}${a("[01]")}+)`;

const HOLES: Readonly<Record<Hole, { pattern: (a: Atom) => string; single: string }>> = {
  string: { pattern: (a) => `${a("[\\s\\S]")}*`, single: "[\\s\\S]" },
  // What `+text` reads as a finite number (but for surrounding whitespace): TypeScript's test.
  number: {
    pattern: (a) => `(?:${a("[+-]")}?(?:${a("[0-9]")}+${a("\\.")}?${a("[0-9]")}*|${a("\\.")}${a("[0-9]")}+)(?:${a("[eE]")}${a("[+-]")}?${a("[0-9]")}+)?|${nonDecimal(a)})`,
    single: "[0-9]",
  },
  // An integer literal, optionally negative, as TypeScript's scanner reads one before an `n`.
  bigint: {
    pattern: (a) => `${a("-")}?(?:${nonDecimal(a)}|${a("0")}|${a("[1-9]")}${a("[0-9]")}*)`,
    single: "[0-9]",
  },
};

/** Escapes what is special in a `u`-flag pattern (and nothing else, which the `u` flag would refuse). */
function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}
