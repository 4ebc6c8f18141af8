/**
 * The bundle group of `npm run bench`: what a browser app ships for a typed client, bundled with esbuild as
 * scripts/browser-bundle.ts does (`npm run size`), minified and gzipped (level 9): jamp-gen's generated
 * calculator client with its validators on `connectCaller` (call-only, JAMP), the same on
 * `connectWebSocketPeer` and the JAMP codec and on `connect` (every format and transport), and for reference
 * what capnweb's and Comlink's clients take.
 */

import {
  bundleForBrowser,
  calculatorCallerEntry,
  calculatorCheckedCallerEntry,
  calculatorEntry,
  calculatorWebSocketEntry,
  gzipShares,
  sizeOf,
  type BrowserBundle,
} from "../scripts/browser-bundle.js";
import { barChart } from "./chart.js";
import type { Environment } from "./report.js";

export interface MeasuredBundle {
  readonly name: string;
  /** The bar's label in the chart. */
  readonly short?: string | undefined;
  readonly entry: string;
  readonly minified: number;
  readonly gzipped: number;
  readonly bundle: BrowserBundle;
}

/** Each bundle measured: `short` labels its bar in the chart. */
const entries: readonly { readonly name: string; readonly short: string; readonly entry: string }[] = [
  {
    name: "jamp-gen: calculator client + connectCaller (call-only, JAMP), results not checked (the default)",
    short: "jamp-gen on connectCaller",
    entry: calculatorCallerEntry,
  },
  {
    name: "jamp-gen: the same, checking results (`validateResults: calculatorResultValidators`)",
    short: "jamp-gen on connectCaller, checking results",
    entry: calculatorCheckedCallerEntry,
  },
  { name: "jamp-gen: calculator client + connectWebSocketPeer + jampCodec", short: "jamp-gen on connectWebSocketPeer", entry: calculatorWebSocketEntry },
  { name: "jamp-gen: calculator client + connect (every format and transport)", short: "jamp-gen on connect", entry: calculatorEntry },
  { name: "capnweb 0.12.0: newWebSocketRpcSession", short: "capnweb 0.12.0: newWebSocketRpcSession", entry: 'export { newWebSocketRpcSession } from "capnweb";' },
  { name: "Comlink 4.4.2: wrap", short: "Comlink 4.4.2: wrap", entry: 'export { wrap } from "comlink";' },
];

/** The target of issue 9 for jamp-gen's browser bundle, min+gzip. */
export const bundleTarget = 6 * 1024;

/**
 * jamp-gen's first row built up in layers, each bundle holding the one before, so that what each layer adds
 * after gzip can be read (gzip shares one dictionary over the whole file: a file's own share cannot be).
 */
const layers: readonly { readonly name: string; readonly entry: string }[] = [
  {
    name: "the generated client, createClient and the revivers",
    entry: 'export { CalculatorClient } from "./fixtures/calculator/expected/calculator.client.ts";',
  },
  {
    // What connectCaller carries of the codec: its reading and writing (not `jampCodec`'s recognising and
    // answering of rejected calls, which only a serving side runs), so that each layer holds the one before.
    name: "+ the JAMP codec's reading and writing",
    entry: 'export { CalculatorClient } from "./fixtures/calculator/expected/calculator.client.ts";\nexport { jampCallCodec } from "./src/runtime/codecs/jamp.ts";',
  },
  { name: "+ connectCaller: ids, time limits, signals, the socket", entry: calculatorCallerEntry },
];

export interface MeasuredBundles {
  readonly bundles: readonly MeasuredBundle[];
  readonly layers: readonly MeasuredBundle[];
  /** What each file costs the first bundle after gzip (`gzipShares`). */
  readonly shares: ReadonlyMap<string, number>;
}

async function measure(list: readonly { readonly name: string; readonly short?: string; readonly entry: string }[]): Promise<MeasuredBundle[]> {
  const measured: MeasuredBundle[] = [];
  for (const { name, short, entry } of list) {
    const bundle = await bundleForBrowser(entry, true);
    measured.push({ name, short, entry, ...sizeOf(bundle), bundle });
  }
  return measured;
}

export async function measureBundles(): Promise<MeasuredBundles> {
  const { shares } = await gzipShares(calculatorCallerEntry);
  return { bundles: await measure(entries), layers: await measure(layers), shares: new Map(shares) };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function bundleText({ bundles, layers }: MeasuredBundles): string {
  const line = (b: MeasuredBundle): string => `  ${b.name}: ${kb(b.minified)} minified, ${kb(b.gzipped)} gzipped`;
  return [...bundles.map(line), "  jamp-gen's first row in layers:", ...layers.map(line)].join("\n");
}

const bytes = (n: number): string => n.toLocaleString("en-US");

export function bundleSection(env: Environment, { bundles, layers, shares }: MeasuredBundles, chart: string): string {
  const rows = bundles.map((b) => `| ${b.name} | ${bytes(b.minified)} | ${bytes(b.gzipped)} |`);
  const ours = bundles[0]!;
  const parts = ours.bundle.bytesByInput.map(
    ([input, size]) => `| ${input} | ${bytes(size)} | ${bytes(shares.get(input) ?? 0)} |`,
  );
  const steps = layers.map(
    (b, i) => `| ${b.name} | ${bytes(b.minified)} | ${bytes(b.gzipped)} | ${bytes(b.gzipped - (layers[i - 1]?.gzipped ?? 0))} |`,
  );
  return `## Browser bundle

![Browser bundles, min+gzip](${chart})

${env.date}, esbuild (\`platform: "browser"\`, ESM, ES2022, minified), gzip level 9; the same build for each.
The entries are one line each: \`${calculatorCallerEntry.split("\n").join(" ")}\`, and so on
(bench/bundle.ts). Target for jamp-gen's first rows: ${kb(bundleTarget)} min+gzip. The first row is a page that
only calls (\`connectCaller\`) and takes its results as they come, as a client does unless told to check them;
the second checks them (\`validateResults: calculatorResultValidators\`), which brings the validators and the
format checks they use; the third also serves and reconnects (\`connectWebSocketPeer\`); before the runtime
was made tree-shakeable (\`sideEffects: false\`, codecs passed as values), every app got the fourth.

| bundle | bytes minified | bytes min+gzip |
|---|--:|--:|
${rows.join("\n")}

The first row built up in layers, each bundle holding the one before (bytes; gzip shares one dictionary
over a file, so what a layer adds is read off the bundles, not off its files):

| layer | minified | min+gzip | adds, min+gzip |
|---|--:|--:|--:|
${steps.join("\n")}

What each file adds to jamp-gen's first bundle: minified bytes (from esbuild's metafile), and after gzip
what the bundle loses without the file's code (the rest minified and gzipped again; these add up to less
than the whole, as a file's text also makes the others' cheaper):

| file | minified | min+gzip |
|---|--:|--:|
${parts.join("\n")}
`;
}

/** The bundles' gzipped sizes against the target, one bar each. */
export function bundleChart({ bundles, layers }: MeasuredBundles, env: Environment): string {
  return barChart({
    title: "Browser bundle of a typed calculator client",
    subtitle: "esbuild, minified, gzip level 9; shorter is smaller",
    unit: " KB",
    digits: 1,
    lowerIsBetter: true,
    groups: [
      {
        label: "min+gzip",
        bars: bundles.map((b) => ({
          label: b.short ?? b.name,
          value: b.gzipped / 1024,
          highlight: b.name.startsWith("jamp-gen"),
        })),
      },
      {
        label: "jamp-gen on connectCaller, built up in layers",
        bars: layers.map((b) => ({ label: b.name.replace(/:.*$/, "").replace(/, createClient and/, " +"), value: b.gzipped / 1024 })),
      },
    ],
    references: [{ value: bundleTarget / 1024, label: "target 6 KB", dashed: true }],
    note: `bench/bundle.ts; ${env.date.slice(0, 10)}`,
  });
}
