/**
 * Statistics and the two renderings of the results: plain-text tables for stdout and RESULTS.md, one section
 * per bench group (RPC, validation), each between markers so that a run of one group keeps the other's.
 */
import type { ValidationInfo } from "./validation.js";
import type { WatchFigures } from "./watch.js";

export interface Cell {
  readonly workload: string;
  readonly contender: string;
  /** Calls per second, one per measured round. */
  readonly rates: readonly number[];
  /** This cell's rate ÷ the baseline's rate in the same round, one per round; absent without a baseline. */
  readonly ratios: readonly number[] | undefined;
  /** The same against a second baseline (`Columns.also`), where the group has one and it ran. */
  readonly alsoRatios?: readonly number[] | undefined;
}

/**
 * One cell per workload and contender from the rates measured per round (`rates[workload][contender]`),
 * each with its per-round ratio to the `baseline` contender measured in the same round (and to `also`).
 */
export function toCells(
  workloads: readonly { readonly name: string }[],
  contenders: readonly { readonly name: string }[],
  rates: readonly (readonly (readonly number[])[])[],
  baseline: string | undefined,
  also?: string,
): Cell[] {
  const base = contenders.findIndex((c) => c.name === baseline);
  const alsoBase = also === undefined ? -1 : contenders.findIndex((c) => c.name === also);
  return workloads.flatMap((workload, w) =>
    contenders.map((contender, c) => {
      const own = rates[w]![c]!;
      const ratiosTo = (b: number) => (b < 0 ? undefined : rates[w]![b]!.map((rate, round) => own[round]! / rate));
      const ratios = ratiosTo(base);
      return { workload: workload.name, contender: contender.name, rates: own, ratios, alsoRatios: ratiosTo(alsoBase) };
    }),
  );
}

/** Where and when a group ran. */
export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
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
  readonly alsoRatio?: string;
  readonly alsoRange?: string;
}

/**
 * What a group's table measures: its unit of work and the contender its ratios divide by, and a second
 * contender they are also given against (two more columns, when it ran).
 */
export interface Columns {
  readonly unit: string;
  readonly baseline: string;
  readonly also?: string;
}

export const rpcColumns: Columns = { unit: "calls/s", baseline: "raw-parse", also: "raw-parse-corked" };
export const validationColumns: Columns = { unit: "validations/s", baseline: "ajv" };

const ratioMedian = (ratios: readonly number[] | undefined): string =>
  ratios === undefined ? "n/a" : ratio(median(ratios));
const ratioRange = (ratios: readonly number[] | undefined): string =>
  ratios === undefined ? "n/a" : `${ratio(Math.min(...ratios))} – ${ratio(Math.max(...ratios))}`;

/** Whether the table has the second baseline's columns: it has one, and it ran. */
const hasAlso = (cells: readonly Cell[]): boolean => cells.some((cell) => cell.alsoRatios !== undefined);

function rows(cells: readonly Cell[]): Row[] {
  const also = hasAlso(cells);
  return cells.map((cell) => ({
    workload: cell.workload,
    contender: cell.contender,
    median: rate(median(cell.rates)),
    range: `${rate(Math.min(...cell.rates))} – ${rate(Math.max(...cell.rates))}`,
    ratio: ratioMedian(cell.ratios),
    ratioRange: ratioRange(cell.ratios),
    ...(also ? { alsoRatio: ratioMedian(cell.alsoRatios), alsoRange: ratioRange(cell.alsoRatios) } : {}),
  }));
}

function headingsOf(columns: Columns, cells: readonly Cell[]): Row {
  return {
    workload: "workload",
    contender: "contender",
    median: `${columns.unit} (median)`,
    range: `${columns.unit} min – max`,
    ratio: `× ${columns.baseline}`,
    ratioRange: "× range",
    ...(columns.also !== undefined && hasAlso(cells) ? { alsoRatio: `× ${columns.also}`, alsoRange: "× range" } : {}),
  };
}

export function textTable(cells: readonly Cell[], columns: Columns = rpcColumns): string {
  const headings = headingsOf(columns, cells);
  const all = [headings, ...rows(cells)];
  const keys = Object.keys(headings) as (keyof Row)[];
  const widths = keys.map((key) => Math.max(...all.map((row) => (row[key] ?? "").length)));
  const right = new Set<keyof Row>(["median", "range", "ratio", "ratioRange", "alsoRatio", "alsoRange"]);
  const line = (row: Row): string =>
    keys
      .map((key, i) => {
        const text = row[key] ?? "";
        return right.has(key) ? text.padStart(widths[i] as number) : text.padEnd(widths[i] as number);
      })
      .join("   ")
      .trimEnd();
  const rule = "-".repeat(widths.reduce((sum, width) => sum + width, 0) + 3 * (keys.length - 1));
  return [line(headings), rule, ...all.slice(1).map(line)].join("\n");
}

export function markdownTable(cells: readonly Cell[], columns: Columns = rpcColumns): string {
  const headings = headingsOf(columns, cells);
  const keys = Object.keys(headings) as (keyof Row)[];
  const line = (row: Row): string => `| ${keys.map((key) => row[key]).join(" | ")} |`;
  const rule = `|---|---|${keys.slice(2).map(() => "--:|").join("")}`;
  return [line(headings), rule, ...rows(cells).map(line)].join("\n");
}

export function describeValidationRun(env: Environment, info: ValidationInfo): string {
  const counts = Object.values(info.validations).map((n) => n.toLocaleString("en-US"));
  return [
    `date ${env.date}; node ${env.node}; ${env.cpu}, ${env.cores} cores; in this process, nothing else of the bench running`,
    `${info.rounds} measured rounds after ${plural(info.warmupRounds, "warm-up round")}; ${counts.join(" (valid) and ")} (invalid) ` +
      `validations per contender per round, in ${info.slices} slices taken in turn; ${info.seconds.toFixed(0)} s in all`,
  ].join("\n");
}

export const validationNotes = [
  "**ajv** (the baseline, 1.00): `new Ajv2020({ allErrors: false })` with `ajv-formats`, compiling the schema " +
    "at start, plus `ajv.addKeyword(\"discriminator\")` so that strict mode accepts the OpenAPI hint jamp-gen " +
    "emits. ajv checks the `oneOf` itself: every branch for every line item. (Its `discriminator: true` option " +
    "would pick the branch by tag, but then skips the union for a line that is not an object and accepts " +
    "`null`, so it fails the agreement check.) Called as `validate(doc)`.",
  "**jamp-gen**: `compileValidators(defs, [{ name: \"validateOrder\", schema: { $ref: \"#/$defs/Order\" } }])`, " +
    "written to a temporary `.ts` module with the imports of a generated `*.validate.ts` and imported (tsx); " +
    "called as a `Validator`, `validateOrder(doc, \"\", [])`, with a fresh issue list per call. On a fault it " +
    "lists every issue (up to 20) with its JSON pointer, where ajv stops at the first.",
  "**hand-written** (the floor, for context): validation-hand.ts, the same rules checked by hand for this one " +
    "type: regular expressions compiled once, the date-time parsed by character codes, one pass, a boolean and " +
    "no report of what is wrong.",
  "Workloads: **valid**, 64 seeded orders (20 line items each: product, service and discount lines, optional " +
    "members present or not) after a `JSON.stringify`/`JSON.parse` round trip, taken in turn; **invalid**, 60 " +
    "such orders, each with one fault in a line item from the 12th on (a currency outside the enum, an sku " +
    "off its pattern, a quantity of 0 or 2.5, a percent of 120, hours as a string). Every validation's verdict " +
    "is checked.",
  "Before measuring, the three must agree on every workload document, on edge cases (an empty order, " +
    "`percent: 100`, `quantity: 2.0`, leap days, offsets) and on faults of every kind, one per document, " +
    "that exercise every rule; jamp-gen must report exactly one issue, at the fault, and ajv's errors must lie on the way " +
    "to it. Any disagreement fails the bench.",
];

/** The validation group's section of RESULTS.md. */
export function validationSection(env: Environment, info: ValidationInfo, cells: readonly Cell[]): string {
  const counts = Object.entries(info.validations)
    .map(([workload, n]) => `${n.toLocaleString("en-US")} (${workload.split(" ")[0]})`)
    .join(" and ");
  return `## Validation: an order document, ajv against jamp-gen's compiled validators

The schema (bench/validation-schema.ts) is what jamp-gen emits for an \`Order\` with a customer (email
format, patterns, a nested address, optional members), \`date-time\` strings, a total and 20 line items of a
discriminated union (\`oneOf\` of three closed objects tagged by \`kind\`, integer and range checks):
\`$defs\` of closed objects (\`additionalProperties: false\`), ~${info.documentBytes.toLocaleString("en-US")} bytes of JSON per order.

- Date: ${env.date}
- Node: ${env.node}
- CPU: ${env.cpu}, ${env.cores} cores
- Where: in the bench's own process, with no server process running (after the RPC group, if it ran)
- ${info.rounds} measured rounds after ${plural(info.warmupRounds, "warm-up round")}${info.cellMs === undefined ? "" : ` (which also calibrate the work: ajv's share of a round takes about ${info.cellMs} ms of CPU time)`}; ${counts} validations per contender per round, in ${info.slices} slices taken in turn; ${info.agreementCases} documents agreed on first; ${info.seconds.toFixed(0)} s in all

${markdownTable(cells, validationColumns)}

"× ajv" is the contender's rate divided by ajv's rate **in the same round**, the median of those per-round
ratios (and their range); higher is faster. Within a round each contender's validations are cut into
${info.slices} slices, run in turn (the first of each turn rotating from round to round) after one garbage
collection, so drift on this shared machine hits all of them alike (and the garbage a contender makes is
mostly collected in its own slices). The validations/s columns are only meaningful next to each other, from one run
on one machine.

### Contenders

${validationNotes.map((note) => `- ${note}`).join("\n")}
`;
}

/** A section between the markers of its group, so a later run of the other group can keep it. */
const begin = (group: string): string => `<!-- bench:${group} -->`;
const end = (group: string): string => `<!-- /bench:${group} -->`;

/** The section a previous RESULTS.md holds for `group`, markers included, if any. */
function previousSection(previous: string | undefined, group: string): string | undefined {
  const from = previous?.indexOf(begin(group)) ?? -1;
  const to = previous?.indexOf(end(group), from) ?? -1;
  return from < 0 || to < 0 ? undefined : previous!.slice(from, to + end(group).length);
}

/**
 * RESULTS.md: each group's new section, or for a group this run left out, its section from `previous`
 * (the file as it was), in the order given.
 */
export function resultsMarkdown(
  sections: readonly { readonly group: string; readonly markdown: string | undefined }[],
  previous: string | undefined,
): string {
  const parts = sections.flatMap(({ group, markdown }) => {
    const text = markdown === undefined ? previousSection(previous, group) : `${begin(group)}\n${markdown}${end(group)}`;
    return text === undefined ? [] : [text];
  });
  return `# Benchmarks

Written by \`npm run bench\` (bench/run.ts). Each run replaces the sections of the groups it ran; a group
left out with \`--only\` keeps its section from the run before.

${parts.join("\n\n")}
`;
}

/** The watch group's RESULTS.md section, with its chart in `chartFile` (relative to RESULTS.md). */
export function watchSection(env: Environment, figures: WatchFigures, chartFile: string): string {
  const rows = figures.edits.map((e) => `| ${e.kind} | ${e.medianMs} ms | ${e.minMs}–${e.maxMs} ms | ${e.cpu.medianMs} ms | ${e.cpu.minMs}–${e.cpu.maxMs} ms | ${e.count} |`);
  return `## Watch: one-file edit → outputs updated

![Watch mode, milliseconds from a save to the outputs written](${chartFile})

${env.date}, Node ${env.node}, ${env.cores} × ${env.cpu}. \`jamp-gen --watch\` in this process on the synthetic
project of bench/synthetic.ts: ${figures.services} service files plus ${figures.files - figures.services} shared type files, each service
importing its domain's types and its neighbour's request type. Each edit adds a method to a service in the
middle (read again with the service that imports it) or a type to a shared domain file (read again with the
ten services importing it); the time runs from the save to the run's line, printed after its files are
written, and includes the 25 ms the watcher waits for a burst of saves to end. Target: under 200 ms median.
The CPU time is this process's over the same span: other work on a shared machine stretches the time of
an edit, much less the CPU it takes.

| edit | median | min–max | CPU median | CPU min–max | edits |
|---|--:|--:|--:|--:|--:|
${rows.join("\n")}

The first run, cold (analysis of every file, every service emitted and formatted): ${(figures.coldMs / 1000).toFixed(1)} s.
`;
}
