/**
 * The command line: argument parsing, finding the configuration, and exit codes (0 success,
 * 1 diagnostics, 2 bad usage or configuration, 73 the output could not be written, 70 internal error).
 * Everything else is in the pipeline.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { ConfigError, configFileName, findConfig, type LoadedConfig, loadConfig } from "../config/load.js";
import type { ConfigEntry } from "../config/entries.js";
import { unionsValues, unknownPropertiesValues } from "../config/spec.js";
import { formatDiagnostic } from "../diagnostics.js";
import { artifactKinds, type ArtifactKind, defaultKinds, type ImportExtension, importExtensions } from "../emitters/index.js";
import type { SchemaOptions } from "../kinds/index.js";
import { type GenerateCommand, type Printer, runAll } from "./generate.js";
import { runWatch } from "./watch.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
const defaultRuntime = "jamp-gen/runtime";

class UsageError extends Error {}

function parseEmit(value: string): ArtifactKind[] {
  const kinds = value.split(",").map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !(artifactKinds as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) {
    throw new UsageError(`--emit takes a comma-separated list of ${artifactKinds.join(", ")}; got '${value}'.`);
  }
  return kinds as ArtifactKind[];
}

/**
 * The settings flags can give. Only flags given on the command line are present: each overrides the
 * value of every configuration entry, and a missing one leaves the entry's value (or the default).
 * This is why the options below declare no yargs `default`, only a `defaultDescription` for --help.
 */
interface Overrides {
  out?: string;
  project?: string;
  emit?: ArtifactKind[];
  runtime?: string;
  importExtension?: ImportExtension;
  schema: Partial<SchemaOptions>;
}

function parser(argv: string[]) {
  return yargs(argv)
    .scriptName("jamp-gen")
    .usage("$0 [files..] -o <dir>\n$0 [-c jamp.config.json]\n\nGenerates typed JAMP clients, servers, JSON Schemas and validators from TypeScript service interfaces.")
    .command("$0 [files..]", false)
    .positional("files", { type: "string", array: true, describe: "Service files or globs", default: [] as string[] })
    .option("config", { alias: "c", type: "string", describe: `Configuration file: a ${configFileName}, or a package.json with a "jamp" key`, requiresArg: true })
    .option("out", { alias: "o", type: "string", describe: "Output folder", requiresArg: true })
    .option("project", { alias: "p", type: "string", describe: "tsconfig.json used to resolve the inputs' imports", requiresArg: true })
    .option("emit", { type: "string", describe: `Artifacts to emit: ${artifactKinds.join(",")}`, defaultDescription: defaultKinds.join(","), requiresArg: true })
    .option("runtime", { type: "string", describe: "Module the generated code imports the runtime from", defaultDescription: defaultRuntime, requiresArg: true })
    .option("import-extension", {
      choices: importExtensions,
      describe: 'How relative imports in generated code end: ".js" (NodeNext), "" (bundler resolution) or ".ts"',
      defaultDescription: '".js"',
      requiresArg: true,
    })
    .option("unknown-properties", {
      choices: unknownPropertiesValues,
      describe: "Properties an object's type does not name: refused, passed through, or removed by the receiver",
      defaultDescription: "reject",
      requiresArg: true,
    })
    .option("unions", {
      choices: unionsValues,
      describe: "What a union of non-literal members without a discriminator emits",
      defaultDescription: "anyOf",
      requiresArg: true,
    })
    .option("watch", { alias: "w", type: "boolean", describe: "Regenerate when the inputs or the files they import change", default: false })
    .option("check", { type: "boolean", describe: "Write nothing; exit 1 listing generated files that are missing, stale or extra", default: false })
    .option("json", { type: "boolean", describe: "Print the result as JSON, for tools", default: false })
    .example("$0 src/api/*.ts -o src/generated", "generate from every interface file in src/api")
    .example("$0 api.ts -o out --emit schema,model", "only the JSON Schema and the model")
    .example("$0 'src/api/*.ts' -o src/generated --check", "in CI: fail when the generated files are not current")
    .example("$0", `run every entry of ${configFileName} (or of package.json's "jamp" key) in this folder`)
    .epilog("Flags given override every configuration entry. Exit codes: 0 success, 1 diagnostics (or, with --check, output that is not current), 2 bad usage or configuration.")
    .strict()
    .help()
    .alias("help", "h")
    .version(version)
    .alias("version", "v")
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error instanceof UsageError || !error ? new UsageError(message || error?.message) : error;
    });
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = await parser(argv).parseAsync();
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  if (args.help || args.version) return 0;
  if (args.watch && args.check) return usage("--check and --watch do not go together: --check runs once, for CI.");
  let overrides: Overrides;
  try {
    overrides = {
      ...(args.out !== undefined ? { out: args.out } : {}),
      ...(args.project !== undefined ? { project: args.project } : {}),
      ...(args.emit !== undefined ? { emit: parseEmit(args.emit) } : {}),
      ...(args.runtime !== undefined ? { runtime: args.runtime } : {}),
      ...(args.importExtension !== undefined ? { importExtension: args.importExtension } : {}),
      schema: {
        ...(args.unknownProperties !== undefined ? { unknownProperties: args.unknownProperties } : {}),
        ...(args.unions !== undefined ? { unions: args.unions } : {}),
      },
    };
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }

  const cwd = process.cwd();
  const print = terminal(Boolean(process.stderr.isTTY) && !args.json);
  const shared = { json: args.json, check: args.check, color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR, cwd };
  const files = (args.files ?? []).map(String);
  let commands: GenerateCommand[] | number;
  if (files.length > 0) {
    if (args.config !== undefined) return usage("Give service files or -c <config>, not both: the configuration names its own inputs.");
    if (!overrides.out) return usage("Missing the output folder: add -o <dir>.");
    commands = [{ files, out: overrides.out, ...settings({}, overrides), ...shared }];
  } else {
    const file = args.config ?? findConfig(cwd);
    if (file === undefined) return usage(`Name at least one service file or glob, or add a ${configFileName} (see -c).`);
    commands = configCommands(file, overrides, shared, print);
  }
  if (typeof commands === "number") return commands;
  return args.watch ? watch(commands, print) : runAll(commands, print);
}

/** A command per entry of the configuration `file`, or the exit code when it cannot be used. */
function configCommands(file: string, overrides: Overrides, shared: Pick<GenerateCommand, "json" | "check" | "color" | "cwd">, print: Printer): GenerateCommand[] | number {
  const cwd = shared.cwd;
  let config: LoadedConfig;
  try {
    config = loadConfig(file, cwd);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const readSource = (shown: string) => readFileSync(path.resolve(cwd, shown), "utf8");
    for (const d of error.diagnostics) print.err(`${formatDiagnostic(d, { readSource, color: shared.color })}\n`);
    return 2;
  }
  if (overrides.out && config.entries.length > 1) {
    return usage(`-o names one output folder, but ${path.relative(cwd, config.file)} has ${config.entries.length} entries, which must not share one.`);
  }
  // The commands run in the configuration's folder, while paths given as flags count from where the user is.
  const flags = {
    ...overrides,
    ...(overrides.out ? { out: path.resolve(cwd, overrides.out) } : {}),
    ...(overrides.project ? { project: path.resolve(cwd, overrides.project) } : {}),
  };
  return config.entries.map((entry) => ({
    name: entry.name,
    files: entry.input,
    out: flags.out ?? entry.out,
    ...settings(entry, flags),
    ...shared,
    cwd: config.folder,
    shownFrom: cwd,
  }));
}

/** `--watch` until Ctrl-C (SIGINT) or SIGTERM; a second Ctrl-C, with the handler gone, ends the process at once. */
async function watch(commands: readonly GenerateCommand[], print: Printer): Promise<number> {
  const stop = new AbortController();
  const abort = () => stop.abort();
  process.once("SIGINT", abort);
  process.once("SIGTERM", abort);
  try {
    return await runWatch(commands, print, { signal: stop.signal });
  } finally {
    process.off("SIGINT", abort);
    process.off("SIGTERM", abort);
  }
}

/** An entry's settings (none for service files named on the command line) under the flags given, defaults filled in. */
function settings(entry: Partial<ConfigEntry>, flags: Overrides) {
  const project = flags.project ?? entry.tsconfig;
  const schema = { ...entry.schema, ...flags.schema };
  return {
    ...(project !== undefined ? { project } : {}),
    emit: flags.emit ?? entry.emit ?? [...defaultKinds],
    runtime: flags.runtime ?? entry.runtime ?? defaultRuntime,
    importExtension: flags.importExtension ?? entry.importExtension ?? ".js",
    schema,
  };
}

/**
 * Prints to the terminal. The status line (progress) lives on stderr, only when stderr is a terminal
 * and the output is not JSON; it is erased before any other line is printed, on either stream.
 */
function terminal(withStatus: boolean): Printer {
  let statusShown = false;
  const erase = () => {
    if (statusShown) process.stderr.write("\r\x1b[2K");
    statusShown = false;
  };
  const printer: Printer = {
    out: (text) => {
      erase();
      process.stdout.write(`${text}\n`);
    },
    err: (text) => {
      erase();
      process.stderr.write(`${text}\n`);
    },
  };
  if (!withStatus) return printer;
  return {
    ...printer,
    status: (text) => {
      erase();
      // One terminal line at most: a wrapped line could not be overwritten in place.
      const width = Math.max(10, (process.stderr.columns || 80) - 1);
      if (text !== "") process.stderr.write(text.length > width ? `${text.slice(0, width - 1)}…` : text);
      statusShown = text !== "";
    },
  };
}

function usage(message: string): number {
  process.stderr.write(`jamp-gen: ${message}\nRun 'jamp-gen --help' for usage.\n`);
  return 2;
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`jamp-gen: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\nThis is a bug in jamp-gen; please report it with the input that caused it.\n`);
    process.exitCode = 70;
  },
);
