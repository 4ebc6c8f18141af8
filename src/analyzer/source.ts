/** Positions and JSDoc of ts-morph nodes, turned into model data. */
import path from "node:path";
import { Node } from "ts-morph";
import type { Doc, SourceSpan } from "../model/model.js";

/** The span of a node (without leading comments), with the file relative to `cwd` in POSIX form. */
export function spanOf(node: Node, cwd: string): SourceSpan {
  const file = node.getSourceFile();
  const start = file.getLineAndColumnAtPos(node.getStart());
  const end = file.getLineAndColumnAtPos(node.getEnd());
  return {
    file: relativeFile(file.getFilePath(), cwd),
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
  };
}

export function relativeFile(filePath: string, cwd: string): string {
  const relative = path.relative(cwd, filePath);
  return (relative.startsWith("..") || path.isAbsolute(relative) ? filePath : relative).split(path.sep).join("/");
}

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
