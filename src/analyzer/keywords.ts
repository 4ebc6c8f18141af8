/**
 * JSDoc tags → schema keywords. `@minimum 0`, `@pattern ^[a-z]+$`, `@format email`, `@default 5`, ...
 * on a property, a parameter or a named type become that member's `Keywords`; `@integer` (or
 * `@type integer`) turns its `number` into an integer. A malformed value is reported at the tag now;
 * whether each keyword fits the member's type is checked once the model is complete
 * (`keyword-checks.ts`), since a named type may still be half read here. Unknown tags are ignored.
 */
import type { JSDoc, JSDocTag, TypeAliasDeclaration, ts as TS } from "ts-morph";
import { Node, ts } from "./ts-morph.js";
import type { Diagnostic } from "../diagnostics.js";
import { asInteger } from "../kinds/integer.js";
import type { TypeNode } from "../kinds/index.js";
import type { KeywordName, Keywords, TagKeywords } from "../model/keywords.js";
import type { SourceSpan } from "../model/model.js";
import { formatCheckers } from "../validators/formats.js";
import { lineAndColumn, relativeFile, wrapSyntax } from "./source.js";

/** The values a keyword constrains: it must fit the member's type. `any` fits every type. */
export type Domain = "number" | "string" | "array" | "any";

type Parsed = { value: unknown } | { code: string; problem: string; hint: string };

interface TagRule {
  domain: Domain;
  parse(text: string, tag: string): Parsed;
}

/** A number as JSON and JavaScript write it: no hex, no empty text (which `Number` reads as 0). */
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

const malformed = (tag: string, needs: string, example: string): Parsed => ({ code: "JG1016", problem: `@${tag} needs ${needs}`, hint: `write e.g. '@${tag}${example ? ` ${example}` : ""}'` });

const finite: TagRule["parse"] = (text, tag) => (NUMBER.test(text) && Number.isFinite(Number(text)) ? { value: Number(text) } : malformed(tag, "a number", "0"));
const positive: TagRule["parse"] = (text, tag) => (NUMBER.test(text) && Number(text) > 0 && Number.isFinite(Number(text)) ? { value: Number(text) } : malformed(tag, "a number above 0", "0.01"));
const count: TagRule["parse"] = (text, tag) => (/^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? { value: Number(text) } : malformed(tag, "a whole number of at least 0", "1"));

function json(text: string, tag: string): Parsed {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return malformed(tag, "a JSON value", tag === "examples" ? '["red", "blue"]' : '"red"');
  }
}

const TAGS: Readonly<Record<KeywordName, TagRule>> = {
  minimum: { domain: "number", parse: finite },
  maximum: { domain: "number", parse: finite },
  exclusiveMinimum: { domain: "number", parse: finite },
  exclusiveMaximum: { domain: "number", parse: finite },
  multipleOf: { domain: "number", parse: positive },
  minLength: { domain: "string", parse: count },
  maxLength: { domain: "string", parse: count },
  pattern: {
    domain: "string",
    parse(text, tag) {
      if (text === "") return malformed(tag, "a regular expression", "^[a-z]+$");
      try {
        new RegExp(text, "u");
        return { value: text };
      } catch (error) {
        return { code: "JG1019", problem: `@pattern '${text}' is not a valid regular expression (${(error as Error).message})`, hint: "write an ECMAScript regular expression that compiles with the 'u' flag" };
      }
    },
  },
  format: {
    domain: "string",
    parse(text) {
      if (Object.hasOwn(formatCheckers, text)) return { value: text };
      return { code: "JG1018", problem: `Unknown @format '${text}'`, hint: `use one of ${Object.keys(formatCheckers).join(", ")}` };
    },
  },
  minItems: { domain: "array", parse: count },
  maxItems: { domain: "array", parse: count },
  uniqueItems: {
    domain: "array",
    parse: (text, tag) => (text === "" || text === "true" ? { value: true } : text === "false" ? { value: false } : malformed(tag, "nothing, 'true' or 'false'", "")),
  },
  title: { domain: "any", parse: (text, tag) => (text === "" ? malformed(tag, "a text", "Shipping address") : { value: text }) },
  default: { domain: "any", parse: json },
  examples: {
    domain: "any",
    parse(text, tag) {
      const parsed = json(text, tag);
      if ("value" in parsed && !Array.isArray(parsed.value)) return malformed(tag, "a JSON array of examples", '["red", "blue"]');
      return parsed;
    },
  },
  deprecated: { domain: "any", parse: () => ({ value: true }) },
};

/** Pairs whose lower bound must not exceed the upper one. */
const BOUNDS: readonly [KeywordName, KeywordName][] = [
  ["minimum", "maximum"],
  ["minLength", "maxLength"],
  ["minItems", "maxItems"],
];

/** A keyword waiting for the finished model to check that it fits its member's type. */
export interface PendingKeyword {
  keyword: KeywordName;
  domain: Domain;
  /** The member's type and all its keywords (a default must satisfy the others). */
  type: TypeNode;
  keywords: Keywords;
  /** `@title` names a parameter already: its title is the parameter's name. */
  param: boolean;
  span: SourceSpan;
  path: string;
}

/** Reads the keyword tags of `node`'s JSDoc; records problems in `diagnostics` and checks to run later in `pending`. */
export function readKeywords(node: Node, type: TypeNode, at: { cwd: string; path: string; param: boolean }, diagnostics: Diagnostic[], pending: PendingKeyword[]): TagKeywords {
  const doc = lastJsDoc(node);
  if (!doc) return { type };
  const report = (tag: JSDocTag, code: string, message: string, hint: string) => {
    const span = tagSpan(tag, at.cwd);
    // A declaration read twice (a generic's instances) must not repeat its complaints.
    const known = diagnostics.some((d) => d.code === code && d.message === message && d.span?.line === span.line && d.span.column === span.column && d.span.file === span.file);
    if (!known) diagnostics.push({ code, severity: "error", message, hint, span, ...(at.path ? { path: at.path } : {}) });
  };
  const keywords: Record<string, unknown> = {};
  const found: { keyword: KeywordName; tag: JSDocTag }[] = [];
  let result = type;
  for (const tag of doc.getTags()) {
    const name = tag.getTagName();
    if (isIntegerTag(tag)) {
      const integer = asInteger(result);
      if (integer) result = integer;
      else report(tag, "JG1017", `@${name === "type" ? "type integer" : "integer"} applies to a number, not to this member's type.`, "put it on a 'number' (or 'number | null') member, or on the declaration of a named number type");
      continue;
    }
    if (!Object.hasOwn(TAGS, name)) continue;
    const keyword = name as KeywordName;
    const parsed = TAGS[keyword].parse(tagText(tag), keyword);
    if (!("value" in parsed)) {
      report(tag, parsed.code, `${parsed.problem}${parsed.code === "JG1016" ? `, not '${tagText(tag)}'` : ""}.`, parsed.hint);
    } else if (found.some((f) => f.keyword === keyword)) {
      report(tag, "JG1016", `@${keyword} is given twice.`, "keep one");
    } else {
      keywords[keyword] = parsed.value;
      found.push({ keyword, tag });
    }
  }
  for (const [low, high] of BOUNDS) {
    const [min, max] = [keywords[low], keywords[high]];
    const tag = found.find((f) => f.keyword === high)?.tag;
    if (typeof min === "number" && typeof max === "number" && min > max && tag) {
      report(tag, "JG1016", `@${high} ${max} is below @${low} ${min}: no value can satisfy both.`, `make @${low} at most @${high}`);
    }
  }
  if (found.length === 0) return { type: result };
  const all = keywords as Keywords;
  for (const { keyword, tag } of found) {
    pending.push({ keyword, domain: TAGS[keyword].domain, type: result, keywords: all, param: at.param, span: tagSpan(tag, at.cwd), path: at.path });
  }
  return { type: result, keywords: all };
}

/**
 * A parameter's description: the text of its own JSDoc (`/** The amount. *\/ amount: number`), else
 * what the method's `@param amount The amount.` says.
 */
export function paramDescription(param: Node, method: Node, name: string): string | undefined {
  const own = lastJsDoc(param)?.getDescription().trim();
  if (own) return own;
  for (const tag of lastJsDoc(method)?.getTags() ?? []) {
    if (Node.isJSDocParameterTag(tag) && tag.getName() === name) return tagText(tag) || undefined;
  }
  return undefined;
}

/**
 * The alias `site` names when TypeScript has forgotten it and its declaration carries keyword tags:
 * `name: Name` with `/** @minLength 1 *\/ type Name = string`. TypeScript shares the types of
 * primitives (and of `string[]`, `Date`, ...) between all their aliases, so the type no longer says
 * `Name`; only the type node where a member or parameter is declared still does.
 */
export function taggedAliasAt(site: Node): TypeAliasDeclaration | undefined {
  // Most references name an interface or an untagged alias: that is found on the compiler's own nodes and
  // symbols, without ts-morph's wrappers, and each alias declaration's tags are looked at once.
  if (!mayNameTaggedAlias(site.compilerNode, site.getProject().getTypeChecker().compilerObject) || !Node.isTypeReference(site)) return undefined;
  const symbol = site.getTypeName().getSymbol();
  const declaration = (symbol?.getAliasedSymbol() ?? symbol)?.getDeclarations().find(Node.isTypeAliasDeclaration);
  if (!declaration || !isKeywordTagged(declaration)) return undefined;
  return site.getType().getAliasSymbol()?.getDeclarations().includes(declaration) ? undefined : declaration;
}

/**
 * False when a node is sure not to be a reference `taggedAliasAt` returns an alias for: not a plain type
 * reference, or one naming no alias, or an alias known to have no keyword tags.
 */
export function mayNameTaggedAlias(node: TS.Node, checker: TS.TypeChecker): boolean {
  if (!ts.isTypeReferenceNode(node) || (node.typeArguments !== undefined && node.typeArguments.length > 0)) return false;
  const candidate = aliasNamedAt(node, checker);
  return candidate !== undefined && keywordTagged.get(candidate) !== false;
}

/** The alias a type reference names, by program (a reference is asked about as a site, then as a root). */
const aliasesNamed = new WeakMap<TS.TypeChecker, WeakMap<TS.TypeReferenceNode, TS.TypeAliasDeclaration | null>>();

function aliasNamedAt(reference: TS.TypeReferenceNode, checker: TS.TypeChecker): TS.TypeAliasDeclaration | undefined {
  let known = aliasesNamed.get(checker);
  if (!known) aliasesNamed.set(checker, (known = new WeakMap()));
  let found = known.get(reference);
  if (found === undefined) {
    const named = checker.getSymbolAtLocation(reference.typeName);
    found = (named && named.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(named) : named)?.declarations?.find(ts.isTypeAliasDeclaration) ?? null;
    known.set(reference, found);
  }
  return found ?? undefined;
}

/** Whether an alias declaration (of the compiler) can carry keywords: not generic, in the user's code, with keyword tags. */
const keywordTagged = new WeakMap<TS.TypeAliasDeclaration, boolean>();

function isKeywordTagged(declaration: TypeAliasDeclaration): boolean {
  let tagged = keywordTagged.get(declaration.compilerNode);
  if (tagged === undefined) {
    const plain = declaration.getTypeParameters().length === 0 && !declaration.getSourceFile().isDeclarationFile();
    tagged = plain && (lastJsDoc(declaration)?.getTags() ?? []).some((t) => Object.hasOwn(TAGS, t.getTagName()) || isIntegerTag(t));
    keywordTagged.set(declaration.compilerNode, tagged);
  }
  return tagged;
}

function isIntegerTag(tag: JSDocTag): boolean {
  return tag.getTagName() === "integer" || (tag.getTagName() === "type" && typeTagText(tag) === "integer");
}

/** The JSDoc block that documents a node, also for parameters (which ts-morph does not count as documentable). */
function lastJsDoc(node: Node): JSDoc | undefined {
  // The compiler keeps a node's blocks on it (`jsDoc`, out of its typings), parameters' too, which ts-morph
  // finds only among the node's children: most nodes have none, and no child is wrapped to learn that.
  const block = (node.compilerNode as { jsDoc?: TS.JSDoc[] }).jsDoc?.at(-1);
  return block === undefined ? undefined : (wrapSyntax(node, block) as JSDoc);
}

function tagText(tag: JSDocTag): string {
  return (tag.getCommentText() ?? "").trim();
}

/** `@type integer` and `@type {integer}`: TypeScript parses the tag but ignores it in .ts files. */
function typeTagText(tag: JSDocTag): string {
  return tag.getText().replace(/^@type\s*/, "").replace(/[\s*]*$/, "").replace(/^\{\s*(.*?)\s*\}$/, "$1");
}

/** From the `@` to the end of the tag's text, without the comment's trailing whitespace and asterisks. */
function tagSpan(tag: JSDocTag, cwd: string): SourceSpan {
  const file = tag.getSourceFile();
  const start = tag.getStart();
  const end = start + tag.getText().replace(/[\s*]*$/, "").length;
  const [from, to] = [lineAndColumn(file, start), lineAndColumn(file, end)];
  return { file: relativeFile(file.getFilePath(), cwd), line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}
