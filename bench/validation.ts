/**
 * The validation group of `npm run bench`: validations per second of one order document (20 line items of a
 * discriminated union, formats, patterns, closed objects; see validation-schema.ts), by ajv compiling the
 * schema at run time (the baseline, 1.00), by the validators jamp-gen compiles from the same schema, and by a
 * hand-written check (the floor). All run in this process, one after another within each round.
 *
 * Before measuring, all three must agree on every document of the workload and on a set of edge cases and
 * faults, jamp-gen and ajv also on where the fault is; any disagreement fails the bench.
 */

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ValidationIssue, Validator } from "../src/runtime/index.js";
import { compileValidators } from "../src/validators/compile.js";
import { type Cell, toCells } from "./report.js";
import { isOrder } from "./validation-hand.js";
import {
  agreementEdges,
  agreementFaults,
  invalidOrders,
  LINES_PER_ORDER,
  orderDefs,
  orderRoot,
  validOrders,
  type Invalid,
} from "./validation-schema.js";

export const validationBaseline = "ajv";
/** The contenders' names, in the order they run. */
export const validationContenders: readonly string[] = ["ajv", "jamp-gen", "hand-written"];

export interface ValidationOptions {
  readonly rounds: number;
  readonly warmupRounds: number;
  /** Stop adding measured rounds once the group has run this long, after at least 3. */
  readonly budgetMs: number;
  /** Contender names to run; all when undefined. */
  readonly only: readonly string[] | undefined;
  /** Validations per round and workload; by default calibrated so that the baseline's take about `cellMs` of CPU. */
  readonly validations: number | undefined;
  readonly cellMs: number;
  /** Slices each contender's validations are cut into within a round, taken in turn. */
  readonly slices: number;
}

export interface ValidationInfo {
  readonly rounds: number;
  readonly warmupRounds: number;
  /** Validations per cell, by workload name. */
  readonly validations: Readonly<Record<string, number>>;
  readonly slices: number;
  /** About how long the baseline's validations of one workload take per round; undefined if set by hand. */
  readonly cellMs: number | undefined;
  readonly validDocuments: number;
  readonly invalidDocuments: number;
  /** Bytes of the average document as JSON. */
  readonly documentBytes: number;
  readonly agreementCases: number;
  readonly seconds: number;
}

export interface ValidationRun {
  readonly info: ValidationInfo;
  readonly cells: Cell[];
}

/** One way of validating an order. */
interface Contender {
  readonly name: string;
  /** Validates `count` documents, cycling through `documents`; returns how many were valid. */
  run(documents: readonly unknown[], count: number): number;
  /** One verdict and the JSON pointers of what it reports (for the agreement check); none from the floor. */
  check(document: unknown): { valid: boolean; at: readonly string[] | undefined };
  /**
   * Whether it reports exactly one issue, at the fault, for a document with one fault. If not, it reports
   * the fault's parents too (ajv's `oneOf` lists every branch's first error): each must lie on the way to it.
   */
  readonly exact: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;

// ---------------------------------------------------------------------------------------------------------
// Contenders. Each has a loop of its own, so every call site in the timed loops sees one validator.

/** ajv as most projects use it: the schema compiled once at start, first error only, formats from ajv-formats. */
function ajvContender(): Contender {
  const ajv = new Ajv2020({ allErrors: false });
  addFormatsModule.default(ajv);
  // Strict mode refuses keywords it does not know; jamp-gen's `discriminator` is OpenAPI's hint, validation
  // ignores it. (ajv's own `discriminator: true` option skips a union's checks for a value that is not an
  // object, so it accepts `null` as a line item here: the agreement check below catches that.)
  ajv.addKeyword("discriminator");
  const validate = ajv.compile({ ...(orderRoot as object), $defs: orderDefs });
  return {
    name: "ajv",
    run(documents, count) {
      let valid = 0;
      for (let i = 0, j = 0; i < count; i++) {
        if (validate(documents[j])) valid++;
        if (++j === documents.length) j = 0;
      }
      return valid;
    },
    check(document) {
      const valid = validate(document);
      return { valid, at: validate.errors?.map((error) => error.instancePath) ?? [] };
    },
    exact: false,
  };
}

/**
 * jamp-gen: `compileValidators` output for the same schema, written to a temporary module (with the imports
 * a generated `*.validate.ts` has) and imported, so it runs exactly as a generated file does.
 */
async function jampGenContender(): Promise<Contender> {
  const compiled = compileValidators(orderDefs, [{ name: "validateOrder", schema: orderRoot }]);
  const source = [
    `import type { ValidationIssue } from "jamp-gen/runtime";`,
    `import { ${compiled.runtimeImports.join(", ")} } from "jamp-gen/runtime";`,
    "",
    compiled.code,
    "export { validateOrder };",
    "",
  ].join("\n");
  const dir = mkdtempSync(join(tmpdir(), "jamp-gen-bench-"));
  let validate: Validator;
  try {
    // An ES module, as generated files are in an ESM package: outside one, tsx would compile it to CommonJS
    // and every runtime helper call would go through getters on `require`d exports.
    writeFileSync(join(dir, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
    const file = join(dir, "order.validate.ts");
    writeFileSync(file, source);
    ({ validateOrder: validate } = (await import(pathToFileURL(file).href)) as { validateOrder: Validator });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    name: "jamp-gen",
    run(documents, count) {
      let valid = 0;
      for (let i = 0, j = 0; i < count; i++) {
        if (validate(documents[j], "", [])) valid++;
        if (++j === documents.length) j = 0;
      }
      return valid;
    },
    check(document) {
      const issues: ValidationIssue[] = [];
      const valid = validate(document, "", issues);
      return { valid, at: issues.map((issue) => issue.path) };
    },
    exact: true,
  };
}

/** The floor: validation-hand.ts, a boolean and nothing else. */
function handContender(): Contender {
  return {
    name: "hand-written",
    run(documents, count) {
      let valid = 0;
      for (let i = 0, j = 0; i < count; i++) {
        if (isOrder(documents[j])) valid++;
        if (++j === documents.length) j = 0;
      }
      return valid;
    },
    check: (document) => ({ valid: isOrder(document), at: undefined }),
    exact: false,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Agreement

/** Whether reported pointers place a fault at `at`: exactly there, or (not `exact`) there and on the way. */
function reportsAt(reported: readonly string[], at: string, exact: boolean): boolean {
  if (exact) return reported.length === 1 && reported[0] === at;
  return reported.includes(at) && reported.every((path) => at === path || at.startsWith(`${path}/`));
}

/**
 * Every contender must accept each valid document and reject each invalid one; jamp-gen must report exactly
 * one issue, at the fault, and ajv must report it there too. Throws listing every mismatch.
 */
function checkAgreement(contenders: readonly Contender[], valid: readonly unknown[], invalid: readonly Invalid[]): number {
  const problems: string[] = [];
  valid.forEach((document, i) => {
    for (const c of contenders) {
      const verdict = c.check(document);
      if (!verdict.valid) problems.push(`${c.name} rejects valid document ${i} (at ${verdict.at?.join(", ")})`);
    }
  });
  for (const { what, document, at } of invalid) {
    for (const c of contenders) {
      const verdict = c.check(document);
      if (verdict.valid) problems.push(`${c.name} accepts an order with ${what} (${at})`);
      else if (verdict.at !== undefined && !reportsAt(verdict.at, at, c.exact))
        problems.push(`${c.name} places the fault "${what}" at ${verdict.at.join(", ")}, not at ${at}`);
    }
  }
  if (problems.length > 0)
    throw new Error(`the validators disagree, so the bench would compare different work:\n  ${problems.join("\n  ")}`);
  return valid.length + invalid.length;
}

// ---------------------------------------------------------------------------------------------------------
// Rounds

interface Workload {
  readonly name: string;
  readonly documents: readonly unknown[];
  /** Whether its documents are valid: every validation must return that. */
  readonly valid: boolean;
}

/**
 * One round of one workload: every contender validates `count` documents, in `slices` slices taken in turn
 * (A B C A B C ...), so that drift on the shared machine at any time scale above a slice hits all alike.
 * Returns each contender's validations per second; fails if a verdict is not the expected one.
 */
function measureRound(
  workload: Workload,
  contenders: readonly Contender[],
  first: number,
  count: number,
  slices: number,
): number[] {
  const elapsed = contenders.map(() => 0);
  const expected = workload.valid ? 1 : 0;
  gc?.();
  for (let slice = 0; slice < slices; slice++) {
    const size = Math.floor((count * (slice + 1)) / slices) - Math.floor((count * slice) / slices);
    for (let k = 0; k < contenders.length; k++) {
      const c = (first + k) % contenders.length;
      const contender = contenders[c]!;
      const start = performance.now();
      const valid = contender.run(workload.documents, size);
      elapsed[c]! += performance.now() - start;
      if (valid !== size * expected)
        throw new Error(`${contender.name} found ${valid} of ${size} documents valid in "${workload.name}"`);
    }
  }
  return elapsed.map((ms) => count / (ms / 1000));
}

/**
 * Runs a contender for at least `ms` (a warm-up cell) and returns its rate per second of this process's CPU
 * time, which calibrates the cells: unlike wall time, it does not shrink them when the shared machine is busy.
 */
function measureFor(workload: Workload, contender: Contender, ms: number): number {
  let count = 0;
  let batch = 500;
  const start = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - start < ms) {
    measureBatch(workload, contender, batch);
    count += batch;
    batch = Math.min(batch * 2, 20_000);
  }
  const used = process.cpuUsage(cpu);
  return count / ((used.user + used.system) / 1e6);
}

function measureBatch(workload: Workload, contender: Contender, count: number): void {
  const valid = contender.run(workload.documents, count);
  if (valid !== (workload.valid ? count : 0)) throw new Error(`${contender.name} changed its verdicts during warm-up`);
}

/** `value` rounded to two significant digits, at least 1,000. */
function roundCount(value: number): number {
  const scale = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(value, 1))) - 1);
  return Math.max(1000, Math.round(value / scale) * scale);
}

export async function runValidationGroup(options: ValidationOptions): Promise<ValidationRun> {
  const started = performance.now();
  const all = [ajvContender(), await jampGenContender(), handContender()];
  const contenders = options.only === undefined ? all : all.filter((c) => options.only!.includes(c.name));
  if (contenders.length === 0) throw new Error(`--only matches none of ${all.map((c) => c.name).join(", ")}`);

  const validDocs = validOrders(64);
  const invalidDocs = invalidOrders(60);
  const agreementCases = checkAgreement(
    all,
    [...validDocs, ...agreementEdges()],
    [...invalidDocs, ...agreementFaults()],
  );
  const workloads: Workload[] = [
    { name: `valid order (${LINES_PER_ORDER} lines)`, documents: validDocs, valid: true },
    { name: "invalid order (1 fault deep in the lines)", documents: invalidDocs.map((d) => d.document), valid: false },
  ];
  const documentBytes = Math.round(
    validDocs.reduce((sum: number, d) => sum + JSON.stringify(d).length, 0) / validDocs.length,
  );

  console.log(
    `jamp-gen bench: validating an order (${LINES_PER_ORDER} line items, ~${documentBytes} bytes of JSON) in this process; ` +
      `${agreementCases} documents agreed on`,
  );
  // Warm-up, which also calibrates the work per round from the last round: at least one round, each cell
  // running for about `cellMs`.
  const warmups = Math.max(1, options.warmupRounds);
  process.stdout.write(`warm-up (${warmups} round${warmups === 1 ? "" : "s"})`);
  const warmRates = workloads.map(() => contenders.map(() => 0));
  for (let round = 0; round < warmups; round++) {
    for (const [w, workload] of workloads.entries())
      for (const [c, contender] of contenders.entries())
        warmRates[w]![c] = measureFor(workload, contender, options.cellMs);
    process.stdout.write(".");
  }
  const base = contenders.findIndex((c) => c.name === validationBaseline);
  // The baseline's cell lasts about cellMs; without it, the slowest contender's does.
  const counts = workloads.map(
    (_, w) => options.validations ?? roundCount(((base >= 0 ? warmRates[w]![base]! : Math.min(...warmRates[w]!)) * options.cellMs) / 1000),
  );
  process.stdout.write("\nmeasuring");

  // rates[workload][contender][round]
  const rates = workloads.map(() => contenders.map((): number[] => []));
  let measured = 0;
  for (let round = 0; round < options.rounds; round++) {
    if (round >= Math.min(3, options.rounds) && performance.now() - started > options.budgetMs) break;
    for (const [w, workload] of workloads.entries()) {
      // The first contender of each slice rotates from round to round.
      const measuredRates = measureRound(workload, contenders, round, counts[w]!, options.slices);
      measuredRates.forEach((rate, c) => rates[w]![c]!.push(rate));
    }
    measured++;
    process.stdout.write(".");
  }
  process.stdout.write("\n\n");

  const cells = toCells(workloads, contenders, rates, validationBaseline);
  return {
    cells,
    info: {
      rounds: measured,
      warmupRounds: warmups,
      validations: Object.fromEntries(workloads.map((workload, w) => [workload.name, counts[w]!])),
      slices: options.slices,
      cellMs: options.validations === undefined ? options.cellMs : undefined,
      validDocuments: validDocs.length,
      invalidDocuments: invalidDocs.length,
      documentBytes,
      agreementCases,
      seconds: (performance.now() - started) / 1000,
    },
  };
}
