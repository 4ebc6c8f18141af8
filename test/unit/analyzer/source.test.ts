/**
 * Positions in source files: `lineAndColumn` must give what ts-morph's `getLineAndColumnAtPos` gives
 * (which every span used before it), at every position, whatever the line breaks.
 */
import { Project } from "ts-morph";
import { expect, it } from "vitest";
import { lineAndColumn } from "../../../src/analyzer/source.js";

const texts = {
  "unix line breaks": "export interface A {\n  a: string;\n}\n",
  "windows line breaks": "export interface A {\r\n  a: string;\r\n}\r\n",
  "old Mac line breaks and a mix": "type A = 1;\rtype B = 2;\r\n\n\ttype C = 3;\n\r",
  "no line break": "export type A = { a: string; b: number };",
  "unicode separators and astral characters": "type A = '\u2028';\n// 😀 \u2029 x\ntype B = 2;",
  empty: "",
};

it.each(Object.entries(texts))("gives ts-morph's line and column at every position: %s", (_name, text) => {
  const file = new Project({ useInMemoryFileSystem: true }).createSourceFile("a.ts", text);
  for (let pos = 0; pos <= text.length; pos++) expect(lineAndColumn(file, pos), `at ${pos}`).toEqual(file.getLineAndColumnAtPos(pos));
});

it("follows a file's new text after it changed", () => {
  const file = new Project({ useInMemoryFileSystem: true }).createSourceFile("a.ts", "type A = 1;\ntype B = 2;\n");
  expect(lineAndColumn(file, 12)).toEqual({ line: 2, column: 1 });
  file.replaceWithText("\n\ntype A = 1;\ntype B = 2;\n");
  expect(lineAndColumn(file, 12)).toEqual(file.getLineAndColumnAtPos(12));
  expect(lineAndColumn(file, 12)).toEqual({ line: 3, column: 11 });
});

