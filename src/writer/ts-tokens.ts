/**
 * The tokens of the TypeScript jamp-gen generates, and the token-level part of its parser (`ts-parse.ts`):
 * looking ahead, taking tokens, the comments before a statement, names and literals. `Unsupported` for
 * what the generated code never holds.
 */
import { Unsupported } from "./doc.js";
import type * as T from "./ts-syntax.js";

export type TokenKind = "name" | "private" | "number" | "string" | "template" | "punct" | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** The token's text (a string's with its quotes). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Comments between the previous token and this one. */
  comments: T.Comment[] | undefined;
}

/** Punctuators by length, longest first. */
const PUNCTUATORS = [
  new Set(["===", "!==", "**=", "...", "<<=", ">>=", ">>>"]),
  new Set(["=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>", "**"]),
  new Set(["{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "!", "~", "?", ":", "=", ".", "@"]),
];

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}
function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= 48 && c <= 57);
}

/** Splits the source into tokens, keeping each comment with the token after it. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pending: T.Comment[] | undefined;
  let i = 0;
  while (true) {
    // Whitespace and comments.
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 9 || c === 13) {
        i++;
      } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
        const end = text.indexOf("\n", i);
        const stop = end < 0 ? text.length : end;
        (pending ??= []).push({ start: i, end: stop, block: false, value: text.slice(i + 2, stop) });
        i = stop;
      } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
        const end = text.indexOf("*/", i + 2);
        if (end < 0) throw new Unsupported("an unterminated comment");
        (pending ??= []).push({ start: i, end: end + 2, block: true, value: text.slice(i + 2, end) });
        i = end + 2;
      } else {
        break;
      }
    }
    const start = i;
    if (i >= text.length) {
      tokens.push({ kind: "eof", text: "", start, end: start, comments: pending });
      return tokens;
    }
    const c = text.charCodeAt(i);
    let kind: TokenKind;
    if (isIdentifierStart(c) || (c === 35 && isIdentifierStart(text.charCodeAt(i + 1)))) {
      kind = c === 35 ? "private" : "name";
      for (i++; i < text.length && isIdentifierPart(text.charCodeAt(i)); i++);
    } else if (c >= 48 && c <= 57) {
      kind = "number";
      for (i++; i < text.length && (isIdentifierPart(text.charCodeAt(i)) || text.charCodeAt(i) === 46); i++) {
        // An exponent's sign belongs to the number.
        if ((text[i] === "e" || text[i] === "E") && (text[i + 1] === "+" || text[i + 1] === "-") && !/^0[xXbBoO]/.test(text.slice(start, i))) i++;
      }
    } else if (c === 34 || c === 39) {
      kind = "string";
      for (i++; i < text.length && text.charCodeAt(i) !== c; i++) {
        if (text.charCodeAt(i) === 92) i++;
        else if (text.charCodeAt(i) === 10) throw new Unsupported("a line break in a string");
      }
      if (i >= text.length) throw new Unsupported("an unterminated string");
      i++;
    } else if (c === 96) {
      kind = "template";
      i = templateEnd(text, i);
    } else {
      let punct: string | undefined;
      for (let n = 3; n >= 1 && punct === undefined; n--) {
        const candidate = text.slice(i, i + n);
        if (PUNCTUATORS[3 - n]!.has(candidate)) punct = candidate;
      }
      if (!punct) throw new Unsupported(`the character '${text[i]}'`);
      kind = "punct";
      i += punct.length;
    }
    tokens.push({ kind, text: text.slice(start, i), start, end: i, comments: pending });
    pending = undefined;
  }
}

/** The end of the template literal starting at `start` (its holes may nest braces and templates). */
function templateEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 96) return i + 1;
    else if (c === 36 && text.charCodeAt(i + 1) === 123) {
      let depth = 1;
      for (i += 2; i < text.length && depth > 0; i++) {
        if (text[i] === "{") depth++;
        else if (text[i] === "}") depth--;
        else if (text[i] === "`") i = templateEnd(text, i) - 1;
      }
    } else i++;
  }
  throw new Unsupported("an unterminated template literal");
}

/** Binary operators by precedence, lowest first, as prettier ranks them. */
const PRECEDENCE = new Map<string, number>();
[["??"], ["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "===", "!=", "!=="], ["<", ">", "<=", ">=", "in", "instanceof"], [">>", "<<", ">>>"], ["+", "-"], ["*", "/", "%"], ["**"]].forEach((ops, i) => {
  for (const op of ops) PRECEDENCE.set(op, i + 1);
});
export function precedenceOf(operator: string): number {
  return PRECEDENCE.get(operator) ?? 0;
}

/** Tokens and the parser's place in them. */
export abstract class TokenReader {
  protected readonly tokens: Token[];
  protected at = 0;
  /** Tokens split by `closeAngle`, to put back when a look-ahead backtracks. */
  protected readonly splits: { index: number; token: Token }[] = [];

  constructor(readonly text: string) {
    this.tokens = tokenize(text);
  }

  // --- tokens -------------------------------------------------------------------------------------

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]!;
  }

  protected next(): Token {
    const token = this.peek();
    if (token.comments) throw new Unsupported("a comment inside a statement");
    this.at++;
    return token;
  }

  protected is(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return (token.kind === "punct" || token.kind === "name") && token.text === text;
  }

  protected eat(text: string): boolean {
    if (!this.is(text)) return false;
    this.next();
    return true;
  }

  protected expect(text: string): Token {
    if (!this.is(text)) throw new Unsupported(`'${this.peek().text}' where '${text}' was expected`);
    return this.next();
  }

  protected name(): Token {
    const token = this.peek();
    if (token.kind !== "name") throw new Unsupported(`'${token.text}' where a name was expected`);
    return this.next();
  }

  protected end(): number {
    return this.tokens[this.at - 1]!.end;
  }

  /** The comments before the next token, which must each stand on a line of their own. */
  protected leadingComments(): T.Comment[] | undefined {
    const token = this.peek();
    const comments = token.comments;
    if (!comments) return undefined;
    for (const comment of comments) {
      const before = this.text.slice(0, comment.start);
      const lineStart = before.lastIndexOf("\n") + 1;
      if (before.slice(lineStart).trim() !== "") throw new Unsupported("a comment after code on its line");
      const after = this.text.slice(comment.end, this.text.indexOf("\n", comment.end) < 0 ? this.text.length : this.text.indexOf("\n", comment.end));
      if (after.trim() !== "") throw new Unsupported("code after a comment on its line");
    }
    token.comments = undefined;
    return comments;
  }

  protected identifier(): T.Identifier {
    const token = this.name();
    return { type: "Identifier", start: token.start, end: token.end, name: token.text };
  }

  protected literal(): T.Literal {
    const token = this.next();
    const raw = token.text;
    let value: T.Literal["value"];
    if (token.kind === "string") value = raw.slice(1, -1);
    else if (token.kind === "number") {
      if (/n$/.test(raw) || raw.includes("_")) throw new Unsupported("a bigint or separated number");
      value = Number(raw);
    } else if (raw === "true" || raw === "false") value = raw === "true";
    else if (raw === "null") value = null;
    else throw new Unsupported(`'${raw}' as a literal`);
    return { type: "Literal", start: token.start, end: token.end, value, raw };
  }
}
