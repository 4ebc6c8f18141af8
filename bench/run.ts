/**
 * `npm run bench`, groups, each against a baseline measured in the same run where there is one:
 *  - rpc: calls per second of `add(a, b)` and of a ~2 KB echo over a real WebSocket on 127.0.0.1, jamp-gen and
 *    its peers (json-rpc-2.0, capnweb, tRPC) against a raw `ws` limit and a byte-echo floor (rpc.ts);
 *  - validation: validations per second of an order document, jamp-gen's compiled validators against ajv
 *    (validation.ts);
 *  - generation: cold runs of the jamp-gen CLI on the synthetic project at 50 and 200 service files, against
 *    `tsc --noEmit` on the same files, a bare ts-morph walk and ts-json-schema-generator, each in a fresh
 *    child process (generation.ts);
 *  - memory: bytes per pending query with 10,000 pending on one connection (memory.ts);
 *  - bundle: the browser bundle of the calculator client, minified and gzipped, next to capnweb's and
 *    Comlink's (bundle.ts);
 *  - watch: `--watch` on a synthetic project of 200 service files, one-file edits timed from the save to
 *    the outputs written (watch.ts; an absolute figure against the issue's target, 200 ms median).
 * Prints a table per group and writes bench/RESULTS.md, with a chart for the groups that have one in
 * bench/charts/.
 *
 *   npm run bench [-- --inline] [--rounds 15] [--warmup 2] [--calls 5000] [--window 100] [--rpc-cell-ms 400] [--rpc-slices 4]
 *                 [--budget 150] [--validation-budget 40] [--cell-ms 300] [--slices 20]
 *                 [--validations N] [--pending 10000]
 *                 [--generation-sizes 50,200] [--generation-rounds 5] [--generation-warmup 1]
 *                 [--generation-budget 300]
 *                 [--watch-services 200] [--watch-edits 15]
 *                 [--only rpc|memory|bundle|validation|generation|watch|<contender>,...] [--no-write] [--smoke]
 *
 * --only names groups (`rpc`, `validation`, ...) and/or contenders (`raw-parse`, `echo`, `json-rpc-2.0`,
 * `capnweb`, `trpc`, `jamp-gen`, `ajv`, `hand-written`): the named groups run (all, if none is named), each with the named contenders it has (all,
 * if it has none of them; a group with only other groups' contenders named is left out). RESULTS.md keeps
 * the previous section of a group left out.
 * --inline runs the RPC servers in this process (handy with `node --cpu-prof`: one profile holds both
 * sides); by default they run in one child process. --calls is the most calls an RPC cell makes; the warm-up
 * sets each contender's count so that its cells take about --rpc-cell-ms; --rpc-slices cuts each measured cell
 * into slices the contenders run in turn. --budget and --validation-budget (seconds) stop adding
 * measured rounds to the RPC and the validation group once spent, after at least 3; --rounds and --warmup
 * apply to both groups. --cell-ms sets how much CPU time ajv's validations of a workload take per round
 * (the count is calibrated in the warm-up), or --validations sets the count; --slices cuts each
 * contender's share of a round into slices run in turn. --no-write leaves RESULTS.md alone. --smoke runs
 * every group with a token amount of work (a few calls, 10 service files, one round) and writes nothing:
 * a check that the bench still runs, for CI.
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { barChart, cellsChart } from "./chart.js";
import {
  generationChart,
  generationContenders,
  generationSection,
  generationSummary,
  generationTextTable,
  runGenerationGroup,
} from "./generation.js";
import { benchWatch, type WatchFigures } from "./watch.js";
import {
  describeValidationRun,
  resultsMarkdown,
  rpcColumns,
  textTable,
  validationColumns,
  validationSection,
  watchSection,
  type Environment,
} from "./report.js";
import { bundleChart, bundleSection, bundleText, measureBundles } from "./bundle.js";
import { memorySection, memoryText, runMemoryGroup } from "./memory.js";
import { describeRpcRun, rpcContenders, rpcCpuColumns, rpcSection, runRpcGroup } from "./rpc.js";
import { runValidationGroup, validationContenders } from "./validation.js";

const { values: args } = parseArgs({
  options: {
    inline: { type: "boolean", default: false },
    rounds: { type: "string", default: "15" },
    warmup: { type: "string", default: "2" },
    calls: { type: "string", default: "5000" },
    window: { type: "string", default: "100" },
    budget: { type: "string", default: "150" },
    "rpc-cell-ms": { type: "string", default: "400" },
    "rpc-slices": { type: "string", default: "4" },
    "validation-budget": { type: "string", default: "40" },
    "cell-ms": { type: "string", default: "300" },
    slices: { type: "string", default: "20" },
    validations: { type: "string" },
    "generation-sizes": { type: "string", default: "50,200" },
    "generation-rounds": { type: "string", default: "5" },
    "generation-warmup": { type: "string", default: "1" },
    "generation-budget": { type: "string", default: "300" },
    "watch-services": { type: "string", default: "200" },
    "watch-edits": { type: "string", default: "15" },
    pending: { type: "string", default: "10000" },
    only: { type: "string" },
    "no-write": { type: "boolean", default: false },
    smoke: { type: "boolean", default: false },
  },
});

// --smoke: every group runs, with a token amount of work, and nothing is written.
if (args.smoke) {
  Object.assign(args, { rounds: "1", warmup: "1", calls: "200", window: "10", "rpc-cell-ms": "50", pending: "1000" });
  Object.assign(args, { validations: "200", slices: "2", "no-write": true });
  Object.assign(args, { "generation-sizes": "10", "generation-rounds": "1", "generation-warmup": "0" });
  Object.assign(args, { "watch-services": "10", "watch-edits": "2" });
}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, got ${text}`);
  return value;
}

const rounds = Math.max(1, positive("rounds", args.rounds));
const warmupRounds = positive("warmup", args.warmup);
const calls = Math.max(1, positive("calls", args.calls));
const window = Math.max(1, positive("window", args.window));
const budgetMs = positive("budget", args.budget) * 1000;
const validationBudgetMs = positive("validation-budget", args["validation-budget"]) * 1000;
const cellMs = Math.max(1, positive("cell-ms", args["cell-ms"]));
const slices = Math.max(1, positive("slices", args.slices));
const validations = args.validations === undefined ? undefined : Math.max(1, positive("validations", args.validations));
const rpcCellMs = Math.max(1, positive("rpc-cell-ms", args["rpc-cell-ms"]));
const rpcSlices = Math.max(1, positive("rpc-slices", args["rpc-slices"]));

// --only: groups, contenders, or both.
const groups = ["rpc", "memory", "bundle", "validation", "generation", "watch"] as const;
type Group = (typeof groups)[number];
const only = args.only
  ?.split(",")
  .map((name) => name.trim())
  .filter((name) => name !== "");
const namedGroups = (only ?? []).filter((name): name is Group => (groups as readonly string[]).includes(name));
const namedContenders = (only ?? []).filter((name) => !(groups as readonly string[]).includes(name));
const allContenders = [...new Set([...rpcContenders, ...validationContenders, ...generationContenders])];
const unknown = namedContenders.filter((name) => !allContenders.includes(name));
if (unknown.length > 0)
  throw new Error(`--only: unknown ${unknown.join(", ")}; groups are ${groups.join(", ")}, contenders ${allContenders.join(", ")}`);

/** The contenders of a group to run: undefined for all of them, an empty list to leave the group out. */
function selected(group: Group, names: readonly string[]): readonly string[] | undefined {
  if (namedGroups.length > 0 && !namedGroups.includes(group)) return [];
  const mine = namedContenders.filter((name) => names.includes(name));
  if (mine.length > 0) return mine;
  // Contenders named, none of them this group's: a group named outright still runs them all.
  return namedContenders.length > 0 && !namedGroups.includes(group) ? [] : undefined;
}

if ((globalThis as { gc?: () => void }).gc === undefined)
  console.warn("warning: run with --expose-gc (npm run bench does) for a collection before each cell");

/** A group's RESULTS.md section, and its chart (written to bench/charts/<group>.svg) where it has one. */
interface Section {
  readonly markdown: string;
  readonly chart?: string;
}

/** The section with its chart's image under its heading. */
function withChart(markdown: string, group: string, alt: string): string {
  const [heading, ...rest] = markdown.split("\n");
  return [heading, "", `![${alt}](charts/${group}.svg)`, ...rest].join("\n");
}

/** The RPC group (rpc.ts): prints its table and returns its RESULTS.md section. */
async function runRpc(env: Environment, names: readonly string[] | undefined): Promise<Section> {
  const run = await runRpcGroup(env, {
    inline: args.inline,
    rounds,
    warmupRounds,
    calls,
    window,
    budgetMs,
    cellMs: rpcCellMs,
    slices: rpcSlices,
    only: names,
  });
  console.log(textTable(run.cells));
  console.log(`\n${textTable(run.cpuCells, rpcCpuColumns)}`);
  console.log(`\n× raw-parse: per-round ratio to raw-parse, median (and range) over rounds; higher is faster.`);
  console.log(describeRpcRun(run.info));
  return {
    markdown: withChart(rpcSection(run), "rpc", "RPC calls per second as a multiple of raw-parse's"),
    chart: cellsChart("RPC over a WebSocket: calls/s ÷ raw-parse's", run.cells, rpcColumns),
  };
}

/** The memory group (memory.ts): pending queries on one connection. */
async function runMemory(env: Environment): Promise<Section> {
  const pending = Math.max(1, positive("pending", args.pending));
  console.log(`\nmemory: ${pending} queries pending on one connection`);
  const figures = await runMemoryGroup({ pending, rounds: 3, inline: args.inline });
  console.log(memoryText(figures));
  return { markdown: memorySection(env, figures) };
}

/** The bundle group (bundle.ts): browser bundles, minified and gzipped. */
async function runBundle(env: Environment): Promise<Section> {
  console.log("\nbundle: browser bundles with esbuild, minified and gzipped");
  const bundles = await measureBundles();
  console.log(bundleText(bundles));
  return { markdown: bundleSection(env, bundles, "charts/bundle.svg"), chart: bundleChart(bundles, env) };
}

/** The validation group (validation.ts): prints its table and returns its RESULTS.md section. */
async function runValidation(env: Environment, names: readonly string[] | undefined): Promise<Section> {
  const { info, cells } = await runValidationGroup({
    rounds,
    warmupRounds,
    budgetMs: validationBudgetMs,
    only: names,
    validations,
    cellMs,
    slices,
  });
  console.log(textTable(cells, validationColumns));
  console.log(`\n× ajv: per-round ratio to ajv, median (and range) over rounds; higher is faster.`);
  console.log(describeValidationRun(env, info));
  return {
    markdown: withChart(validationSection(env, info, cells), "validation", "Validations per second as a multiple of ajv's"),
    chart: cellsChart("Validation of an order: validations/s ÷ ajv's", cells, validationColumns),
  };
}

/** The generation group (generation.ts): cold runs in child processes, against tsc on the same files. */
async function runGeneration(env: Environment, names: readonly string[] | undefined): Promise<Section> {
  const sizes = args["generation-sizes"].split(",").map((size) => Math.max(1, positive("generation-sizes", size.trim())));
  console.log(`\ngeneration: cold runs at ${sizes.join(" and ")} service files, each contender in a fresh process`);
  const run = await runGenerationGroup(
    {
      sizes,
      rounds: Math.max(1, positive("generation-rounds", args["generation-rounds"])),
      warmupRounds: positive("generation-warmup", args["generation-warmup"]),
      budgetMs: positive("generation-budget", args["generation-budget"]) * 1000,
      only: names,
      log: (text) => console.log(text),
    },
    env,
  );
  console.log(`\n${generationTextTable(run.cells)}\n`);
  for (const line of generationSummary(run.cells)) console.log(line);
  console.log(run.machine);
  return { markdown: generationSection(run, "charts/generation.svg"), chart: generationChart(run) };
}

/** The watch group (watch.ts): one-file edits in a 200-service project, timed from save to outputs written. */
async function runWatchGroup(env: Environment): Promise<Section> {
  const services = Number(args["watch-services"]);
  console.log(`\nwatch: ${services} service files, one-file edits (${args["watch-edits"]} of each kind after 3 warm-up edits)`);
  const figures = await benchWatch({ services, edits: Number(args["watch-edits"]), warmup: 3, debounceMs: 25 });
  for (const edit of figures.edits) console.log(`  ${edit.kind.padEnd(18)} median ${edit.medianMs} ms (min ${edit.minMs}, max ${edit.maxMs}, ${edit.count} edits); CPU median ${edit.cpu.medianMs} ms (min ${edit.cpu.minMs}, max ${edit.cpu.maxMs})`);
  console.log(`  first run (cold)   ${figures.coldMs} ms`);
  return { markdown: watchSection(env, figures, "charts/watch.svg"), chart: watchChart(figures, env) };
}

function watchChart(figures: WatchFigures, env: Environment): string {
  return barChart({
    title: `Watch mode, ${figures.services} service files: save → outputs written`,
    unit: " ms",
    digits: 0,
    lowerIsBetter: true,
    groups: [
      { label: "time, save → line printed", bars: figures.edits.map((e) => ({ label: e.kind, value: e.medianMs, min: e.minMs, max: e.maxMs, highlight: true })) },
      { label: "CPU time over the same span", bars: figures.edits.map((e) => ({ label: e.kind, value: e.cpu.medianMs, min: e.cpu.minMs, max: e.cpu.maxMs })) },
    ],
    references: [{ value: 200, label: "target < 200 ms", dashed: true }],
    note: `medians of ${figures.edits[0]?.count ?? 0} edits of each kind; ${env.date.slice(0, 10)}`,
  });
}

async function main(): Promise<void> {
  const env: Environment = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown CPU",
    cores: cpus().length,
  };
  const rpc = selected("rpc", rpcContenders);
  const memory = selected("memory", []);
  const bundle = selected("bundle", []);
  const validation = selected("validation", validationContenders);
  const generation = selected("generation", generationContenders);
  const watch = selected("watch", []);
  if ([rpc, memory, bundle, validation, generation, watch].every((names) => names?.length === 0))
    throw new Error(`--only ${args.only} selects nothing to run`);

  // RPC first: its server process has exited by the time validation, which runs here alone, starts; the
  // generation group's children run while this process idles; watch mode last, in this process.
  const sections: { group: Group; section: Section | undefined }[] = [];
  sections.push({ group: "rpc", section: rpc?.length === 0 ? undefined : await runRpc(env, rpc) });
  sections.push({ group: "memory", section: memory?.length === 0 ? undefined : await runMemory(env) });
  sections.push({ group: "bundle", section: bundle?.length === 0 ? undefined : await runBundle(env) });
  if (sections.some(({ section }) => section !== undefined) && validation?.length !== 0) console.log("");
  sections.push({ group: "validation", section: validation?.length === 0 ? undefined : await runValidation(env, validation) });
  sections.push({ group: "generation", section: generation?.length === 0 ? undefined : await runGeneration(env, generation) });
  sections.push({ group: "watch", section: watch?.length === 0 ? undefined : await runWatchGroup(env) });

  if (!args["no-write"]) {
    const file = new URL("./RESULTS.md", import.meta.url);
    const previous = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    writeFileSync(file, resultsMarkdown(sections.map(({ group, section }) => ({ group, markdown: section?.markdown })), previous));
    mkdirSync(new URL("./charts/", import.meta.url), { recursive: true });
    for (const { group, section } of sections) {
      if (section?.chart !== undefined) writeFileSync(new URL(`./charts/${group}.svg`, import.meta.url), section.chart);
    }
    console.log("written: bench/RESULTS.md and its charts in bench/charts/");
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
