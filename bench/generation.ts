/**
 * The generation group of `npm run bench`: cold runs on the synthetic project (synthetic.ts) at 50 and 200
 * service files, each contender in a fresh child process, timed from spawn to exit:
 *  - tsc: `tsc --noEmit -p tsconfig.json` over the same files (the baseline, 1.00);
 *  - ts-morph walk: ts-morph-walk.mjs, the project opened, its service files checked, every type their
 *    methods reach resolved (the floor of what ts-morph costs);
 *  - ts-json-schema-generator: its CLI writing one schema with every exported type of the service files;
 *  - jamp-gen: the CLI (`bin/jamp-gen`, from `dist/`) writing clients, servers, schemas and validators into
 *    an empty folder.
 * Every child reports its peak resident set size and CPU time as it exits (child-resources.mjs). Within a
 * round, the contenders of a size run one after another in an order rotating from round to round; ratios
 * are taken to tsc's time in the same round.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { freemem, loadavg, release, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { barChart } from "./chart.js";
import { type Environment, median } from "./report.js";
import { writeSyntheticProject } from "./synthetic.js";

export const generationBaseline = "tsc";
/** The contenders' names, in the order of the tables. */
export const generationContenders: readonly string[] = ["tsc", "ts-morph-walk", "ts-json-schema-generator", "jamp-gen"];

export interface GenerationOptions {
  /** Service files of each project measured. */
  readonly sizes: readonly number[];
  readonly rounds: number;
  readonly warmupRounds: number;
  /** Stop adding measured rounds once the group has run this long, after at least 3 (or `rounds`, if fewer). */
  readonly budgetMs: number;
  /** Contender names to run (the baseline always runs); all when undefined. */
  readonly only: readonly string[] | undefined;
  /** Prints progress. */
  readonly log: (text: string) => void;
}

/** One contender at one size: a figure per measured round. */
export interface GenerationCell {
  readonly services: number;
  readonly contender: string;
  readonly wallMs: readonly number[];
  readonly cpuMs: readonly number[];
  readonly rssBytes: readonly number[];
  /** Wall time ÷ tsc's wall time in the same round. */
  readonly ratios: readonly number[];
  /** CPU time ÷ tsc's CPU time in the same round. */
  readonly cpuRatios: readonly number[];
}

export interface GenerationRun {
  readonly env: Environment;
  readonly machine: string;
  readonly rounds: number;
  readonly warmupRounds: number;
  readonly seconds: number;
  readonly cells: readonly GenerationCell[];
  /** What each project holds, by size. */
  readonly projects: readonly { services: number; files: number; methods: number; schemaDefinitions: number }[];
}

const root = fileURLToPath(new URL("..", import.meta.url));
const resourcesHook = new URL("./child-resources.mjs", import.meta.url).href;

interface Command {
  readonly args: readonly string[];
  /** Run before each start, untimed: clears what the previous run wrote. */
  readonly prepare?: () => void;
}

function commands(dir: string): Map<string, Command> {
  const out = path.join(dir, "generated");
  const schema = path.join(dir, "tsjg.schema.json");
  return new Map<string, Command>([
    ["tsc", { args: [path.join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"] }],
    ["ts-morph-walk", { args: [path.join(root, "bench/ts-morph-walk.mjs"), "tsconfig.json", "services/*.ts"] }],
    [
      "ts-json-schema-generator",
      {
        args: [path.join(root, "node_modules/ts-json-schema-generator/bin/ts-json-schema-generator.js"), "-p", "services/*.ts", "-t", "*", "-f", "tsconfig.json", "-o", schema],
        prepare: () => rmSync(schema, { force: true }),
      },
    ],
    ["jamp-gen", { args: [path.join(root, "bin/jamp-gen"), "services/*.ts", "-o", "generated", "-p", "tsconfig.json"], prepare: () => rmSync(out, { recursive: true, force: true }) }],
  ]);
}

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssBytes: number;
}

/** Runs one command in a fresh `node`, from spawn to exit; fails on a non-zero exit. */
function runChild(name: string, command: Command, cwd: string): Promise<Sample> {
  command.prepare?.();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", resourcesHook, ...command.args], {
      cwd,
      env: { ...process.env, JAMP_BENCH_RESOURCES_FD: "3", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    const output: Buffer[] = [];
    let resources = "";
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk));
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => (resources += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`${name} exited with ${code}:\n${Buffer.concat(output).toString().slice(-2000)}`));
      const line = resources.trim().split("\n").at(-1);
      if (!line) return reject(new Error(`${name} did not report its resources`));
      const { maxRssBytes, cpuMs } = JSON.parse(line) as { maxRssBytes: number; cpuMs: number };
      resolve({ wallMs, cpuMs, rssBytes: maxRssBytes });
    });
  });
}

/** Builds `dist/` when a source file or template is newer than it: the bench runs the CLI users run. */
export function ensureBuilt(log: (text: string) => void): void {
  const built = path.join(root, "dist/cli/main.js");
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const file = path.join(dir, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(file) : statSync(file).mtimeMs);
    }, 0);
  let builtAt = 0;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    // Not built yet.
  }
  if (builtAt >= Math.max(newest(path.join(root, "src")), newest(path.join(root, "templates")))) return;
  log("dist/ is older than the sources: npm run build");
  const result = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("npm run build failed");
}

export async function runGenerationGroup(options: GenerationOptions, env: Environment): Promise<GenerationRun> {
  ensureBuilt(options.log);
  const started = performance.now();
  const names = generationContenders.filter((name) => name === generationBaseline || options.only === undefined || options.only.includes(name));
  const projects: { services: number; dir: string; commands: Map<string, Command> }[] = [];
  const base = mkdtempSync(path.join(tmpdir(), "jamp-gen-generation-bench-"));
  try {
    for (const services of options.sizes) {
      const dir = path.join(base, `services-${services}`);
      writeSyntheticProject(dir, services);
      projects.push({ services, dir, commands: commands(dir) });
    }
    const samples = new Map<string, Sample[]>();
    const key = (services: number, name: string) => `${services}:${name}`;
    const minRounds = Math.min(3, options.rounds);
    let measured = 0;
    for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
      const warm = round < options.warmupRounds;
      if (!warm && measured >= minRounds && performance.now() - started > options.budgetMs) break;
      for (const project of projects) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(round + k) % names.length]!;
          const sample = await runChild(name, project.commands.get(name)!, project.dir);
          if (!warm) samples.set(key(project.services, name), [...(samples.get(key(project.services, name)) ?? []), sample]);
        }
      }
      if (!warm) measured++;
      options.log(warm ? `  warm-up round ${round + 1} done` : `  round ${measured} done`);
    }

    const cells: GenerationCell[] = projects.flatMap(({ services }) => {
      const baseline = samples.get(key(services, generationBaseline))!;
      return names.map((contender) => {
        const own = samples.get(key(services, contender))!;
        return {
          services,
          contender,
          wallMs: own.map((s) => s.wallMs),
          cpuMs: own.map((s) => s.cpuMs),
          rssBytes: own.map((s) => s.rssBytes),
          ratios: own.map((s, round) => s.wallMs / baseline[round]!.wallMs),
          cpuRatios: own.map((s, round) => s.cpuMs / baseline[round]!.cpuMs),
        };
      });
    });
    return {
      env,
      machine: machine(env),
      rounds: measured,
      warmupRounds: options.warmupRounds,
      seconds: (performance.now() - started) / 1000,
      cells,
      projects: projects.map(({ services, dir }) => describeProject(services, dir)),
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** What the last runs left in a project's folder: jamp-gen's files and ts-json-schema-generator's definitions. */
function describeProject(services: number, dir: string): GenerationRun["projects"][number] {
  let files = 0;
  let methods = 0;
  try {
    // At any depth: the modules of shared types sit in `shared/`.
    files = readdirSync(path.join(dir, "generated"), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
    const index = readdirSync(path.join(dir, "generated")).filter((f) => f.endsWith(".schema.json"));
    for (const file of index) methods += Object.keys((JSON.parse(readFileSync(path.join(dir, "generated", file), "utf8")) as { "x-jamp-methods"?: object })["x-jamp-methods"] ?? {}).length;
  } catch {
    // jamp-gen left out with --only.
  }
  let schemaDefinitions = 0;
  try {
    schemaDefinitions = Object.keys((JSON.parse(readFileSync(path.join(dir, "tsjg.schema.json"), "utf8")) as { definitions?: object }).definitions ?? {}).length;
  } catch {
    // ts-json-schema-generator left out with --only.
  }
  return { services, files, methods, schemaDefinitions };
}

function machine(env: Environment): string {
  const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);
  const load = loadavg().map((l) => l.toFixed(2)).join(", ");
  return `${env.cpu}, ${env.cores} cores, ${gib(totalmem())} GiB memory (${gib(freemem())} GiB free at the start), Linux ${release()}, Node ${env.node}; load average at the end ${load} (the machine is shared)`;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const ratio = (value: number): string => value.toFixed(2);
const mib = (bytes: number): string => String(Math.round(bytes / 2 ** 20));

interface Row {
  readonly services: string;
  readonly contender: string;
  readonly wall: string;
  readonly wallRange: string;
  readonly ratio: string;
  readonly ratioRange: string;
  readonly cpu: string;
  readonly cpuRatio: string;
  readonly rss: string;
}

const headings: Row = {
  services: "services",
  contender: "contender",
  wall: "time s (median)",
  wallRange: "time min – max",
  ratio: "× tsc",
  ratioRange: "× range",
  cpu: "CPU s (median)",
  cpuRatio: "CPU × tsc",
  rss: "peak RSS MiB",
};

function rows(cells: readonly GenerationCell[]): Row[] {
  return cells.map((cell) => ({
    services: String(cell.services),
    contender: cell.contender,
    wall: seconds(median(cell.wallMs)),
    wallRange: `${seconds(Math.min(...cell.wallMs))} – ${seconds(Math.max(...cell.wallMs))}`,
    ratio: ratio(median(cell.ratios)),
    ratioRange: `${ratio(Math.min(...cell.ratios))} – ${ratio(Math.max(...cell.ratios))}`,
    cpu: seconds(median(cell.cpuMs)),
    cpuRatio: ratio(median(cell.cpuRatios)),
    rss: mib(median(cell.rssBytes)),
  }));
}

export function generationTextTable(cells: readonly GenerationCell[]): string {
  const all = [headings, ...rows(cells)];
  const keys = Object.keys(headings) as (keyof Row)[];
  const widths = keys.map((k) => Math.max(...all.map((row) => row[k].length)));
  const line = (row: Row) =>
    keys
      .map((k, i) => (k === "services" || k === "contender" ? row[k].padEnd(widths[i]!) : row[k].padStart(widths[i]!)))
      .join("   ")
      .trimEnd();
  return [line(headings), ...rows(cells).map(line)].join("\n");
}

function markdownTable(cells: readonly GenerationCell[]): string {
  const line = (row: Row) => `| ${Object.values(row).join(" | ")} |`;
  return [line(headings), "|--:|---|--:|--:|--:|--:|--:|--:|--:|", ...rows(cells).map(line)].join("\n");
}

/** jamp-gen's time ÷ ts-json-schema-generator's, per round: below 0.5 is "at least twice as fast". */
function versusSchemaGenerator(cells: readonly GenerationCell[], services: number): number[] | undefined {
  const mine = cells.find((c) => c.services === services && c.contender === "jamp-gen");
  const theirs = cells.find((c) => c.services === services && c.contender === "ts-json-schema-generator");
  return mine && theirs ? mine.wallMs.map((ms, round) => ms / theirs.wallMs[round]!) : undefined;
}

/** The one-line summary per size, for stdout and RESULTS.md. */
export function generationSummary(cells: readonly GenerationCell[]): string[] {
  const sizes = [...new Set(cells.map((c) => c.services))];
  return sizes.flatMap((services) => {
    const mine = cells.find((c) => c.services === services && c.contender === "jamp-gen");
    const versus = versusSchemaGenerator(cells, services);
    if (!mine) return [];
    const parts = [`${services} services: jamp-gen at ${ratio(median(mine.ratios))}× tsc's time (target ≤ 2.00)`];
    if (versus) parts.push(`${ratio(1 / median(versus))}× as fast as ts-json-schema-generator (target ≥ 2.00)`);
    parts.push(`peak RSS ${mib(median(mine.rssBytes))} MiB`);
    return [parts.join(", ")];
  });
}

export function generationChart(run: GenerationRun): string {
  const sizes = [...new Set(run.cells.map((c) => c.services))];
  return barChart({
    title: "Cold generation: time ÷ tsc --noEmit on the same files",
    unit: "×",
    lowerIsBetter: true,
    groups: sizes.map((services) => ({
      label: `${services} service files`,
      bars: run.cells
        .filter((c) => c.services === services)
        .map((c) => ({ label: c.contender, value: median(c.ratios), min: Math.min(...c.ratios), max: Math.max(...c.ratios), highlight: c.contender === "jamp-gen" })),
    })),
    references: [
      { value: 1, label: "tsc" },
      { value: 2, label: "target ≤ 2×", dashed: true },
    ],
    note: `medians of ${run.rounds} rounds, ratios to tsc in the same round; ${run.env.date.slice(0, 10)}`,
  });
}

export const generationNotes = [
  "**tsc** (the baseline, 1.00): `tsc --noEmit -p tsconfig.json`, TypeScript's own check of the same files (the shared type files and the service files).",
  "**ts-morph-walk** (the floor of a generator on ts-morph): bench/ts-morph-walk.mjs opens the project as jamp-gen does, asks for the TypeScript errors of each service file, and resolves every type the services' methods reach (parameters, results, properties at their declarations, union members, type arguments, array and tuple elements, index signatures), each type once; it reads no text, no JSDoc and builds nothing.",
  "**ts-json-schema-generator** 2.4.0: `ts-json-schema-generator -p 'services/*.ts' -t '*' -f tsconfig.json -o …`, one JSON Schema with a definition for every exported type of the service files and every type they reach (with its type check, as jamp-gen checks). It writes an empty object for a service interface: it drops methods.",
  "**jamp-gen**: `jamp-gen 'services/*.ts' -o generated -p tsconfig.json` (the CLI from `dist/`, built first if older than the sources) into an empty folder: for each service a client, a server, a JSON Schema and compiled validators, plus `index.ts` and one module of validators for each file whose types services of other files share, all formatted and written.",
  "Each run is a fresh `node` process, timed from spawn to exit (so Node's own start-up is in every figure); the peak RSS and the CPU time (user + system) are the child's own, from `process.resourceUsage()` as it exits.",
];

/** The generation group's section of RESULTS.md, with its chart in `chartFile` (relative to RESULTS.md). */
export function generationSection(run: GenerationRun, chartFile: string): string {
  const projects = run.projects
    .map((p) => `${p.services} services: ${p.files} files from jamp-gen (${p.methods} methods), ${p.schemaDefinitions} definitions from ts-json-schema-generator`)
    .join("; ");
  return `## Generation: a cold run on the synthetic project, against \`tsc --noEmit\`

![Cold generation, time as a multiple of tsc's](${chartFile})

- Date: ${run.env.date}
- Machine: ${run.machine}
- Project: bench/synthetic.ts (service files with cross-file imports, nested types, unions, optional fields, enums); ${projects}
- ${run.rounds} measured rounds after ${run.warmupRounds} warm-up round${run.warmupRounds === 1 ? "" : "s"}; ${run.seconds.toFixed(0)} s in all

${markdownTable(run.cells)}

${generationSummary(run.cells).map((line) => `- ${line}`).join("\n")}

"× tsc" is the contender's time divided by tsc's time on the same files **in the same round**, the median of
those per-round ratios (and their range); lower is faster. Within a round the contenders of a size run one
after another, their order rotating from round to round. "CPU × tsc" is the same ratio of CPU time, which
other work on a shared machine disturbs less. Times and memory are only meaningful next to each other, from
one run on one machine.

### Contenders

${generationNotes.map((note) => `- ${note}`).join("\n")}
`;
}
