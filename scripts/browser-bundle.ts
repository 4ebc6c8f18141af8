// Bundles code that uses the runtime for browsers with esbuild, as a web app's build would: the runtime
// from source (what `jamp-gen/runtime` resolves to), the package's `browser` field keeping `ws` and
// `node:http` out. Run on its own (`npm run size`), it prints the size of the generated calculator client
// with the runtime and its validators, minified and gzipped, and fails if anything of Node got in.
import { build } from "esbuild";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface BrowserBundle {
  readonly code: string;
  /** The files bundled, relative to the repository; `(disabled):…` for modules the `browser` field removed. */
  readonly inputs: readonly string[];
}

/** Bundles `source` (TypeScript, resolved from the repository's root) into one browser script. */
export async function bundleForBrowser(source: string, minify: boolean): Promise<BrowserBundle> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: "ts", sourcefile: "entry.ts" },
    absWorkingDir: root,
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify,
    write: false,
    metafile: true,
    logLevel: "silent",
    alias: { "jamp-gen/runtime": `${root}src/runtime/index.ts` },
  });
  return { code: result.outputFiles[0]?.text ?? "", inputs: Object.keys(result.metafile.inputs) };
}

/** What a browser bundle must not hold: Node's modules and `ws`, beyond the empty stand-ins for them. */
export function nodeOnlyInputs(bundle: BrowserBundle): string[] {
  return bundle.inputs.filter(
    (input) => !input.startsWith("(disabled):") && (input.startsWith("node:") || input.includes("node_modules/")),
  );
}

export const calculatorEntry = [
  'export { CalculatorClient } from "./fixtures/calculator/expected/calculator.client.ts";',
  'export { connect } from "jamp-gen/runtime";',
].join("\n");

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const bundle = await bundleForBrowser(calculatorEntry, true);
  const bytes = Buffer.byteLength(bundle.code);
  const gzipped = gzipSync(bundle.code, { level: 9 }).length;
  console.log(`calculator client + runtime + validators: ${bytes} bytes minified, ${gzipped} bytes gzipped`);
  const leaked = nodeOnlyInputs(bundle);
  if (leaked.length > 0) {
    console.error(`the bundle holds Node-only code: ${leaked.join(", ")}`);
    process.exitCode = 1;
  }
}
