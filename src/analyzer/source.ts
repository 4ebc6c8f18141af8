/** Positions and JSDoc of ts-morph nodes, turned into model data. */
import path from "node:path";
import type { SourceFile, ts as TS } from "ts-morph";
import { Node, ts } from "./ts-morph.js";
import type { Doc, SourceSpan } from "../model/model.js";

/** The span of a node (without leading comments), with the file relative to `cwd` in POSIX form. */
export function spanOf(node: Node, cwd: string): SourceSpan {
  const file = node.getSourceFile();
  const start = lineAndColumn(file, node.getStart());
  const end = lineAndColumn(file, node.getEnd());
  return {
    file: relativeFile(file.getFilePath(), cwd),
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
  };
}

export function relativeFile(filePath: string, cwd: string): string {
  // Every span asks, thousands of times a run for a few hundred files: each is worked out once per `cwd`.
  if (cwd !== relativeTo.cwd || relativeTo.files.size > 100_000) [relativeTo.cwd, relativeTo.files] = [cwd, new Map()];
  let found = relativeTo.files.get(filePath);
  if (found === undefined) {
    const relative = path.relative(cwd, filePath);
    found = (relative.startsWith("..") || path.isAbsolute(relative) ? filePath : relative).split(path.sep).join("/");
    relativeTo.files.set(filePath, found);
  }
  return found;
}

const relativeTo = { cwd: "", files: new Map<string, string>() };

/** The last JSDoc block of a node: its text and its tags, or `null` when there is none. */
export function readDoc(node: Node): Doc | null {
  if (!Node.isJSDocable(node)) return null;
  const block = node.getJsDocs().at(-1);
  if (!block) return null;
  const text = (block.getDescription() ?? "").trim();
  const tags = block.getTags().map((tag) => {
    const text = (tag.getCommentText() ?? "").trim();
    // `@param amount The amount.`: TypeScript keeps the parameter's name apart from the comment.
    return { name: tag.getTagName(), text: Node.isJSDocParameterTag(tag) ? `${tag.getName()} ${text}`.trim() : text };
  });
  return text === "" && tags.length === 0 ? null : { text, tags };
}

/** Where line breaks are in a file's text: `\n` (which count lines) and `\n` or `\r` (where a line starts after). */
interface Breaks {
  newlines: number[];
  breaks: number[];
}

const breaksOf = new WeakMap<TS.SourceFile, Breaks>();

/**
 * The 1-based line and column of a position, as ts-morph's `getLineAndColumnAtPos` gives them (a line
 * is counted at each `\n`, a column from the last `\n` or `\r`), found by binary search in the file's
 * breaks, listed once per text. ts-morph scans from the start of the text on every call, which made a
 * big input (thousands of members, or one long line) quadratic.
 */
export function lineAndColumn(file: SourceFile, pos: number): { line: number; column: number } {
  const text = file.compilerNode;
  let found = breaksOf.get(text);
  if (!found) {
    found = { newlines: [], breaks: [] };
    const full = text.text;
    for (let i = 0; i < full.length; i++) {
      const c = full.charCodeAt(i);
      if (c === 10) found.newlines.push(i);
      if (c === 10 || c === 13) found.breaks.push(i);
    }
    breaksOf.set(text, found);
  }
  const breaks = before(found.breaks, pos);
  const lineStart = breaks === 0 ? 0 : found.breaks[breaks - 1]! + 1;
  return { line: before(found.newlines, pos) + 1, column: pos - lineStart + 1 };
}

/** How many of the sorted `positions` are below `pos`. */
function before(positions: readonly number[], pos: number): number {
  let [low, high] = [0, positions.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (positions[middle]! < pos) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Calls `visit` on `root` and every node below it, in source order, with TypeScript's own walk: no
 * recursion (a deeply nested file must not run out of stack) and none of the comment parsing ts-morph's
 * descendant walks do, which scans to the end of the line for each member and made one long line of
 * thousands of members quadratic.
 */
export function forEachSyntax(root: TS.Node, visit: (node: TS.Node) => void): void {
  const stack: TS.Node[] = [root];
  const children: TS.Node[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    children.length = 0;
    ts.forEachChild(node, (child) => {
      children.push(child);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/**
 * ts-morph's node for a compiler node under `root`: the one it keeps, so nodes still compare by identity.
 * ts-morph has the method but keeps it out of its typings.
 */
export function wrapSyntax(root: Node, node: TS.Node): Node {
  return (root as unknown as { _getNodeFromCompilerNode(node: TS.Node): Node })._getNodeFromCompilerNode(node);
}
