/**
 * Diagnostics: what the generator reports about the user's input instead of throwing. Codes are
 * JG1xxx for the analyzer, JG2xxx for emitter checks and JG3xxx for the CLI and configuration.
 */
import type { SourceSpan } from "./model/model.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  hint?: string;
  /** Where it is; absent for problems that belong to no file (no input matched, say). */
  span?: SourceSpan;
  /** How the reported type is reached: `Calculator.history → result → Entry.at`. */
  path?: string;
}

/** Every code the generator emits, with a one-line summary (listed in the README). */
export const diagnosticCodes = {
  JG1000: "TypeScript reports an error in an input file",
  JG1001: "unsupported type",
  JG1002: "unsupported method return type",
  JG1003: "service member that is not a method",
  JG1004: "overloaded service method",
  JG1005: "method with type parameters",
  JG1006: "parameter form that cannot travel (rest or destructured)",
  JG1009: "two different types share a name",
  JG1010: "any or unknown: nothing is validated (warning)",
  JG1011: "type used in a signature is not exported",
  JG1012: "undefined where JSON cannot carry it",
  JG1013: "invalid @address tag",
  JG1014: "two services generate the same file names",
  JG1015: "no service interface found",
  JG1016: "malformed JSDoc keyword tag (bad value, given twice, minimum above maximum)",
  JG1017: "JSDoc keyword tag that does not fit its member's type",
  JG1018: "unknown @format",
  JG1019: "@pattern that is not a valid regular expression (u flag)",
  JG1020: "enum with mixed string and number members, or computed ones",
  JG1021: "template literal type that no pattern expresses exactly",
  JG1022: "an alias with JSDoc keywords used where TypeScript forgets the alias (Name[], Name | null)",
  JG1030: "a tuple's rest element is not its last",
  JG1031: "a branded primitive whose brand is a named type",
  JG1032: "a method with a 'this' parameter",
  JG1033: "a type, a generic type's instances or a file's syntax nesting deeper than the generator reads",
  JG2001: "a union whose members cannot be told apart on the wire",
  JG2002: "a user type has the name of a generated export",
  JG3001: "input file not found or glob matched nothing",
  JG3002: "a tsconfig (or one it extends or references) is missing, does not parse, or TypeScript reports an error in it",
  JG3003: "configuration file that cannot be used (unreadable, not JSON, an unknown key or a wrong value, clashing entries)",
} as const;

export type DiagnosticCode = keyof typeof diagnosticCodes;

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sorts by file, line and column, then code: the order a person reads them in. */
/** The diagnostics without repeats (same code, message and place), first occurrence kept. */
export function dedupeDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}\0${d.message}\0${d.span?.file}\0${d.span?.line}\0${d.span?.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => [d.span?.file ?? "", d.span?.line ?? 0, d.span?.column ?? 0, d.code] as const;
  return [...diagnostics].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) {
      const x = ka[i]!;
      const y = kb[i]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

export interface FormatOptions {
  /** The text of a file, for the code frame; `undefined` leaves the frame out. */
  readSource?: (file: string) => string | undefined;
  color?: boolean;
}

/**
 * `file:line:col error JGnnnn message`, then the path, a code frame with the span underlined, and the
 * hint. The first line alone is stable for tools; the rest is for people.
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const paint = options.color ? ansi : plain;
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.column} ` : "";
  const severity = d.severity === "error" ? paint.red("error") : paint.yellow("warning");
  const lines = [`${where}${severity} ${paint.dim(d.code)} ${d.message}`];
  if (d.path) lines.push(`  at ${d.path}`);
  const source = d.span && options.readSource?.(d.span.file);
  if (d.span && source !== undefined) lines.push(...codeFrame(source, d.span, paint));
  if (d.hint) lines.push(`  ${paint.cyan("hint:")} ${d.hint}`);
  return lines.join("\n");
}

type Paint = Record<"red" | "yellow" | "dim" | "cyan", (s: string) => string>;
const plain: Paint = { red: (s) => s, yellow: (s) => s, dim: (s) => s, cyan: (s) => s };
const ansi: Paint = {
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s) => `\x1b[33m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  cyan: (s) => `\x1b[36m${s}\x1b[39m`,
};

/** One line of context above the span's first line, the line itself, and carets under the span. */
function codeFrame(source: string, span: SourceSpan, paint: Paint): string[] {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, span.line - 1);
  const width = String(span.line).length;
  const out: string[] = [];
  for (let n = first; n <= span.line; n++) {
    const text = (lines[n - 1] ?? "").replace(/\t/g, " ");
    out.push(`  ${n === span.line ? ">" : " "} ${String(n).padStart(width)} | ${text}`);
  }
  const lineText = lines[span.line - 1] ?? "";
  const end = span.endLine === span.line ? span.endColumn : lineText.length + 1;
  const carets = "^".repeat(Math.max(1, end - span.column));
  out.push(`    ${" ".repeat(width)} | ${" ".repeat(span.column - 1)}${paint.red(carets)}`);
  return out;
}
