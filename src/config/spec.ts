/**
 * What a jamp-gen configuration may say, key by key, with the descriptions editors show. The loader
 * reads files with these shapes and `configJsonSchema()` builds the published
 * `schema/jamp.config.schema.json` from them.
 */
import { artifactKinds, importExtensions } from "../emitters/index.js";
import { listOf, oneOf, record, text, textOrList, type JsonSchema, type ValueOf } from "./shape.js";

export const unknownPropertiesValues = ["reject", "allow", "strip"] as const;
export const unionsValues = ["anyOf", "oneOf"] as const;

const schemaOptionsShape = record(
  {
    unknownProperties: {
      shape: oneOf(unknownPropertiesValues),
      description: "Properties an object's type does not name: refused (reject, the default), passed through (allow), or removed by the receiver (strip).",
    },
    unions: {
      shape: oneOf(unionsValues),
      description: "What a union of non-literal members without a discriminator emits: anyOf (the default) or oneOf.",
    },
  },
  "an object with unknownProperties and unions",
);

/** The keys of one entry; at the top level, next to `entries`, they are defaults for every entry. */
export const entryFields = {
  name: {
    shape: text(),
    description: "What output lines call this entry when there are several. Defaults to its out folder.",
  },
  input: {
    shape: textOrList("a file or glob, or a non-empty array of them"),
    description: "Service files or globs, relative to this file's folder.",
  },
  out: {
    shape: text("a folder path"),
    description: "Output folder, relative to this file's folder. Each entry needs its own: jamp-gen removes the files it generated earlier in it.",
  },
  tsconfig: {
    shape: text("a path to a tsconfig.json"),
    description: "tsconfig.json that resolves the inputs' imports (paths, references, node_modules), relative to this file's folder.",
  },
  emit: {
    shape: listOf(oneOf(artifactKinds), "a non-empty array of artifact kinds"),
    description: `Artifacts to write, of ${artifactKinds.join(", ")}. Default: client, server, schema, validate; client and server bring validate along.`,
  },
  runtime: {
    shape: text("a module specifier"),
    description: "Module specifier the generated code imports the runtime from. Default: jamp-gen/runtime.",
  },
  importExtension: {
    shape: oneOf(importExtensions),
    description: 'How relative imports in generated code end: ".js" for NodeNext resolution (the default), "" for bundler resolution, ".ts" for allowImportingTsExtensions or Deno.',
  },
  schema: {
    shape: schemaOptionsShape,
    description: "Schema semantics. At the top level next to entries, each key is a default an entry's own schema key overrides.",
  },
};

export const entryShape = record(entryFields, "an object (one entry)");

/** The whole document: one entry's keys (the shorthand), or `entries` with defaults beside it. */
export const documentShape = record(
  {
    $schema: { shape: text(), description: "The JSON Schema of this file, for editors." },
    entries: {
      shape: listOf(entryShape, "a non-empty array of entries"),
      description: "Several generator runs, in order. Keys next to entries are defaults for every entry; name is not allowed there.",
    },
    ...entryFields,
  },
  "an object of jamp-gen settings",
);

export type EntrySettings = ValueOf<typeof entryShape>;
export type DocumentSettings = ValueOf<typeof documentShape>;

/**
 * The published JSON Schema (draft 2020-12) of a configuration: the shapes' schemas plus the rules
 * across keys (an entry's `input` and `out` come from it or from the top level; no `name` next to
 * `entries`). Two entries with the same name or out folder cannot be said in JSON Schema: the loader
 * alone refuses them.
 */
export function configJsonSchema(): JsonSchema {
  const requiredInEveryEntry = (key: string) => ({
    if: { not: { required: [key] } },
    then: { properties: { entries: { type: "array", items: { type: "object", required: [key] } } } },
  });
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "jamp-gen configuration",
    description:
      "Settings for jamp-gen: one entry's keys at the top level, or several under entries. Paths are relative to this file's folder. Entries must have distinct names and out folders.",
    ...documentShape.schema,
    if: { required: ["entries"] },
    then: { not: { required: ["name"] }, allOf: [requiredInEveryEntry("input"), requiredInEveryEntry("out")] },
    else: { required: ["input", "out"] },
  };
}
