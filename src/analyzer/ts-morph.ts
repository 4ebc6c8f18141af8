/**
 * ts-morph's values, loaded with `require`. ts-morph is a CommonJS package, and an ES module that
 * `import`s one makes Node scan its source (1 MB) for the names it exports first: about a tenth of a
 * second of every run. Types still come from `import type { ... } from "ts-morph"`.
 */
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";

const tsMorph = createRequire(import.meta.url)("ts-morph") as typeof TsMorph;

export const { FileSystemRefreshResult, Node, Project, SyntaxKind, ts, TypeFormatFlags } = tsMorph;
export type FileSystemRefreshResult = TsMorph.FileSystemRefreshResult;
export type Node = TsMorph.Node;
export type Project = TsMorph.Project;
export type SyntaxKind = TsMorph.SyntaxKind;
export type TypeFormatFlags = TsMorph.TypeFormatFlags;
