/**
 * The runtime runs where `eval` is forbidden (a page with a Content-Security-Policy without
 * 'unsafe-eval'): no code of it, and none jamp-gen generates, compiles strings. Checked on the runtime's
 * source, on the JavaScript the build made of it (`dist/runtime`, which `npm ci` builds) and on every
 * fixture's generated code, comments aside: no `eval(`, `new Function`, `Function(`, by name or as a
 * property (`globalThis.eval`, `(0, eval)`), and no string handed to `setTimeout`, `setInterval` or
 * `setImmediate`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

function filesUnder(dir: string, extension: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => extension.test(file) && !file.endsWith(".d.ts"))
    .map((file) => path.join(dir, file))
    .sort();
}

const timers = new Set(["setTimeout", "setInterval", "setImmediate"]);
const compilers = new Set(["eval", "Function"]);

/** The name a callee ends in: `eval` for `eval`, `globalThis.eval`, `window["eval"]` and `(0, eval)`. */
function calleeName(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
    return node.argumentExpression.text;
  }
  if (ts.isParenthesizedExpression(node)) return calleeName(node.expression);
  const comma = ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.CommaToken;
  if (comma) return calleeName(node.right);
  return undefined;
}

function isStringLike(node: ts.Expression | undefined): boolean {
  if (node === undefined) return false;
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node)) return true;
  if (ts.isParenthesizedExpression(node)) return isStringLike(node.expression);
  return ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    (isStringLike(node.left) || isStringLike(node.right));
}

const printer = ts.createPrinter({ removeComments: true });

/** What in `code` (TypeScript or JavaScript, by `name`) compiles a string, as `file:line: text` entries. */
function stringCompilers(code: string, name = "code.js"): string[] {
  const found: string[] = [];
  const kind = name.endsWith(".ts") ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(name, code, ts.ScriptTarget.Latest, true, kind);
  const report = (node: ts.Node): void => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${name}:${line + 1}: ${node.getText(source).slice(0, 80)}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = calleeName(node.expression);
      if (callee !== undefined && compilers.has(callee)) report(node);
      if (callee !== undefined && timers.has(callee) && isStringLike(node.arguments?.[0])) report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  // The text too, without comments (which may well mention eval), for forms the walk above does not name.
  for (const line of printer.printFile(source).split("\n")) {
    if (/\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(/.test(line)) found.push(`${name}: ${line.trim()}`);
  }
  return [...new Set(found)];
}

describe("the check", () => {
  it.each([
    'eval("1 + 1")',
    'const f = new Function("a", "return a")',
    'Function("return this")()',
    'globalThis.eval("x")',
    '(0, eval)("x")',
    'window["Function"]("x")',
    'setTimeout("tick()", 10)',
    "setInterval(`tick(${n})`, 10)",
    'globalThis.setTimeout("a" + b, 0)',
  ])("finds %s", (code) => {
    expect(stringCompilers(code)).not.toEqual([]);
  });

  it("passes code that only looks alike", () => {
    const code = 'setTimeout(() => run("eval"), 1); isFunction(x); const evaluate = 1; typeof x === "function";';
    expect(stringCompilers(code)).toEqual([]);
  });
});

describe("no string is compiled", () => {
  const check = (file: string): string[] => stringCompilers(readFileSync(file, "utf8"), path.relative(root, file));

  it("by the runtime's source", () => {
    const files = filesUnder(path.join(root, "src/runtime"), /\.ts$/);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(check)).toEqual([]);
  });

  it("by the runtime as built in dist/runtime", () => {
    const dist = path.join(root, "dist/runtime");
    expect(existsSync(dist), "dist/runtime is missing: npm run build makes it").toBe(true);
    const files = filesUnder(dist, /\.js$/);
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(check)).toEqual([]);
  });

  it("by the code generated for every fixture", () => {
    const fixtures = path.join(root, "fixtures");
    const files = readdirSync(fixtures)
      .filter((name) => existsSync(path.join(fixtures, name, "expected")))
      .flatMap((name) => filesUnder(path.join(fixtures, name, "expected"), /\.ts$/));
    expect(files.length).toBeGreaterThan(40);
    expect(files.flatMap(check)).toEqual([]);
  });
});
