/** Statistics and the two renderings of the results: a plain-text table for stdout and RESULTS.md. */

export interface Cell {
  readonly workload: string;
  readonly contender: string;
  /** Calls per second, one per measured round. */
  readonly rates: readonly number[];
  /** This cell's rate ÷ the baseline's rate in the same round, one per round; absent without a baseline. */
  readonly ratios: readonly number[] | undefined;
}

export interface RunInfo {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly serverMode: string;
  readonly warmupRounds: number;
  readonly rounds: number;
  readonly calls: number;
  readonly window: number;
  readonly seconds: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;
const rate = (value: number): string => Math.round(value).toLocaleString("en-US");
const ratio = (value: number): string => value.toFixed(2);

interface Row {
  readonly workload: string;
  readonly contender: string;
  readonly median: string;
  readonly range: string;
  readonly ratio: string;
  readonly ratioRange: string;
}

function rows(cells: readonly Cell[]): Row[] {
  return cells.map((cell) => ({
    workload: cell.workload,
    contender: cell.contender,
    median: rate(median(cell.rates)),
    range: `${rate(Math.min(...cell.rates))} – ${rate(Math.max(...cell.rates))}`,
    ratio: cell.ratios === undefined ? "n/a" : ratio(median(cell.ratios)),
    ratioRange:
      cell.ratios === undefined ? "n/a" : `${ratio(Math.min(...cell.ratios))} – ${ratio(Math.max(...cell.ratios))}`,
  }));
}

const headings: Row = {
  workload: "workload",
  contender: "contender",
  median: "calls/s (median)",
  range: "calls/s min – max",
  ratio: "× raw-parse",
  ratioRange: "× range",
};

export function textTable(cells: readonly Cell[]): string {
  const all = [headings, ...rows(cells)];
  const keys = Object.keys(headings) as (keyof Row)[];
  const widths = keys.map((key) => Math.max(...all.map((row) => row[key].length)));
  const right = new Set<keyof Row>(["median", "range", "ratio", "ratioRange"]);
  const line = (row: Row): string =>
    keys
      .map((key, i) => (right.has(key) ? row[key].padStart(widths[i] as number) : row[key].padEnd(widths[i] as number)))
      .join("   ")
      .trimEnd();
  const rule = "-".repeat(widths.reduce((sum, width) => sum + width, 0) + 3 * (keys.length - 1));
  return [line(headings), rule, ...all.slice(1).map(line)].join("\n");
}

export function markdownTable(cells: readonly Cell[]): string {
  const line = (row: Row): string =>
    `| ${row.workload} | ${row.contender} | ${row.median} | ${row.range} | ${row.ratio} | ${row.ratioRange} |`;
  return [line(headings), "|---|---|--:|--:|--:|--:|", ...rows(cells).map(line)].join("\n");
}

export function describeRun(info: RunInfo): string {
  return [
    `date ${info.date}; node ${info.node}; ${info.cpu}, ${info.cores} cores`,
    `server: ${info.serverMode}`,
    `${info.rounds} measured rounds after ${plural(info.warmupRounds, "warm-up round")}; ${info.calls.toLocaleString("en-US")} calls per cell ` +
      `per round; pipelined window ${info.window}; ${info.seconds.toFixed(0)} s in all`,
  ].join("\n");
}

export const contenderNotes = [
  "**raw-parse** (the baseline, 1.00): a `ws` server that `JSON.parse`s the JAMP query frame " +
    '`["query", id, "/calculator", "/c", "add", [a, b]]`, adds, and answers `JSON.stringify`d ' +
    '`["reply", id, "/c", "/calculator", sum]`; its `ws` client keeps its own ids in a `Map` and resolves ' +
    "one promise per call. The physical limit of JAMP over `ws`: no validation, routing, timers or error paths.",
  "**echo** (floor, for context): a `ws` server that sends each frame back as it came; the client sends one " +
    "fixed frame of the same size and only counts the echoes (no parsing, ids or promises per call). What " +
    "the WebSocket round trip alone costs.",
  "**jamp-gen**: `listen({ services: [serveCalculator(impl)] })` and `new CalculatorClient(await connect(url))` " +
    "from `fixtures/calculator/expected/`, all defaults: arguments validated on the server, a 30 s timeout " +
    "per call, results not validated on the client. Its frames carry the peer's default " +
    "`/client/<16 hex>` address, 20 bytes more than raw-parse's `/c`.",
  "raw-parse and jamp-gen run under the same driver (`await add(i, 1)` in a loop; for pipelined, 100 such " +
    "loops at once, so 100 calls are always in flight) and every answer is checked.",
];

export function resultsMarkdown(info: RunInfo, cells: readonly Cell[]): string {
  return `# Benchmark: \`add(a, b)\` over a WebSocket on 127.0.0.1

Written by \`npm run bench\` (bench/run.ts); each run replaces this file.

- Date: ${info.date}
- Node: ${info.node}
- CPU: ${info.cpu}, ${info.cores} cores
- Server: ${info.serverMode}
- ${info.rounds} measured rounds after ${plural(info.warmupRounds, "warm-up round")}; ${info.calls.toLocaleString("en-US")} calls per cell per round; pipelined window ${info.window}; ${info.seconds.toFixed(0)} s in all

${markdownTable(cells)}

"× raw-parse" is the contender's rate divided by raw-parse's rate **in the same round**, the median of
those per-round ratios (and their range); higher is faster. Within a round the contenders run one after
another, their order rotating from round to round, with a garbage collection before each, so drift on this
shared machine hits all of them alike. The calls/s columns are only meaningful next to each other, from one
run on one machine.

## Contenders

${contenderNotes.map((note) => `- ${note}`).join("\n")}
`;
}
