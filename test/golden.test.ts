import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../src/diagnostics.js";
import { generate, type GenerateOptions } from "../src/pipeline.js";

const root = path.resolve(import.meta.dirname, "..");
const fixturesDir = path.join(root, "fixtures");

function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "expected")
    .map((d) => d.name)
    .sort();
}

/** The files under `dir`, at any depth (shared types' modules sit in `shared/`), relative to it, POSIX separators. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join("/"));
}

/** The service files of a fixture: its top-level `.ts` files. */
function inputsOf(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => path.relative(root, path.join(dir, f)));
}

const cases = folders(fixturesDir).filter((name) => name !== "errors");
const errorCases = folders(path.join(fixturesDir, "errors"));

/**
 * What a fixture passes to `generate` besides its inputs: its optional `options.json`
 * (`{ "schema": { "unknownProperties": "strip" } }`), so one folder can show one project option.
 */
function optionsOf(dir: string): Pick<GenerateOptions, "schema"> {
  const file = path.join(dir, "options.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Pick<GenerateOptions, "schema">) : {};
}

describe.each(cases)("fixture %s", (name) => {
  const dir = path.join(fixturesDir, name);
  const outDir = path.relative(root, path.join(dir, "expected"));
  const run = () => generate({ ...optionsOf(dir), inputs: inputsOf(dir), outDir, cwd: root, emit: ["client", "server", "schema", "validate", "model"] });

  it("generates the committed expected files, and nothing else", async () => {
    const result = await run();
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    for (const file of result.files) await expect(file.contents).toMatchFileSnapshot(path.join(dir, "expected", file.path));
    // A committed file the generator no longer writes is stale (a missing one fails its snapshot above).
    const expectedDir = path.join(dir, "expected");
    const committed = existsSync(expectedDir) ? filesIn(expectedDir) : [];
    expect(committed.filter((f) => !result.files.some((g) => g.path === f))).toEqual([]);
  });

  it("generates the same bytes on a second run", async () => {
    const [first, second] = [await run(), await run()];
    expect(second.files).toEqual(first.files);
  });
});

describe.each(errorCases)("error fixture %s", (name) => {
  const dir = path.join(fixturesDir, "errors", name);

  it("reports the expected diagnostics and generates nothing", async () => {
    const result = await generate({ inputs: inputsOf(dir), outDir: "out", cwd: root });
    expect(result.files).toEqual([]);
    const readSource = (file: string) => readFileSync(path.join(root, file), "utf8");
    const text = result.diagnostics.map((d) => formatDiagnostic(d, { readSource })).join("\n\n");
    await expect(`${text}\n`).toMatchFileSnapshot(path.join(dir, "expected", "diagnostics.txt"));
  });
});
