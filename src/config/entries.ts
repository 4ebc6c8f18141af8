/**
 * From a configuration document to the entries jamp-gen runs: the top-level defaults merged into each
 * entry, the keys every entry needs checked, names given, and entries that would clash refused.
 */
import path from "node:path";
import type { ArtifactKind, ImportExtension } from "../emitters/index.js";
import type { SchemaOptions } from "../kinds/index.js";
import type { JsonNode } from "./json.js";
import { describe, type Issue, keyPath } from "./shape.js";
import { documentShape, type EntrySettings } from "./spec.js";

/** One generator run, as the file says it; paths are relative to the configuration file's folder. */
export interface ConfigEntry {
  /** Its own `name`, else its `out` as written. */
  name: string;
  input: string[];
  out: string;
  tsconfig?: string;
  emit?: ArtifactKind[];
  runtime?: string;
  importExtension?: ImportExtension;
  schema?: Partial<SchemaOptions>;
}

/** An entry's settings with the JSON nodes its messages point at. */
interface Source {
  path: string;
  node: JsonNode;
  settings: EntrySettings;
  /** Where each key's value is written: in the entry, or at the top level for a default. */
  written: (key: keyof EntrySettings) => JsonNode | undefined;
}

/**
 * Reads the settings document `root` (the whole jamp.config.json, or package.json's `"jamp"` value,
 * whose JSON path in its file is `at`). `folder` is the file's folder: two entries clash when their
 * `out` paths resolve to the same folder from it. Returns entries only when there is no issue.
 */
export function readEntries(root: JsonNode, at: string, folder: string): { entries: ConfigEntry[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const document = documentShape.read(root, at, issues);
  if (!document || root.type !== "object") return { entries: [], issues };
  const { $schema: _schema, entries: listed, ...defaults } = document;
  const top = (key: string) => root.members.get(key)?.value;
  let sources: Source[];
  if (listed) {
    const nameKey = root.members.get("name");
    if (nameKey) issues.push({ path: keyPath(at, "name"), at: nameKey.keyAt, message: `expected a name in each entry, not next to entries; found ${describe(nameKey.value)}` });
    const items = (top("entries") as Extract<JsonNode, { type: "array" }>).items;
    sources = listed.map((own, i) => {
      const node = items[i]!;
      const inEntry = (key: string) => (node.type === "object" ? node.members.get(key)?.value : undefined);
      return { path: `${keyPath(at, "entries")}[${i}]`, node, settings: merge(defaults, own), written: (key) => inEntry(key) ?? top(key) };
    });
  } else {
    sources = [{ path: at, node: root, settings: defaults, written: top }];
  }
  const entries = sources.flatMap((source) => complete(source, listed !== undefined, issues));
  if (entries.length === sources.length) findClashes(sources, entries, folder, issues);
  return issues.length > 0 ? { entries: [], issues } : { entries, issues };
}

/** Top-level defaults under an entry's own keys; `schema` merges key by key. */
function merge(defaults: EntrySettings, own: EntrySettings): EntrySettings {
  const merged = { ...defaults, ...own };
  if (defaults.schema && own.schema) merged.schema = { ...defaults.schema, ...own.schema };
  return merged;
}

/** The entry with its name, or nothing after an issue for each key it lacks. */
function complete(source: Source, listed: boolean, issues: Issue[]): ConfigEntry[] {
  const { input, out, name, ...rest } = source.settings;
  const where = listed ? ", in the entry or next to entries" : "";
  const missing = (key: string, what: string) =>
    issues.push({ path: source.path, at: { start: source.node.start, end: source.node.start + 1 }, message: `expected "${key}" (${what})${where}; found no such key` });
  if (!input) missing("input", "the service files or globs");
  if (!out) missing("out", "the output folder");
  return input && out ? [{ name: name ?? out, input, out, ...rest }] : [];
}

/** Two entries writing one folder would each remove the other's files as stale; two names would confuse output. */
function findClashes(sources: readonly Source[], entries: readonly ConfigEntry[], folder: string, issues: Issue[]): void {
  const outs = new Map<string, number>();
  const names = new Map<string, number>();
  entries.forEach((entry, i) => {
    const source = sources[i]!;
    const resolved = path.resolve(folder, entry.out);
    const sameOut = outs.get(resolved);
    if (sameOut !== undefined) {
      issues.push({
        path: keyPath(source.path, "out"),
        at: source.written("out")!,
        message: `expected an out folder no other entry writes to; found ${JSON.stringify(entry.out)}, the out of ${sources[sameOut]!.path} too (each would remove the files the other generates)`,
      });
      return;
    }
    outs.set(resolved, i);
    const sameName = names.get(entry.name);
    if (sameName !== undefined) {
      const own = source.written("name");
      issues.push({
        path: keyPath(source.path, own ? "name" : "out"),
        at: own ?? source.written("out")!,
        message: `expected a name no other entry has; found ${JSON.stringify(entry.name)}${own ? "" : " (its out, as it has no name)"}, the name of ${sources[sameName]!.path} too`,
      });
      return;
    }
    names.set(entry.name, i);
  });
}
