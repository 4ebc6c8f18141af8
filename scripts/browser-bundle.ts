// Bundles code that uses the runtime for browsers with esbuild, as a web app's build would: the runtime
// from source (what `jamp-gen/runtime` resolves to), the package's `browser` field keeping `ws` and
// `node:http` out, its `sideEffects: false` letting unused modules go. Run on its own (`npm run size`), it
// prints the size of the generated calculator client with the runtime and its validators, minified and
// gzipped, on `connectCaller` (call-only), on `connectWebSocketPeer` with the JAMP codec and on `connect`
// (every format and transport), what each file adds minified and after gzip, and fails if anything of Node
// got in.
import { build, transform } from "esbuild";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface BrowserBundle {
  readonly code: string;
  /** The files bundled, relative to the repository; `(disabled):…` for modules the `browser` field removed. */
  readonly inputs: readonly string[];
  /** What each file bundled adds to the minified code, in bytes, largest first (from esbuild's metafile). */
  readonly bytesByInput: readonly (readonly [string, number])[];
}

/**
 * Bundles `source` (TypeScript, resolved from the repository's root), or the file `{ entry }` names (relative
 * to the root; a page that runs for its effects, which an import of it would drop under `sideEffects: false`),
 * into one browser script.
 */
export async function bundleForBrowser(source: string | { readonly entry: string }, minify: boolean): Promise<BrowserBundle> {
  const result = await build({
    ...(typeof source === "string"
      ? { stdin: { contents: source, resolveDir: root, loader: "ts", sourcefile: "entry.ts" } }
      : { entryPoints: [`${root}${source.entry}`] }),
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
  const output = Object.values(result.metafile.outputs)[0];
  const bytesByInput = Object.entries(output?.inputs ?? {})
    .map(([input, { bytesInOutput }]) => [input, bytesInOutput] as const)
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1]);
  return { code: result.outputFiles[0]?.text ?? "", inputs: Object.keys(result.metafile.inputs), bytesByInput };
}

/** Minified and gzipped (level 9) sizes of a bundle, in bytes. */
export function sizeOf(bundle: BrowserBundle): { minified: number; gzipped: number } {
  return { minified: Buffer.byteLength(bundle.code), gzipped: gzipSync(bundle.code, { level: 9 }).length };
}

/**
 * What each file of the bundle of `source` costs after gzip: the minified and gzipped bundle's size less that
 * of the same bundle without the file's code, largest first. Read off the unminified bundle, whose files
 * esbuild marks with a `// path` line, each cut out in turn and the rest minified and gzipped as one. (gzip
 * shares one dictionary over a file, so these add up to less than the whole: what is left is the part
 * of each file that the others' text made cheap.)
 */
export async function gzipShares(source: string): Promise<{ total: number; shares: (readonly [string, number])[] }> {
  const { code } = await bundleForBrowser(source, false);
  // The exports go: a file cut out must not leave them naming what is no longer declared.
  const parts = code.replace(/^export \{[^}]*\};\s*$/m, "").split(/^(?=\/\/ \S+\.ts\n)/m);
  const gzipped = async (text: string): Promise<number> => {
    const { code: minified } = await transform(text, { minify: true, format: "esm", target: "es2022" });
    return gzipSync(minified, { level: 9 }).length;
  };
  const total = await gzipped(parts.join(""));
  const shares: (readonly [string, number])[] = [];
  for (const [i, part] of parts.entries()) {
    const file = /^\/\/ (\S+\.ts)\n/.exec(part)?.[1];
    if (file !== undefined) shares.push([file, total - (await gzipped(parts.filter((_, j) => j !== i).join("")))]);
  }
  return { total, shares: shares.sort((a, b) => b[1] - a[1]) };
}

/** What a browser bundle must not hold: Node's modules and `ws`, beyond the empty stand-ins for them. */
export function nodeOnlyInputs(bundle: BrowserBundle): string[] {
  return bundle.inputs.filter(
    (input) => !input.startsWith("(disabled):") && (input.startsWith("node:") || input.includes("node_modules/")),
  );
}

/** The generated calculator client on `connect`: every format and transport, as Node users get. */
export const calculatorEntry = [
  'export { CalculatorClient } from "./fixtures/calculator/expected/calculator.client.ts";',
  'export { connect } from "jamp-gen/runtime";',
].join("\n");

/** The generated calculator client on `connectCaller`, with the JAMP codec: what a page that serves nothing needs. */
export const calculatorCallerEntry = [
  'export { CalculatorClient } from "./fixtures/calculator/expected/calculator.client.ts";',
  'export { connectCaller } from "jamp-gen/runtime";',
].join("\n");

/** The same, checking results: with the validators a client passes as `validateResults`, and what they use. */
export const calculatorCheckedCallerEntry = [
  calculatorCallerEntry,
  'export { calculatorResultValidators } from "./fixtures/calculator/expected/calculator.validate.ts";',
].join("\n");

/** The generated calculator client on `connectWebSocketPeer` with the JAMP codec: a page that serves too. */
export const calculatorWebSocketEntry = [
  'export { CalculatorClient } from "./fixtures/calculator/expected/calculator.client.ts";',
  'export { connectWebSocketPeer, jampCodec } from "jamp-gen/runtime";',
].join("\n");

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const [what, entry] of [
    ["calculator client + connectCaller (JAMP), results not checked (the default)", calculatorCallerEntry],
    ["calculator client + connectCaller (JAMP), checking results (calculatorResultValidators)", calculatorCheckedCallerEntry],
    ["calculator client + connectWebSocketPeer + JAMP codec", calculatorWebSocketEntry],
    ["calculator client + connect (every format and transport)", calculatorEntry],
  ] as const) {
    const bundle = await bundleForBrowser(entry, true);
    const { minified, gzipped } = sizeOf(bundle);
    console.log(`${what}: ${minified} bytes minified, ${gzipped} bytes gzipped`);
    const { shares } = await gzipShares(entry);
    const shareOf = new Map(shares);
    console.log("  minified  min+gzip (what the bundle loses without the file)");
    for (const [input, bytes] of bundle.bytesByInput) {
      console.log(`  ${String(bytes).padStart(8)}  ${String(shareOf.get(input) ?? "").padStart(8)}  ${input}`);
    }
    const leaked = nodeOnlyInputs(bundle);
    if (leaked.length > 0) {
      console.error(`the bundle holds Node-only code: ${leaked.join(", ")}`);
      process.exitCode = 1;
    }
  }
}
