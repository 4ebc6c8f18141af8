/**
 * Formats generated files the way prettier does, with fixed options so output never depends on the
 * machine.
 *
 * Prettier was the slowest step of a run, so a `Formatter` does as little of it as it can. A TypeScript
 * file is cut into top-level chunks (generated files are declarations separated by blank lines, and
 * prettier formats each top-level statement on its own), and a `Formatter` remembers each chunk it
 * formatted: most chunks (an unchanged method's code, the validators of a type that did not change)
 * recur across services and across watch runs. A chunk not seen before is printed by
 * `formatTypeScript` (ts-print.ts), which prints the TypeScript jamp-gen generates exactly as prettier
 * does, some thirty times faster; the few chunks it does not handle go to prettier in one call, with a
 * marker comment between them to cut the result apart again. Whenever that cut is not clean (a blank
 * line inside a class body puts a marker inside it), the whole file is formatted at once instead, so the
 * output is always what prettier makes of the whole file. JSON is printed by `printJson`, which follows
 * prettier's rules for it.
 */
import type * as Prettier from "prettier";
import type { OutputFile } from "../emitters/index.js";
import { printJson } from "./json.js";
import { formatTypeScript } from "./ts-print.js";

export const prettierOptions = { printWidth: 100, trailingComma: "all", endOfLine: "lf" } as const satisfies Prettier.Options;

/** A blank line followed by a line that starts a top-level statement (not a closing bracket). */
const chunkBoundary = /\n(?:[ \t]*\n)+(?=[^\s}\])])/;
const marker = "// jamp-gen: chunk boundary";
const markedBoundary = `\n\n${marker}\n\n`;

/** The top-level chunks of a TypeScript file, each without blank lines around it. */
export function chunksOf(contents: string): string[] {
  return contents.split(chunkBoundary).map((chunk) => chunk.trim());
}

export class Formatter {
  #cache = new Map<string, string>();
  #used = new Set<string>();

  async format(file: OutputFile): Promise<string> {
    if (file.language === "json") return printJson(file.contents) ?? prettierFormat(file.contents, "json");
    const chunks = chunksOf(file.contents);
    for (const chunk of chunks) this.#used.add(chunk);
    const missing: string[] = [];
    for (const chunk of new Set(chunks.filter((chunk) => !this.#cache.has(chunk)))) {
      const fast = formatFast(chunk);
      if (fast === undefined) missing.push(chunk);
      else this.#cache.set(chunk, fast);
    }
    if (missing.length > 0) {
      const formatted = await prettierFormat(missing.join(markedBoundary), "typescript");
      const pieces = formatted.split(markedBoundary);
      if (pieces.length !== missing.length || pieces.some((piece) => piece.includes(marker))) {
        return prettierFormat(file.contents, "typescript");
      }
      missing.forEach((chunk, i) => this.#cache.set(chunk, pieces[i]!.trim()));
    }
    return `${chunks.map((chunk) => this.#cache.get(chunk)!).join("\n\n")}\n`;
  }

  /** Forgets the chunks not used since the last call, so a long watch session stays small. */
  sweep(): void {
    for (const key of this.#cache.keys()) if (!this.#used.has(key)) this.#cache.delete(key);
    this.#used.clear();
  }
}

/** prettier, loaded the first time something needs it: most runs never do, and loading it takes a while. */
let prettier: Promise<typeof Prettier> | undefined;
async function prettierFormat(text: string, parser: "json" | "typescript"): Promise<string> {
  prettier ??= import("prettier");
  return (await prettier).format(text, { ...prettierOptions, parser });
}

/**
 * A chunk as prettier would format it, by `formatTypeScript`, or `undefined` for prettier to do it: for
 * code outside the subset it prints (it says so with `Unsupported`), and, should it ever fail otherwise,
 * for that too, since prettier gives the same bytes.
 */
function formatFast(chunk: string): string | undefined {
  try {
    return formatTypeScript(chunk);
  } catch {
    return undefined;
  }
}

/** Formats one file without keeping anything. */
export async function formatFile(file: OutputFile): Promise<string> {
  return new Formatter().format(file);
}
