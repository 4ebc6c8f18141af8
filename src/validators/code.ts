/** Small builders for generated TypeScript: statement lists, functions' locals and JSON pointer paths. */

/**
 * Statements of one block, indented. After an unconditional `return` the block is dead: later
 * statements are dropped, so the output never holds unreachable code.
 */
export class Block {
  readonly lines: string[] = [];
  #dead = false;

  constructor(readonly indent: string) {}

  get dead(): boolean {
    return this.#dead;
  }

  line(text: string): void {
    if (!this.#dead) this.lines.push(this.indent + text);
  }

  /** An unconditional `return`: ends the block. */
  exit(text: string): void {
    this.line(text);
    this.#dead = true;
  }

  /** `head {` ... `}`, with the body written by `fill`; nothing at all when the body comes out empty. */
  nest(head: string, fill: (body: Block) => void): void {
    const body = this.child();
    fill(body);
    if (body.lines.length === 0) return;
    this.line(`${head} {`);
    this.append(body);
    this.line("}");
  }

  /** `if (condition) {` ... `} else {` ... `}`; an else that comes out empty is left out. */
  ifElse(condition: string, fillThen: (body: Block) => void, fillElse: (body: Block) => void): void {
    this.chain([{ condition, fill: fillThen }], fillElse);
  }

  /**
   * `if (a) {` ... `} else if (b) {` ... `} else {` ... `}`. When every branch and the else end in
   * `return`, so does the chain.
   */
  chain(
    branches: readonly { condition: string; fill: (body: Block) => void }[],
    fillElse: (body: Block) => void,
  ): void {
    if (branches.length === 0) return fillElse(this);
    const bodies = branches.map(({ fill }) => {
      const body = this.child();
      fill(body);
      return body;
    });
    const elseBody = this.child();
    fillElse(elseBody);
    if (bodies.every((body) => body.lines.length === 0)) {
      // Nothing to do in any branch: only the else is left, under the negated conditions.
      return this.nest(`if (!(${any(branches.map((b) => b.condition))}))`, (body) => body.append(elseBody));
    }
    bodies.forEach((body, i) => {
      this.line(i === 0 ? `if (${branches[i]!.condition}) {` : `} else if (${branches[i]!.condition}) {`);
      this.append(body);
    });
    const elseIf = asIfStatement(elseBody);
    if (elseIf !== undefined) {
      // `} else { if (c) {...} }` reads better as `} else if (c) {...}`.
      const [first, ...rest] = elseIf;
      this.lines.push(`${this.indent}} else ${first!.trimStart()}`);
      for (const text of rest) this.lines.push(text.slice(2));
    } else {
      if (elseBody.lines.length > 0) {
        this.lines.push(`${this.indent}} else {`);
        this.append(elseBody);
      }
      this.lines.push(`${this.indent}}`);
    }
    // Only now: a dead block appends nothing, and the else is still to be written above.
    if (bodies.every((body) => body.dead) && elseBody.dead) this.#dead = true;
  }

  /** A block one level deeper, to fill and then `append`. */
  child(): Block {
    return new Block(this.indent + "  ");
  }

  /** The lines of a filled child block (already indented). */
  append(child: Block): void {
    // One line at a time: spreading a long else-if chain (a union of 10,000 objects) into one call's
    // arguments runs out of stack.
    if (!this.#dead) for (const line of child.lines) this.lines.push(line);
  }
}

/**
 * The lines of a block holding one `if` statement and nothing else, in braced form, or `undefined`.
 * A one-line `if (c) s;` comes back as `if (c) {`, `s;`, `}`.
 */
function asIfStatement(block: Block): string[] | undefined {
  const [first] = block.lines;
  if (first === undefined || !first.startsWith(`${block.indent}if (`)) return undefined;
  if (block.lines.length === 1) {
    const end = closingParen(first, block.indent.length + 3);
    if (end === -1 || first.endsWith("{")) return undefined;
    const head = first.slice(0, end + 1);
    return [`${head} {`, `${block.indent}  ${first.slice(end + 2)}`, `${block.indent}}`];
  }
  // Every line at the block's own indentation must belong to the one if/else chain.
  const own = block.lines.filter((text) => text.startsWith(block.indent) && text[block.indent.length] !== " ");
  const isChain =
    first.endsWith("{") &&
    own[own.length - 1] === `${block.indent}}` &&
    block.lines[block.lines.length - 1] === `${block.indent}}` &&
    own.slice(1, -1).every((text) => /^\} else( if \(.*\))? \{$/.test(text.trimStart()));
  return isChain ? block.lines : undefined;
}

/** The index of the `)` closing the `(` at `open`, skipping string literals; -1 if there is none. */
function closingParen(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '"') {
      for (i++; i < code.length && code[i] !== '"'; i++) if (code[i] === "\\") i++;
    } else if (c === "(") {
      depth++;
    } else if (c === ")" && --depth === 0) {
      return i;
    }
  }
  return -1;
}

/**
 * Tidies a finished function body for the strictest compiler options (`noUnusedLocals`,
 * `noUnusedParameters`): drops `const v…` reads nothing went on to use, and names each parameter
 * the body does not use with a leading `_`. Returns the signature's parameter list, the body's lines,
 * and the identifiers the body refers to.
 */
export function finishFunction(params: readonly [name: string, type: string][], body: Block): { signature: string; lines: string[]; uses: Set<string> } {
  // How many lines mention each name. A read is dropped when no other line mentions its variable, which
  // may free the reads its own line mentioned: repeated until none is left to drop. (Dropping only ever
  // frees more, so the order of the drops does not change what is left.)
  const names = body.lines.map((text) => identifiers(text));
  const mentioning = new Map<string, number>();
  for (const ids of names) for (const id of ids) mentioning.set(id, (mentioning.get(id) ?? 0) + 1);
  const dropped = new Set<number>();
  const reads = body.lines.flatMap((text, i) => {
    const name = /^\s*const (v\d+): unknown = /.exec(text)?.[1];
    return name === undefined ? [] : [{ i, name }];
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (const { i, name } of reads) {
      if (dropped.has(i) || mentioning.get(name)! > 1) continue;
      dropped.add(i);
      for (const id of names[i]!) mentioning.set(id, mentioning.get(id)! - 1);
      changed = true;
    }
  }
  const lines = body.lines.filter((_, i) => !dropped.has(i));
  const uses = new Set([...mentioning].flatMap(([id, count]) => (count > 0 ? [id] : [])));
  const signature = params.map(([name, type]) => `${uses.has(name) ? name : `_${name}`}: ${type}`);
  return { signature: signature.join(", "), lines, uses };
}

/** Whether `code` refers to the variable `name` (not to a property of that name, nor inside a string). */
export function mentions(code: string, name: string): boolean {
  return identifiers(code).has(name);
}

/**
 * The identifiers `code` refers to: outside string literals (always double-quoted here), not after a
 * `.`, and not starting inside a longer word (`v1` in `2v1`).
 */
export function identifiers(code: string): Set<string> {
  const out = new Set<string>();
  scanIdentifiers(code, (start, end) => void out.add(code.slice(start, end)));
  return out;
}

/** `code` with the identifiers (as `identifiers` finds them) that `names` maps renamed, the rest as it was. */
export function renameIdentifiers(code: string, names: ReadonlyMap<string, string>): string {
  let out = "";
  let copied = 0;
  scanIdentifiers(code, (start, end) => {
    const renamed = names.get(code.slice(start, end));
    if (renamed === undefined) return;
    out += code.slice(copied, start) + renamed;
    copied = end;
  });
  return copied === 0 ? code : out + code.slice(copied);
}

/**
 * Calls `found` with the start and end of each identifier `code` refers to. A scan by character codes:
 * it runs on every line the validator compiler writes.
 */
function scanIdentifiers(code: string, found: (start: number, end: number) => void): void {
  let previous = 0; // the code of the character before `i`, with a string literal counting as `"`
  for (let i = 0; i < code.length; ) {
    const c = code.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < code.length && code.charCodeAt(i) !== QUOTE; i++) if (code.charCodeAt(i) === BACKSLASH) i++;
      // An unterminated literal runs to the end: no identifiers in it.
      i++;
      previous = QUOTE;
      continue;
    }
    if (isIdentifierStart(c) && !isWordOrDot(previous)) {
      const start = i;
      for (i++; i < code.length && isWord(code.charCodeAt(i)); i++);
      found(start, i);
      previous = code.charCodeAt(i - 1);
      continue;
    }
    previous = c;
    i++;
  }
}

const QUOTE = 34;
const BACKSLASH = 92;

/** `[A-Za-z_$]` */
function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

/** `[A-Za-z0-9_$]` */
function isWord(c: number): boolean {
  return isIdentifierStart(c) || (c >= 48 && c <= 57);
}

function isWordOrDot(c: number): boolean {
  return isWord(c) || c === 46;
}

/** One generated function: its local names, and the runtime helpers its code may call. */
export class FunctionBuilder {
  /** Names asked of `helper`; the ones the finished code still mentions are imported. */
  readonly runtime = new Set<string>();
  readonly #counters = new Map<string, number>();

  constructor(
    readonly name: string,
    /** The JSDoc text above the function. */
    readonly doc: string,
  ) {}

  /** A fresh local name: `v1`, `v2`, `i1`, `key1`, ... */
  local(prefix: string): string {
    const n = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, n);
    return `${prefix}${n}`;
  }

  /** A runtime helper's name, noted as one the code may import. */
  helper(name: string): string {
    this.runtime.add(name);
    return name;
  }
}

/** A JSON pointer built only when an issue is reported: the parts are concatenated in the generated code. */
type PathPart = { readonly code: string } | { readonly text: string };

export class PathExpr {
  private constructor(private readonly parts: readonly PathPart[]) {}

  static of(variable: string): PathExpr {
    return new PathExpr([{ code: variable }]);
  }

  /** A static object key (escaped now) or array index. */
  token(token: string): PathExpr {
    return new PathExpr([...this.parts, { text: `/${token.replaceAll("~", "~0").replaceAll("/", "~1")}` }]);
  }

  /** A run-time value already fit for a pointer: an index variable, or a key passed through `escapePointerToken`. */
  dynamic(code: string): PathExpr {
    return new PathExpr([...this.parts, { text: "/" }, { code }]);
  }

  /** `path + "/items/" + i1`, merging adjacent literal parts. */
  render(): string {
    const out: string[] = [];
    let text = "";
    for (const part of this.parts) {
      if ("text" in part) {
        text += part.text;
      } else {
        if (text !== "") out.push(JSON.stringify(text));
        text = "";
        out.push(part.code);
      }
    }
    if (text !== "") out.push(JSON.stringify(text));
    return out.join(" + ");
  }
}

/** `a && b` with each operand parenthesised when it holds a lower-precedence `||`. */
export function all(conditions: readonly string[]): string {
  if (conditions.length === 0) return "true";
  return conditions.map((c) => (conditions.length > 1 && hasTopLevel(c, "||") ? `(${c})` : c)).join(" && ");
}

/** `a || b`, parenthesising operands that hold `&&` for the reader. */
export function any(conditions: readonly string[]): string {
  if (conditions.length === 0) return "false";
  return conditions.map((c) => (conditions.length > 1 && hasTopLevel(c, "&&") ? `(${c})` : c)).join(" || ");
}

/** Whether `operator` occurs in `code` outside parentheses and string literals. */
function hasTopLevel(code: string, operator: string): boolean {
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '"') {
      for (i++; i < code.length && code[i] !== '"'; i++) if (code[i] === "\\") i++;
    } else if (c === "(" || c === "[") {
      depth++;
    } else if (c === ")" || c === "]") {
      depth--;
    } else if (depth === 0 && code.startsWith(operator, i)) {
      return true;
    }
  }
  return false;
}
