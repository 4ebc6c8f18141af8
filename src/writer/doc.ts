/**
 * Documents and their layout, the algorithm prettier lays code out with (Wadler's "prettier printer", as
 * prettier extends it): a document is text, lines that break or not, groups that print flat when they fit
 * the line and broken otherwise, indentation, and choices made by whether a group broke. `src/writer/ts-print.ts`
 * builds the documents prettier's TypeScript printer builds, so that `layout` gives prettier's bytes.
 *
 * Only what jamp-gen's generated code needs: no tabs, no line suffixes (trailing comments), no cursor.
 * A string whose width is not its length (non-ASCII) cannot be measured here: `Unsupported` is thrown
 * and the caller formats with prettier instead.
 */

export type Doc = string | readonly Doc[] | Command;

type Command = Group | Indent | Align | Line | IfBreak | IndentIfBreak | BreakParent | Fill | Label | Comment;

export interface Group {
  readonly type: "group";
  readonly contents: Doc;
  /** `true` when it must break; set to "propagated" by `propagateBreaks` when a hard line is inside. */
  break: boolean | "propagated";
  readonly id: symbol | undefined;
  /** A conditional group: the layouts to try in turn (the first is `contents`). */
  readonly expandedStates: readonly Doc[] | undefined;
}
interface Indent {
  readonly type: "indent";
  readonly contents: Doc;
}
interface Align {
  readonly type: "align";
  readonly n: number;
  readonly contents: Doc;
}
interface Line {
  readonly type: "line";
  readonly soft: boolean;
  readonly hard: boolean;
}
interface IfBreak {
  readonly type: "if-break";
  readonly breakContents: Doc;
  readonly flatContents: Doc;
  readonly groupId: symbol | undefined;
}
interface IndentIfBreak {
  readonly type: "indent-if-break";
  readonly contents: Doc;
  readonly groupId: symbol;
}
interface BreakParent {
  readonly type: "break-parent";
}
interface Fill {
  readonly type: "fill";
  readonly parts: readonly Doc[];
}
/** Marks a document for the printer's own decisions (a member chain), as prettier's labels do. */
export interface Label {
  readonly type: "label";
  readonly label: string;
  readonly contents: Doc;
}
/** Text of a comment: printed as is, and never measured (comments here stand on lines of their own). */
interface Comment {
  readonly type: "comment";
  readonly text: string;
}

/** Thrown for what this layout (or the printer building documents) does not handle. */
export class Unsupported extends Error {
  constructor(what: string) {
    super(`not supported by the fast formatter: ${what}`);
  }
}

export const line: Line = { type: "line", soft: false, hard: false };
export const softline: Line = { type: "line", soft: true, hard: false };
const hardlineWithoutBreakParent: Line = { type: "line", soft: false, hard: true };
export const breakParent: BreakParent = { type: "break-parent" };
export const hardline: Doc = [hardlineWithoutBreakParent, breakParent];

export function group(contents: Doc, options: { shouldBreak?: boolean; id?: symbol } = {}): Group {
  return { type: "group", contents, break: options.shouldBreak ?? false, id: options.id, expandedStates: undefined };
}

export function conditionalGroup(states: readonly Doc[]): Group {
  return { type: "group", contents: states[0]!, break: false, id: undefined, expandedStates: states };
}

export function indent(contents: Doc): Indent {
  return { type: "indent", contents };
}

export function align(n: number, contents: Doc): Align {
  return { type: "align", n, contents };
}

export function ifBreak(breakContents: Doc, flatContents: Doc = "", groupId?: symbol): IfBreak {
  return { type: "if-break", breakContents, flatContents, groupId };
}

export function indentIfBreak(contents: Doc, groupId: symbol): IndentIfBreak {
  return { type: "indent-if-break", contents, groupId };
}

export function fill(parts: readonly Doc[]): Fill {
  return { type: "fill", parts };
}

export function label(name: string, contents: Doc): Label {
  return { type: "label", label: name, contents };
}

export function comment(text: string): Comment {
  return { type: "comment", text };
}

export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((doc, i) => {
    if (i > 0) out.push(separator);
    out.push(doc);
  });
  return out;
}

/** Whether the document holds a forced break: a broken group, a hard line or a break-parent (prettier's `willBreak`). */
export function willBreak(doc: Doc): boolean {
  return someCommand(doc, (c) => (c.type === "group" && c.break !== false) || (c.type === "line" && c.hard) || c.type === "break-parent");
}

/** Whether the document holds any line that may break (prettier's `canBreak`). */
export function canBreak(doc: Doc): boolean {
  return someCommand(doc, (c) => c.type === "line");
}

/** Whether `test` holds for a command in the document: a conditional group's contents only, as prettier looks. */
function someCommand(doc: Doc, test: (command: Command) => boolean): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) return (doc as readonly Doc[]).some((part) => someCommand(part, test));
  const command = doc as Command;
  if (test(command)) return true;
  switch (command.type) {
    case "if-break":
      return someCommand(command.breakContents, test) || someCommand(command.flatContents, test);
    case "fill":
      return command.parts.some((part) => someCommand(part, test));
    case "group":
    case "indent":
    case "align":
    case "indent-if-break":
    case "label":
      return someCommand(command.contents, test);
    default:
      return false;
  }
}

/**
 * Marks every group holding a hard line (or a broken group) as broken, as prettier does before printing:
 * a group that must break cannot print flat. Conditional groups keep their own choice.
 */
function propagateBreaks(doc: Doc): void {
  const visited = new Set<Group>();
  const visit = (doc: Doc): boolean => {
    if (typeof doc === "string") return false;
    if (Array.isArray(doc)) {
      let breaks = false;
      for (const part of doc as readonly Doc[]) if (visit(part)) breaks = true;
      return breaks;
    }
    const command = doc as Command;
    switch (command.type) {
      case "break-parent":
        return true;
      case "line":
      case "comment":
        return false;
      case "group": {
        if (visited.has(command)) return command.break !== false;
        visited.add(command);
        let inner = false;
        for (const state of command.expandedStates ?? [command.contents]) if (visit(state)) inner = true;
        if (inner && !command.expandedStates && command.break === false) command.break = "propagated";
        return command.break !== false;
      }
      case "if-break": {
        const a = visit(command.breakContents);
        const b = visit(command.flatContents);
        return a || b;
      }
      case "fill": {
        let breaks = false;
        for (const part of command.parts) if (visit(part)) breaks = true;
        return breaks;
      }
      default:
        return visit(command.contents);
    }
  };
  visit(doc);
}

const FLAT = 0;
const BREAK = 1;
type Mode = typeof FLAT | typeof BREAK;

interface Frame {
  readonly indent: string;
  readonly mode: Mode;
  readonly doc: Doc;
}

/** The width of code text; only ASCII can be measured here. */
function widthOf(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new Unsupported("a non-ASCII or control character in code");
  }
  return text.length;
}

/**
 * Whether `next`, then the rest of the line from `rest`, fits in `width` columns: prettier's `fits`. The
 * rest counts up to its first line that breaks; in it, groups not yet decided take their frame's mode.
 */
function fits(next: Frame, rest: readonly Frame[], width: number, groupModes: Map<symbol, Mode>, mustBeFlat: boolean): boolean {
  let restIndex = rest.length;
  const stack: { mode: Mode; doc: Doc }[] = [{ mode: next.mode, doc: next.doc }];
  let pendingSpace = false;
  while (width >= 0) {
    if (stack.length === 0) {
      if (restIndex === 0) return true;
      const frame = rest[--restIndex]!;
      stack.push({ mode: frame.mode, doc: frame.doc });
      continue;
    }
    const { mode, doc } = stack.pop()!;
    if (typeof doc === "string") {
      if (doc !== "") {
        if (pendingSpace) {
          width -= 1;
          pendingSpace = false;
        }
        width -= widthOf(doc);
      }
      continue;
    }
    if (Array.isArray(doc)) {
      const parts = doc as readonly Doc[];
      for (let i = parts.length - 1; i >= 0; i--) stack.push({ mode, doc: parts[i]! });
      continue;
    }
    const command = doc as Command;
    switch (command.type) {
      case "indent":
      case "align":
      case "indent-if-break":
      case "label":
        stack.push({ mode, doc: command.contents });
        break;
      case "fill":
        for (let i = command.parts.length - 1; i >= 0; i--) stack.push({ mode, doc: command.parts[i]! });
        break;
      case "group": {
        if (mustBeFlat && command.break !== false) return false;
        const groupMode = command.break !== false ? BREAK : mode;
        const contents = command.expandedStates && groupMode === BREAK ? command.expandedStates.at(-1)! : command.contents;
        stack.push({ mode: groupMode, doc: contents });
        break;
      }
      case "if-break": {
        const groupMode = command.groupId ? (groupModes.get(command.groupId) ?? FLAT) : mode;
        const contents = groupMode === BREAK ? command.breakContents : command.flatContents;
        if (contents !== "") stack.push({ mode, doc: contents });
        break;
      }
      case "line":
        if (mode === BREAK || command.hard) return true;
        if (!command.soft) pendingSpace = true;
        break;
      case "comment":
        width -= command.text.length;
        break;
      case "break-parent":
        break;
    }
  }
  return false;
}

/** Lays the document out in `printWidth` columns, as prettier's `printDocToString` does. */
export function layout(doc: Doc, printWidth: number): string {
  propagateBreaks(doc);
  const groupModes = new Map<symbol, Mode>();
  const frames: Frame[] = [{ indent: "", mode: BREAK, doc }];
  // The output in pieces (one string grown by `+=` and trimmed by `slice` is copied over and over).
  const out: string[] = [];
  let position = 0;
  let shouldRemeasure = false;
  while (frames.length > 0) {
    const { indent: at, mode, doc } = frames.pop()!;
    if (typeof doc === "string") {
      if (doc !== "") {
        out.push(doc);
        position += widthOf(doc);
      }
      continue;
    }
    if (Array.isArray(doc)) {
      const parts = doc as readonly Doc[];
      for (let i = parts.length - 1; i >= 0; i--) frames.push({ indent: at, mode, doc: parts[i]! });
      continue;
    }
    const command = doc as Command;
    switch (command.type) {
      case "comment":
        out.push(command.text);
        position += command.text.length;
        break;
      case "indent":
        frames.push({ indent: `${at}  `, mode, doc: command.contents });
        break;
      case "align":
        frames.push({ indent: at + " ".repeat(command.n), mode, doc: command.contents });
        break;
      case "label":
        frames.push({ indent: at, mode, doc: command.contents });
        break;
      case "group": {
        let next: Frame;
        if (mode === FLAT && !shouldRemeasure) {
          next = { indent: at, mode: command.break !== false ? BREAK : FLAT, doc: command.contents };
        } else {
          shouldRemeasure = false;
          const remaining = printWidth - position;
          const flat: Frame = { indent: at, mode: FLAT, doc: command.contents };
          if (command.break === false && fits(flat, frames, remaining, groupModes, false)) {
            next = flat;
          } else if (!command.expandedStates) {
            next = { indent: at, mode: BREAK, doc: command.contents };
          } else {
            next = { indent: at, mode: BREAK, doc: command.expandedStates.at(-1)! };
            if (command.break === false) {
              for (let i = 1; i < command.expandedStates.length - 1; i++) {
                const state: Frame = { indent: at, mode: FLAT, doc: command.expandedStates[i]! };
                if (fits(state, frames, remaining, groupModes, false)) {
                  next = state;
                  break;
                }
              }
            }
          }
        }
        frames.push(next);
        if (command.id) groupModes.set(command.id, next.mode);
        break;
      }
      case "fill":
        layoutFill(command, at, mode, frames, printWidth - position, groupModes);
        break;
      case "if-break":
      case "indent-if-break": {
        const groupMode = command.groupId ? groupModes.get(command.groupId) : mode;
        if (command.type === "if-break") {
          const contents = groupMode === BREAK ? command.breakContents : groupMode === FLAT ? command.flatContents : "";
          if (contents !== "") frames.push({ indent: at, mode, doc: contents });
        } else if (groupMode === BREAK) {
          frames.push({ indent: at, mode, doc: indent(command.contents) });
        } else if (groupMode === FLAT) {
          frames.push({ indent: at, mode, doc: command.contents });
        }
        break;
      }
      case "line":
        if (mode === FLAT && !command.hard) {
          if (!command.soft) {
            out.push(" ");
            position += 1;
          }
          break;
        }
        if (mode === FLAT) shouldRemeasure = true;
        trimEnd(out);
        out.push(`\n${at}`);
        position = at.length;
        break;
      case "break-parent":
        break;
    }
  }
  return out.join("");
}

/** Spaces and tabs at the end of the output go before a line break, as prettier's `trim`. */
function trimEnd(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    let end = last.length;
    while (end > 0 && (last.charCodeAt(end - 1) === 32 || last.charCodeAt(end - 1) === 9)) end--;
    if (end === last.length) return;
    if (end > 0) {
      out[out.length - 1] = last.slice(0, end);
      return;
    }
    out.pop();
  }
}

/**
 * A fill: content and separators alternate; each separator breaks only when the content after it does not
 * fit on the line (prettier's fill, which it uses for arrays of numbers).
 */
function layoutFill(command: Fill, at: string, mode: Mode, frames: Frame[], remaining: number, groupModes: Map<symbol, Mode>): void {
  const { parts } = command;
  if (parts.length === 0) return;
  const [content, whitespace] = [parts[0]!, parts[1]];
  const contentFlat: Frame = { indent: at, mode: FLAT, doc: content };
  const contentBreak: Frame = { indent: at, mode: BREAK, doc: content };
  const contentFits = fits(contentFlat, [], remaining, groupModes, true);
  if (parts.length === 1) {
    frames.push(contentFits ? contentFlat : contentBreak);
    return;
  }
  const whitespaceFlat: Frame = { indent: at, mode: FLAT, doc: whitespace! };
  const whitespaceBreak: Frame = { indent: at, mode: BREAK, doc: whitespace! };
  if (parts.length === 2) {
    if (contentFits) frames.push(whitespaceFlat, contentFlat);
    else frames.push(whitespaceBreak, contentBreak);
    return;
  }
  const rest: Frame = { indent: at, mode, doc: fill(parts.slice(2)) };
  const pairFits = fits({ indent: at, mode: FLAT, doc: [content, whitespace!, parts[2]!] }, [], remaining, groupModes, true);
  frames.push(rest);
  if (pairFits) frames.push(whitespaceFlat, contentFlat);
  else if (contentFits) frames.push(whitespaceBreak, contentFlat);
  else frames.push(whitespaceBreak, contentBreak);
}
