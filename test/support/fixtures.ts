/**
 * The generated fixtures, found as `test/golden.test.ts` finds them: every folder of `fixtures/` but
 * `errors/`, with its model (`expected/model.json`) and its services' schemas (`expected/*.schema.json`).
 * A folder without `expected/` is someone's fixture in the making and is left out.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Model } from "../../src/model/model.js";

export interface Fixture {
  name: string;
  /** The fixture's folder. */
  dir: string;
  /** The service files: the folder's top-level `.ts` files, as the golden test passes them. */
  inputs: string[];
  model: Model;
  /** Each service's emitted schema, by file name (`calculator.schema.json`). */
  schemas: Record<string, Record<string, unknown>>;
}

export function findFixtures(fixturesDir: string): Fixture[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "errors" && existsSync(path.join(fixturesDir, d.name, "expected")))
    .map((d) => d.name)
    .sort()
    .map((name) => readFixture(path.join(fixturesDir, name)));
}

function readFixture(dir: string): Fixture {
  const expected = path.join(dir, "expected");
  const json = (file: string) => JSON.parse(readFileSync(path.join(expected, file), "utf8")) as Record<string, unknown>;
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const file of readdirSync(expected).filter((f) => f.endsWith(".schema.json")).sort()) schemas[file] = json(file);
  return {
    name: path.basename(dir),
    dir,
    inputs: readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .sort()
      .map((f) => path.join(dir, f)),
    model: json("model.json") as unknown as Model,
    schemas,
  };
}
