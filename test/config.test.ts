/**
 * The configuration loader, on real files in temp folders: its JSON reader against `JSON.parse`, the
 * entries it reads (shorthand, entries with defaults, package.json's "jamp" key, discovery), the exact
 * message of each kind of mistake, and the published JSON Schema, which must judge every document used
 * here as the loader does (but for the few rules JSON Schema cannot say, listed with each case).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, findConfig, loadConfig, type LoadedConfig } from "../src/config/load.js";
import { type JsonNode, parseJson, positionOf } from "../src/config/json.js";
import { configJsonSchema } from "../src/config/spec.js";
import { formatDiagnostic } from "../src/diagnostics.js";
import { moduleSpecifier, siblingSpecifier } from "../src/emitters/view.js";

const root = path.resolve(import.meta.dirname, "..");
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function testdir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-config-"));
  dirs.push(dir);
  for (const [name, contents] of Object.entries(files)) writeFileSync(path.join(dir, name), contents);
  return dir;
}

/** Loads `text` saved as `file` in a fresh folder: the entries, or the first line of each diagnostic. */
function load(text: string, file = "jamp.config.json"): { config?: LoadedConfig; errors: string[] } {
  const dir = testdir({ [file]: text });
  try {
    return { config: loadConfig(file, dir), errors: [] };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { errors: error.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0]!) };
  }
}

/** A JSON node as the plain value `JSON.parse` would give. */
function plain(node: JsonNode): unknown {
  if (node.type === "object") return Object.fromEntries([...node.members].map(([key, member]) => [key, plain(member.value)]));
  if (node.type === "array") return node.items.map(plain);
  return node.value;
}

/** Documents the loader accepts, each read by a test below. */
const accepted = {
  shorthand: '{ "$schema": "./schema.json", "input": "src/api.ts", "out": "gen" }',
  entries: JSON.stringify({
    tsconfig: "tsconfig.base.json",
    emit: ["schema"],
    schema: { unions: "oneOf" },
    entries: [
      {
        name: "api",
        input: ["packages/api/src/*.ts"],
        out: "packages/api/generated",
        tsconfig: "packages/api/tsconfig.json",
        emit: ["client", "server", "schema", "validate"],
        runtime: "jamp-gen/runtime",
        importExtension: ".js",
        schema: { unknownProperties: "reject", unions: "anyOf" },
      },
      { input: "packages/web/src/clock.ts", out: "packages/web/generated", importExtension: "", schema: { unknownProperties: "strip" } },
    ],
  }),
  sharedInput: '{ "input": "api.ts", "entries": [{ "out": "a", "emit": ["schema"] }, { "out": "b", "emit": ["client"] }] }',
};

/** package.json files: the settings are its "jamp" key. */
const manifests = {
  withKey: '{ "name": "app", "__proto__": { "polluted": true }, "jamp": { "input": "api.ts", "out": "gen" } }',
  withoutKey: '{ "name": "app" }',
  wrongKey: '{ "jamp": { "input": "api.ts", "out": 7 } }',
};

const error = (message: string) => `jamp.config.json:${message}`;

/** Wrong documents, each with the exact first line of every diagnostic it gets. */
const refused = [
    {
      what: "an unknown key, with the one it resembles",
      text: '{ "input": "a.ts", "out": "gen", "emits": ["client"] }',
      errors: [
        error(
          '1:34 error JG3003 emits: unknown key; expected one of $schema, entries, name, input, out, tsconfig, emit, runtime, importExtension, schema (did you mean "emit"?).',
        ),
      ],
    },
    {
      what: "a wrong type",
      text: '{ "input": "a.ts", "out": 42 }',
      errors: [error("1:27 error JG3003 out: expected a folder path; found 42.")],
    },
    {
      what: "a bad value deep in an entry",
      text: ["{", '  "entries": [', '    { "input": "a.ts", "out": "a" },', '    { "input": "b.ts", "out": "b",', '      "emit": ["client", "server", "wsdl"] }', "  ]", "}"].join("\n"),
      errors: [error('5:36 error JG3003 entries[1].emit[2]: expected one of "client", "server", "schema", "validate", "model", "openrpc"; found "wsdl".')],
    },
    {
      what: "a bad schema option",
      text: '{ "input": "a.ts", "out": "gen", "schema": { "unions": "allOf", "strict": true } }',
      errors: [
        error('1:56 error JG3003 schema.unions: expected one of "anyOf", "oneOf"; found "allOf".'),
        error("1:65 error JG3003 schema.strict: unknown key; expected one of unknownProperties, unions."),
      ],
    },
    {
      what: "a bad import extension",
      text: '{ "input": "a.ts", "out": "gen", "importExtension": ".mjs" }',
      errors: [error('1:53 error JG3003 importExtension: expected one of ".js", "", ".ts"; found ".mjs".')],
    },
    {
      what: "an empty input string",
      text: '{ "input": "", "out": "gen" }',
      errors: [error('1:12 error JG3003 input: expected a file or glob, or a non-empty array of them; found "".')],
    },
    {
      what: "an empty input array",
      text: '{ "entries": [{ "input": [], "out": "gen" }] }',
      errors: [error("1:26 error JG3003 entries[0].input: expected a file or glob, or a non-empty array of them; found [].")],
    },
    {
      what: "an empty string in an input array",
      text: '{ "input": ["a.ts", ""], "out": "gen" }',
      errors: [error('1:21 error JG3003 input[1]: expected a non-empty string; found "".')],
    },
    {
      what: "an input that is neither a string nor an array",
      text: '{ "input": { "glob": "*.ts" }, "out": "gen" }',
      errors: [error("1:12 error JG3003 input: expected a file or glob, or a non-empty array of them; found an object.")],
    },
    {
      what: "no out in the shorthand",
      text: '{ "input": "a.ts" }',
      errors: [error('1:1 error JG3003 expected "out" (the output folder); found no such key.')],
    },
    {
      what: "no out in an entry nor next to entries",
      text: '{ "entries": [{ "input": "a.ts", "out": "a" }, { "input": "b.ts" }] }',
      errors: [error('1:48 error JG3003 entries[1]: expected "out" (the output folder), in the entry or next to entries; found no such key.')],
    },
    {
      what: "no input at all",
      text: '{ "entries": [{ "out": "a" }] }',
      errors: [error('1:15 error JG3003 entries[0]: expected "input" (the service files or globs), in the entry or next to entries; found no such key.')],
    },
    {
      what: "no entries in the entries array",
      text: '{ "input": "a.ts", "out": "gen", "entries": [] }',
      errors: [error("1:45 error JG3003 entries: expected a non-empty array of entries; found [].")],
    },
    {
      what: "a name next to entries",
      text: '{ "name": "all", "entries": [{ "input": "a.ts", "out": "a" }] }',
      errors: [error('1:3 error JG3003 name: expected a name in each entry, not next to entries; found "all".')],
    },
    {
      what: "a $schema inside an entry",
      text: '{ "entries": [{ "$schema": "x", "input": "a.ts", "out": "a" }] }',
      errors: [
        error(
          "1:17 error JG3003 entries[0].$schema: unknown key; expected one of name, input, out, tsconfig, emit, runtime, importExtension, schema (did you mean \"schema\"?).",
        ),
      ],
    },
    {
      what: "a document that is not an object",
      text: '["a.ts"]',
      errors: [error("1:1 error JG3003 expected an object of jamp-gen settings; found an array.")],
    },
    {
      what: "an entry that is not an object",
      text: '{ "entries": ["a.ts"] }',
      errors: [error('1:15 error JG3003 entries[0]: expected an object (one entry); found "a.ts".')],
    },
];

/** Wrong documents only the loader can refuse: JSON Schema cannot compare entries or see a repeated key. */
const refusedBeyondSchema = [
    {
      what: "two entries with one name",
      text: '{ "entries": [{ "name": "api", "input": "a.ts", "out": "a" }, { "name": "api", "input": "b.ts", "out": "b" }] }',
      errors: [error('1:73 error JG3003 entries[1].name: expected a name no other entry has; found "api", the name of entries[0] too.')],
    },
    {
      what: "a name that is another entry's out",
      text: '{ "entries": [{ "name": "gen", "input": "a.ts", "out": "a" }, { "input": "b.ts", "out": "gen" }] }',
      errors: [error('1:89 error JG3003 entries[1].out: expected a name no other entry has; found "gen" (its out, as it has no name), the name of entries[0] too.')],
    },
    {
      what: "two entries writing one folder, however it is spelled",
      text: '{ "entries": [{ "input": "a.ts", "out": "gen" }, { "input": "b.ts", "out": "./gen/" }] }',
      errors: [
        error(
          '1:76 error JG3003 entries[1].out: expected an out folder no other entry writes to; found "./gen/", the out of entries[0] too (each would remove the files the other generates).',
        ),
      ],
    },
    {
      what: "an out next to entries, which all of them would share",
      text: '{ "out": "gen", "entries": [{ "input": "a.ts" }, { "input": "b.ts" }] }',
      errors: [
        error(
          '1:10 error JG3003 entries[1].out: expected an out folder no other entry writes to; found "gen", the out of entries[0] too (each would remove the files the other generates).',
        ),
      ],
    },
    {
      what: "a key given twice",
      text: '{ "input": "a.ts", "out": "a", "out": "b" }',
      errors: [error("1:32 error JG3003 out: expected each key once; found this key a second time (JSON would keep only the last).")],
    },
];

const pollutionAttempts = [
  '{ "__proto__": { "polluted": true }, "input": "a.ts", "out": "gen" }',
  '{ "entries": [{ "constructor": { "prototype": { "polluted": true } }, "input": "a.ts", "out": "gen" }] }',
  '{ "input": "a.ts", "out": "gen", "schema": { "__proto__": { "polluted": true } } }',
  '{ "input": "a.ts", "out": "gen", "schema": { "constructor": "x" } }',
  '{ "prototype": { "polluted": true }, "input": "a.ts", "out": "gen" }',
  '{ "input": "a.ts", "entries": [{ "out": "a" }, { "out": "b", "schema": { "prototype": { "polluted": true } } }] }',
];

describe("the JSON reader", () => {
  it("reads every JSON document as JSON.parse does", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(plain(parseJson(text))).toEqual(JSON.parse(text));
      }),
      { seed: 4, numRuns: 500 },
    );
  });

  it("refuses exactly what JSON.parse refuses, on documents with one character changed", () => {
    const edited = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom("", ",", "}", "]", '"', ":", "\\", "0", "-", ".", "e", " ", "\n", "\u0001", "t", "n"))
      .map(([text, at, insert]) => {
        const i = at % (text.length + 1);
        return insert === "" ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + insert + text.slice(i);
      });
    fc.assert(
      fc.property(edited, (text) => {
        const accepted = (read: () => unknown) => {
          try {
            read();
            return true;
          } catch {
            return false;
          }
        };
        expect(accepted(() => parseJson(text))).toBe(accepted(() => JSON.parse(text)));
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it("keeps __proto__ and constructor as plain keys", () => {
    const node = parseJson('{"__proto__": {"polluted": true}, "constructor": 1}');
    expect(node.type === "object" && [...node.members.keys()]).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("counts lines across \\n, \\r\\n and \\r, and columns from 1", () => {
    const text = '{\r\n  "a": 1,\n\r  "b" 2\n}';
    expect(() => parseJson(text)).toThrow("expected ':' after the key; found '2'");
    const offset = text.indexOf("2");
    expect(positionOf(text, offset)).toEqual({ line: 4, column: 7 });
  });

  it("reads a leading byte order mark, and refuses nesting deeper than 256 levels instead of overflowing", () => {
    expect(plain(parseJson('\ufeff{"a": [1]}'))).toEqual({ a: [1] });
    expect(() => parseJson(`${"[".repeat(300)}${"]".repeat(300)}`)).toThrow("expected at most 256 nested arrays and objects");
  });
});

describe("loading a configuration", () => {
  it("reads the shorthand: one entry's keys at the top level, named by its out folder", () => {
    const { config } = load(accepted.shorthand);
    expect(config?.entries).toEqual([{ name: "gen", input: ["src/api.ts"], out: "gen" }]);
  });

  it("reads entries, with the keys next to them as defaults and schema options merged key by key", () => {
    const { config } = load(accepted.entries);
    expect(config?.entries).toEqual([
      {
        name: "api",
        input: ["packages/api/src/*.ts"],
        out: "packages/api/generated",
        tsconfig: "packages/api/tsconfig.json",
        emit: ["client", "server", "schema", "validate"],
        runtime: "jamp-gen/runtime",
        importExtension: ".js",
        schema: { unknownProperties: "reject", unions: "anyOf" },
      },
      {
        name: "packages/web/generated",
        input: ["packages/web/src/clock.ts"],
        out: "packages/web/generated",
        tsconfig: "tsconfig.base.json",
        emit: ["schema"],
        importExtension: "",
        schema: { unions: "oneOf", unknownProperties: "strip" },
      },
    ]);
  });

  it("shares a top-level input between entries that write different artifacts to different folders", () => {
    const { config } = load(accepted.sharedInput);
    expect(config?.entries.map((e) => [e.name, e.input, e.emit])).toEqual([
      ["a", ["api.ts"], ["schema"]],
      ["b", ["api.ts"], ["client"]],
    ]);
  });

  it("reads package.json's jamp key, and says so when there is none", () => {
    const { config } = load(manifests.withKey, "package.json");
    expect(config?.entries).toEqual([{ name: "gen", input: ["api.ts"], out: "gen" }]);
    expect(load(manifests.withoutKey, "package.json").errors).toEqual([
      'package.json:1:1 error JG3003 expected the jamp-gen settings under a "jamp" key; found no such key.',
    ]);
    expect(load(manifests.wrongKey, "package.json").errors).toEqual([
      "package.json:1:39 error JG3003 jamp.out: expected a folder path; found 7.",
    ]);
  });

  it("names the file's folder, which the entries' paths are relative to", () => {
    const { config } = load('{ "input": "api.ts", "out": "gen" }');
    expect(config && path.dirname(config.file)).toBe(config?.folder);
    expect(config?.folder.startsWith(tmpdir())).toBe(true);
  });

  it("finds jamp.config.json first, then a package.json with a jamp key, else nothing", () => {
    const both = testdir({ "jamp.config.json": "{}", "package.json": '{ "jamp": {} }' });
    expect(findConfig(both)).toBe(path.join(both, "jamp.config.json"));
    const manifest = testdir({ "package.json": '{ "jamp": {} }' });
    expect(findConfig(manifest)).toBe(path.join(manifest, "package.json"));
    expect(findConfig(testdir({ "package.json": '{ "name": "app" }' }))).toBeUndefined();
    expect(findConfig(testdir({}))).toBeUndefined();
    // A package.json that is not JSON is found, so that its error is shown rather than ignored.
    const broken = testdir({ "package.json": '{ "name": ' });
    expect(findConfig(broken)).toBe(path.join(broken, "package.json"));
  });

  it("says when the file cannot be read", () => {
    const dir = testdir({});
    expect(() => loadConfig("nope.json", dir)).toThrow("Cannot read the configuration file 'nope.json': no such file.");
    expect(() => loadConfig(".", dir)).toThrow("Cannot read the configuration file '.': it is a folder.");
  });
});

describe("a wrong configuration", () => {
  it.each(refused)("is refused with a precise message: $what", ({ text, errors }) => {
    expect(load(text).errors).toEqual(errors);
  });

  it.each(refusedBeyondSchema)("is refused, beyond what JSON Schema can say: $what", ({ text, errors }) => {
    expect(load(text).errors).toEqual(errors);
  });

  it.each([
    ["a trailing comma", '{\n  "input": "a.ts",\n  "out": "gen",\n}', "4:1 error JG3003 invalid JSON: expected a key in double quotes; found '}'."],
    ["a missing brace", '{\n  "input": "a.ts",\n  "out": "gen"\n', "4:1 error JG3003 invalid JSON: expected ',' or '}' after a member; found the end of the file."],
    ["a comment", '{ // mine\n  "input": "a.ts" }', "1:3 error JG3003 invalid JSON: expected a key in double quotes; found '/'."],
    ["single quotes", "{ 'input': 'a.ts' }", `1:3 error JG3003 invalid JSON: expected a key in double quotes; found "'".`],
  ])("gives the line and column of a JSON syntax error: %s", (_what, text, message) => {
    expect(load(text).errors).toEqual([error(message)]);
  });

  it("shows the offending line under its message", () => {
    const dir = testdir({ "jamp.config.json": '{\n  "input": "a.ts",\n  "out": "gen",\n  "emit": ["client", "wsdl"]\n}\n' });
    let message = "";
    try {
      loadConfig("jamp.config.json", dir);
    } catch (error) {
      const [d] = (error as ConfigError).diagnostics;
      message = formatDiagnostic(d!, { readSource: (file) => readFileSync(path.join(dir, file), "utf8") });
    }
    expect(message).toBe(
      [
        'jamp.config.json:4:22 error JG3003 emit[1]: expected one of "client", "server", "schema", "validate", "model", "openrpc"; found "wsdl".',
        '    3 |   "out": "gen",',
        '  > 4 |   "emit": ["client", "wsdl"]',
        "      |                      ^^^^^^",
      ].join("\n"),
    );
  });

  it("changes no prototype, whatever keys it holds", () => {
    const results = pollutionAttempts.map((text) => load(text));
    expect(results.map((r) => r.errors.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(results[0]!.errors[0]).toContain("__proto__: unknown key");
    expect(results[1]!.errors[0]).toContain("entries[0].constructor: unknown key");
    expect(results[2]!.errors[0]).toContain("schema.__proto__: unknown key");
    expect(results[3]!.errors[0]).toContain("schema.constructor: unknown key");
    expect(results[4]!.errors[0]).toContain("prototype: unknown key");
    expect(results[5]!.errors[0]).toContain("entries[1].schema.prototype: unknown key");
    const settings = '{ "jamp": { "__proto__": { "polluted": true }, "input": "a.ts", "out": "gen" } }';
    const manifest = load(settings, "package.json");
    expect(manifest.errors).toEqual([expect.stringContaining("__proto__: unknown key")]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe("the published JSON Schema", () => {
  const file = path.join(root, "schema", "jamp.config.schema.json");

  it("is what the loader's shapes describe (npx vitest run -u rewrites it)", async () => {
    await expect(`${JSON.stringify(configJsonSchema(), null, 2)}\n`).toMatchFileSnapshot(file);
  });

  it("is a valid draft 2020-12 schema that ajv compiles in strict mode", () => {
    // strictRequired would refuse `if: { required: ["entries"] }`, which tests for a key defined beside it.
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true });
    const schema = JSON.parse(readFileSync(file, "utf8")) as object;
    expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it("judges every document these tests load, but for the rules JSON Schema cannot say, as the loader does", () => {
    const ajv = new Ajv2020({ allowUnionTypes: true });
    const validate = ajv.compile(JSON.parse(readFileSync(file, "utf8")) as object);
    const documents = [
      ...Object.values(accepted),
      ...refused.map((c) => c.text),
      ...pollutionAttempts,
      ...[manifests.withKey, manifests.wrongKey].map((text) => ({ text, settings: (JSON.parse(text) as { jamp: unknown }).jamp })),
    ].map((d) => (typeof d === "string" ? { text: d, settings: JSON.parse(d) as unknown } : d));
    const verdicts = documents.map(({ text, settings }) => {
      const loaded = load(text, text.includes('"jamp"') ? "package.json" : "jamp.config.json").errors.length === 0;
      return { text, loader: loaded, ajv: validate(settings) };
    });
    expect(verdicts.filter((v) => v.loader).length).toBe(4);
    expect(verdicts.filter((v) => v.loader !== v.ajv)).toEqual([]);
  });
});

describe("the importExtension option", () => {
  const from = (importExtension: ".js" | "" | ".ts") => (file: string) => moduleSpecifier(file, { outDir: path.join(root, "gen"), cwd: root, importExtension });

  it.each([
    [".js", ["../src/api.js", "../src/view.js", "../src/esm.mjs", "../src/cjs.cjs", "./gen.validate.js"]],
    ["", ["../src/api", "../src/view", "../src/esm.mjs", "../src/cjs.cjs", "./gen.validate"]],
    [".ts", ["../src/api.ts", "../src/view.tsx", "../src/esm.mts", "../src/cjs.cts", "./gen.validate.ts"]],
  ] as const)("%j ends relative imports of .ts, .tsx, .mts and .cts files as its resolution finds them", (importExtension, expected) => {
    const specifiers = ["src/api.ts", "src/view.tsx", "src/esm.mts", "src/cjs.cts"].map(from(importExtension));
    expect([...specifiers, siblingSpecifier("gen.validate", importExtension)]).toEqual(expected);
  });
});
