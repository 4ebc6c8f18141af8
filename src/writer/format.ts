/**
 * Formats generated files the way prettier does, with fixed options so output never depends on the
 * machine.
 *
 * Prettier is the slowest step of a run, so a `Formatter` remembers what it formatted. A TypeScript
 * file is cut into top-level chunks (generated files are declarations separated by blank lines, and
 * prettier formats each top-level statement on its own); the chunks not seen before are formatted in
 * one prettier call, with a marker comment between them to cut the result apart again. Most chunks
 * (an unchanged method's code, the validators of a type that did not change) recur across watch runs
 * and across services. Whenever the cut is not clean (a blank line inside a class body puts a marker
 * inside it), the whole file is formatted at once instead, so the output is always what prettier makes
 * of the whole file. JSON is printed by `printJson`, which follows prettier's rules for it.
 */
import * as prettier from "prettier";
import type { OutputFile } from "../emitters/index.js";
import { printJson } from "./json.js";

export const prettierOptions = { printWidth: 100, trailingComma: "all", endOfLine: "lf" } as const satisfies prettier.Options;

/** A blank line followed by a line that starts a top-level statement (not a closing bracket). */
const chunkBoundary = /\n(?:[ \t]*\n)+(?=[^\s}\])])/;
const marker = "// jamp-gen: chunk boundary";
const markedBoundary = `\n\n${marker}\n\n`;

export class Formatter {
  #cache = new Map<string, string>();
  #used = new Set<string>();

  async format(file: OutputFile): Promise<string> {
    if (file.language === "json") return printJson(file.contents) ?? prettier.format(file.contents, { ...prettierOptions, parser: "json" });
    const chunks = file.contents.split(chunkBoundary).map((chunk) => chunk.trim());
    for (const chunk of chunks) this.#used.add(chunk);
    const missing = [...new Set(chunks.filter((chunk) => !this.#cache.has(chunk)))];
    if (missing.length > 0) {
      const formatted = await prettier.format(missing.join(markedBoundary), { ...prettierOptions, parser: "typescript" });
      const pieces = formatted.split(markedBoundary);
      if (pieces.length !== missing.length || pieces.some((piece) => piece.includes(marker))) {
        return prettier.format(file.contents, { ...prettierOptions, parser: "typescript" });
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

/** Formats one file without keeping anything. */
export async function formatFile(file: OutputFile): Promise<string> {
  return new Formatter().format(file);
}
