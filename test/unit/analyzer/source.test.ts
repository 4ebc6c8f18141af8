/**
 * Positions in source files, and walks over their syntax. `lineAndColumn` must give what ts-morph's `getLineAndColumnAtPos` gives
 * (which every span used before it), at every position, whatever the line breaks. `forEachSyntax` visits
 * what ts-morph's descendant walks visit, in the same order, however deep the file nests.
 */
import { type Node, Project, SyntaxKind, ts } from "ts-morph";
import { expect, it } from "vitest";
import { forEachSyntax, lineAndColumn, wrapSyntax } from "../../../src/analyzer/source.js";

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

it("visits every node ts-morph's descendant walk visits, in the same order, wrapped as the same ts-morph nodes", () => {
  const text = "/** A. */\nexport interface A<T> { a: Array<B>; /* c */ b?: { c: B | T }[]; d: [B, ...string[]] }\nexport type B = A<string>['a'];\n";
  const file = new Project({ useInMemoryFileSystem: true }).createSourceFile("a.ts", text);
  const visited: ts.Node[] = [];
  forEachSyntax(file.compilerNode, (node) => void visited.push(node));
  const where = (node: ts.Node) => `${ts.SyntaxKind[node.kind]}@${node.pos}`;
  // ts-morph also lists the comments between members, as nodes of its own.
  const descendants: Node[] = [];
  file.forEachDescendant((n) => {
    if (![SyntaxKind.SingleLineCommentTrivia, SyntaxKind.MultiLineCommentTrivia].includes(n.getKind())) descendants.push(n);
  });
  expect(visited.slice(1).map(where)).toEqual(descendants.map((n) => where(n.compilerNode)));
  const references = visited.filter(ts.isTypeReferenceNode).map((node) => wrapSyntax(file, node));
  const expected = file.getDescendantsOfKind(SyntaxKind.TypeReference);
  expect(references.length).toBe(6);
  references.forEach((reference, i) => expect(reference).toBe(expected[i]));
});

it("walks a tree 20,000 levels deep", () => {
  // TypeScript parses `string[][]…` without recursion, into array types nested as deep.
  const file = new Project({ useInMemoryFileSystem: true }).createSourceFile("a.ts", `type A = string${"[]".repeat(20_000)};`);
  let arrays = 0;
  forEachSyntax(file.compilerNode, (node) => void (ts.isArrayTypeNode(node) && arrays++));
  expect(arrays).toBe(20_000);
});
