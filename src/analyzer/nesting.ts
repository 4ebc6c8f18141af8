/**
 * Where input nests too deeply for TypeScript. Its parser and checker recurse once or more per level of
 * brackets, so a file nesting some hundreds of levels (`{ a: { a: … } }` written out) runs them out of
 * stack: a `RangeError` from inside ts-morph, with the project half built. The session then drops the
 * project and asks this module where the input is deepest, so the user gets a diagnostic at a line and
 * column rather than a stack trace. Everything here is a loop over TypeScript's scanner (no recursion),
 * from the input files through the relative and resolvable imports they reach.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ts as TS } from "ts-morph";
import { ts } from "./ts-morph.js";
import type { Diagnostic } from "../diagnostics.js";
import { relativeFile } from "./source.js";

/** Whether an error is the engine's stack running out (V8: "Maximum call stack size exceeded"). */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** How deep a text's brackets nest at most, and where (the opening token), by TypeScript's scanner. */
export function deepestNesting(text: string, fileName: string): { depth: number; pos: number } {
  const k = ts.SyntaxKind;
  const variant = /\.[cm]?[jt]sx$/.test(fileName) ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  // `<` is a type argument list or a comparison: one left open is dropped at the next `;` or closing bracket.
  const open: TS.SyntaxKind[] = [];
  let deepest = { depth: 0, pos: 0 };
  for (let token = scanner.scan(); token !== k.EndOfFileToken; token = scanner.scan()) {
    switch (token) {
      case k.OpenBraceToken:
      case k.OpenParenToken:
      case k.OpenBracketToken:
      case k.LessThanToken:
      case k.TemplateHead:
        open.push(token);
        if (open.length > deepest.depth) deepest = { depth: open.length, pos: scanner.getTokenStart() };
        break;
      case k.GreaterThanToken:
        if (open.at(-1) === k.LessThanToken) open.pop();
        break;
      case k.SemicolonToken:
        while (open.at(-1) === k.LessThanToken) open.pop();
        break;
      case k.CloseBraceToken:
      case k.CloseParenToken:
      case k.CloseBracketToken:
        while (open.at(-1) === k.LessThanToken) open.pop();
        // A `}` closing a template's `${…}` goes on with the template's text.
        if (open.pop() === k.TemplateHead && token === k.CloseBraceToken && scanner.reScanTemplateToken(false) === k.TemplateMiddle) open.push(k.TemplateHead);
        break;
    }
  }
  return deepest;
}

/**
 * The diagnostic for a run whose TypeScript ran out of stack: at the deepest nesting of the `inputs` and
 * the files they import (resolved with `options`), or without a place if none was found. `read` collects
 * the files looked at, for a watcher to watch.
 */
export function tooDeepDiagnostic(inputs: readonly string[], options: TS.CompilerOptions, cwd: string, read: Set<string>): Diagnostic {
  const waiting = [...inputs];
  let deepest: { file: string; text: string; depth: number; pos: number } | undefined;
  while (waiting.length > 0) {
    const file = waiting.pop()!;
    if (read.has(file) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    read.add(file);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    const found = deepestNesting(text, file);
    if (!deepest || found.depth > deepest.depth) deepest = { file, text, ...found };
    for (const imported of ts.preProcessFile(text, true, false).importedFiles) {
      const resolved = ts.resolveModuleName(imported.fileName, file, options, ts.sys).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport) waiting.push(path.resolve(resolved.resolvedFileName));
    }
  }
  const message = "TypeScript ran out of stack reading the input files";
  const hint = "name the inner levels (an interface or type alias each): a named type is one definition, however deep it is used";
  if (!deepest || deepest.depth === 0) return { code: "JG1033", severity: "error", message: `${message}.`, hint };
  const before = deepest.text.slice(0, deepest.pos);
  const line = before.split("\n").length;
  const column = deepest.pos - (before.lastIndexOf("\n") + 1) + 1;
  return {
    code: "JG1033",
    severity: "error",
    message: `${message}; they nest deepest here, ${deepest.depth} brackets deep.`,
    hint,
    span: { file: relativeFile(deepest.file, cwd), line, column, endLine: line, endColumn: column + 1 },
  };
}
