/**
 * Finding and reading a configuration file: `jamp.config.json`, or the `"jamp"` key of a package.json.
 * Every problem becomes a JG3003 diagnostic pointing at its line and column in the file, so the CLI
 * prints it with a code frame like any other.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../diagnostics.js";
import { type ConfigEntry, readEntries } from "./entries.js";
import { type Extent, type JsonNode, JsonSyntaxError, parseJson, positionOf } from "./json.js";
import type { Issue } from "./shape.js";

export const configFileName = "jamp.config.json";

/** The key of package.json that holds the settings. */
const packageKey = "jamp";

export interface LoadedConfig {
  /** The file read, absolute. */
  file: string;
  /** Its folder: the entries' paths are relative to it. */
  folder: string;
  entries: ConfigEntry[];
}

/** A configuration that cannot be used; `diagnostics` say each reason (the CLI exits 2). */
export class ConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join("\n"));
    this.name = "ConfigError";
  }
}

/**
 * The configuration in `folder` when no file is named: `jamp.config.json`, else a package.json with a
 * `"jamp"` key (a package.json jamp-gen cannot parse is returned too, so its error is shown); `undefined`
 * when there is neither.
 */
export function findConfig(folder: string): string | undefined {
  const own = path.join(folder, configFileName);
  if (existsSync(own)) return own;
  const manifest = path.join(folder, "package.json");
  if (!existsSync(manifest)) return undefined;
  try {
    const root = parseJson(readFileSync(manifest, "utf8"));
    return root.type === "object" && root.members.has(packageKey) ? manifest : undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return manifest;
    throw error;
  }
}

/**
 * Reads a configuration file: its whole content, or for a file named package.json its `"jamp"` key.
 * Diagnostics name the file relative to `cwd`. Throws `ConfigError` for anything wrong with it.
 */
export function loadConfig(file: string, cwd: string): LoadedConfig {
  const absolute = path.resolve(cwd, file);
  const shown = path.relative(cwd, absolute).split(path.sep).join("/");
  const text = readText(absolute, file);
  const fail = (message: string, at?: Extent): never => {
    throw new ConfigError([diagnostic(shown, text, message, at)]);
  };
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return fail(`invalid JSON: ${error.message}`, { start: error.offset, end: error.offset + 1 });
  }
  let settings = root;
  let at = "";
  if (path.basename(absolute) === "package.json") {
    const member = root.type === "object" ? root.members.get(packageKey) : undefined;
    if (!member) return fail(`expected the jamp-gen settings under a "${packageKey}" key; found no such key`, { start: root.start, end: root.start + 1 });
    settings = member.value;
    at = packageKey;
  }
  const folder = path.dirname(absolute);
  const { entries, issues } = readEntries(settings, at, folder);
  if (issues.length > 0) throw new ConfigError(issues.map((issue) => diagnostic(shown, text, issueMessage(issue), issue.at)));
  return { file: absolute, folder, entries };
}

function readText(absolute: string, given: string): string {
  try {
    return readFileSync(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (error as Error).message;
    throw new ConfigError([{ code: "JG3003", severity: "error", message: `Cannot read the configuration file '${given}': ${reason}.` }]);
  }
}

const issueMessage = (issue: Issue) => (issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`);

/** A JG3003 error, with the span of `at` in lines and columns when there is one. */
function diagnostic(file: string, text: string, message: string, at?: Extent): Diagnostic {
  const d: Diagnostic = { code: "JG3003", severity: "error", message: `${message}.` };
  if (!at) return d;
  const start = positionOf(text, at.start);
  const end = positionOf(text, Math.max(at.end, at.start + 1));
  return { ...d, span: { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column } };
}
