/**
 * The bundle group of `npm run bench`: what a browser app ships for a typed client, bundled with esbuild as
 * scripts/browser-bundle.ts does (`npm run size`), minified and gzipped (level 9): jamp-gen's generated
 * calculator client with its validators on `connectWebSocketPeer` and the JAMP codec, the same on `connect`
 * (every format and transport), and for reference what capnweb's and Comlink's clients take.
 */

import {
  bundleForBrowser,
  calculatorEntry,
  calculatorWebSocketEntry,
  sizeOf,
  type BrowserBundle,
} from "../scripts/browser-bundle.js";
import type { Environment } from "./report.js";

export interface MeasuredBundle {
  readonly name: string;
  readonly entry: string;
  readonly minified: number;
  readonly gzipped: number;
  readonly bundle: BrowserBundle;
}

const entries: readonly { readonly name: string; readonly entry: string }[] = [
  { name: "jamp-gen: calculator client + connectWebSocketPeer + jampCodec + validators", entry: calculatorWebSocketEntry },
  { name: "jamp-gen: calculator client + connect (every format and transport) + validators", entry: calculatorEntry },
  { name: "capnweb 0.12.0: newWebSocketRpcSession", entry: 'export { newWebSocketRpcSession } from "capnweb";' },
  { name: "Comlink 4.4.2: wrap", entry: 'export { wrap } from "comlink";' },
];

/** The target of issue 9 for jamp-gen's browser bundle, min+gzip. */
export const bundleTarget = 6 * 1024;

export async function measureBundles(): Promise<MeasuredBundle[]> {
  const measured: MeasuredBundle[] = [];
  for (const { name, entry } of entries) {
    const bundle = await bundleForBrowser(entry, true);
    measured.push({ name, entry, ...sizeOf(bundle), bundle });
  }
  return measured;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function bundleText(bundles: readonly MeasuredBundle[]): string {
  return bundles.map((b) => `  ${b.name}: ${kb(b.minified)} minified, ${kb(b.gzipped)} gzipped`).join("\n");
}

export function bundleSection(env: Environment, bundles: readonly MeasuredBundle[]): string {
  const rows = bundles.map((b) => `| ${b.name} | ${b.minified.toLocaleString("en-US")} | ${b.gzipped.toLocaleString("en-US")} |`);
  const ours = bundles[0]!;
  const parts = ours.bundle.bytesByInput.map(([input, bytes]) => `| ${input} | ${bytes.toLocaleString("en-US")} |`);
  return `## Browser bundle

${env.date}, esbuild (\`platform: "browser"\`, ESM, ES2022, minified), gzip level 9; the same build for each.
The entries are one line each: \`${calculatorWebSocketEntry.split("\n").join(" ")}\`, and so on
(bench/bundle.ts). Target for jamp-gen's first row: ${kb(bundleTarget)} min+gzip. Before the runtime was made
tree-shakeable (\`sideEffects: false\`, codecs passed as values, \`connectWebSocketPeer\`), every app got the
second row.

| bundle | bytes minified | bytes min+gzip |
|---|--:|--:|
${rows.join("\n")}

What each file adds to jamp-gen's first bundle (minified bytes, from esbuild's metafile):

| file | bytes |
|---|--:|
${parts.join("\n")}
`;
}
