/** Formats generated files with prettier, with fixed options so output never depends on the machine. */
import * as prettier from "prettier";
import type { OutputFile } from "../emitters/index.js";

const options: prettier.Options = { printWidth: 100, trailingComma: "all", endOfLine: "lf" };

export async function formatFile(file: OutputFile): Promise<string> {
  return prettier.format(file.contents, { ...options, parser: file.language === "json" ? "json" : "typescript" });
}
