/**
 * The command line: argument parsing and exit codes only (0 success, 1 diagnostics, 2 bad usage,
 * 70 internal error). Everything else is in the pipeline.
 */
import { readFileSync } from "node:fs";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { artifactKinds, type ArtifactKind, defaultKinds } from "../emitters/index.js";
import { runGenerate } from "./generate.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

class UsageError extends Error {}

function parseEmit(value: string): ArtifactKind[] {
  const kinds = value.split(",").map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !(artifactKinds as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) {
    throw new UsageError(`--emit takes a comma-separated list of ${artifactKinds.join(", ")}; got '${value}'.`);
  }
  return kinds as ArtifactKind[];
}

async function main(argv: string[]): Promise<number> {
  const parser = yargs(argv)
    .scriptName("jamp-gen")
    .usage("$0 [files..] -o <dir>\n\nGenerates typed JAMP clients, servers, JSON Schemas and validators from TypeScript service interfaces.")
    .command("$0 [files..]", false)
    .positional("files", { type: "string", array: true, describe: "Service files or globs", default: [] as string[] })
    .option("out", { alias: "o", type: "string", describe: "Output folder", requiresArg: true })
    .option("project", { alias: "p", type: "string", describe: "tsconfig.json used to resolve the inputs' imports", requiresArg: true })
    .option("emit", { type: "string", describe: `Artifacts to emit: ${artifactKinds.join(",")}`, default: defaultKinds.join(","), requiresArg: true })
    .option("runtime", { type: "string", describe: "Module the generated code imports the runtime from", default: "jamp-gen/runtime", requiresArg: true })
    .option("unknown-properties", {
      choices: ["reject", "allow", "strip"] as const,
      describe: "Properties an object's type does not name: refused, passed through, or removed by the receiver",
      default: "reject" as const,
      requiresArg: true,
    })
    .option("unions", {
      choices: ["anyOf", "oneOf"] as const,
      describe: "What a union of non-literal members without a discriminator emits",
      default: "anyOf" as const,
      requiresArg: true,
    })
    .option("check", { type: "boolean", describe: "Write nothing; exit 1 listing generated files that are missing, stale or extra", default: false })
    .option("json", { type: "boolean", describe: "Print the result as JSON, for tools", default: false })
    .example("$0 src/api/*.ts -o src/generated", "generate from every interface file in src/api")
    .example("$0 api.ts -o out --emit schema,model", "only the JSON Schema and the model")
    .example("$0 'src/api/*.ts' -o src/generated --check", "in CI: fail when the generated files are not current")
    .epilog("Exit codes: 0 success, 1 diagnostics (or, with --check, output that is not current), 2 bad usage.")
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

  let args;
  try {
    args = await parser.parseAsync();
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    throw error;
  }
  if (args.help || args.version) return 0;
  const files = (args.files ?? []).map(String);
  if (files.length === 0) return usage("Name at least one service file or glob.");
  if (!args.out) return usage("Missing the output folder: add -o <dir>.");
  let emit: ArtifactKind[];
  try {
    emit = parseEmit(args.emit);
  } catch (error) {
    return usage((error as Error).message);
  }
  return runGenerate(
    {
      files,
      out: args.out,
      ...(args.project ? { project: args.project } : {}),
      emit,
      runtime: args.runtime,
      schema: { unknownProperties: args.unknownProperties, unions: args.unions },
      json: args.json,
      check: args.check,
      color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
      cwd: process.cwd(),
    },
    { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) },
  );
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
