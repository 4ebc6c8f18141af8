/**
 * `-p tsconfig.json`: the analysis sees what the user's own `tsc -p` sees (extends chains, a package's
 * base config, paths, ambient declarations, project references, workspace packages), and the generated
 * code compiles with that same tsconfig. Every case is a real folder, compiled by a real tsc.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageOf } from "../src/analyzer/packages.js";
import { formatDiagnostic } from "../src/diagnostics.js";
import type { NamedType } from "../src/model/model.js";
import { type GenerateOptions, type GenerateResult, generate } from "../src/pipeline.js";
import { writeFiles } from "../src/writer/write.js";
import { jampGen, linkJampGen, linkPackage, typescript, writeTree } from "./monorepo/link-jamp-gen.js";

const dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-project-"));
const at = (...parts: string[]) => path.join(dir, ...parts);
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Strict NodeNext options, as a project that consumes generated code typically has them. */
const nodeNext = { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, exactOptionalPropertyTypes: true, verbatimModuleSyntax: true, skipLibCheck: true, types: [] };

// Every folder below resolves `jamp-gen/runtime` through the one linked at the temp root.
beforeAll(() => linkJampGen(dir), 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(folder: string, options: Omit<GenerateOptions, "cwd" | "outDir"> & { outDir?: string }): Promise<GenerateResult> {
  return generate({ outDir: "src/generated", ...options, cwd: at(folder) });
}

/** The import lines of a generated file. */
function importsOf(result: GenerateResult, file: string): string[] {
  const found = result.files.find((f) => f.path === file);
  if (!found) throw new Error(`no ${file} among ${result.files.map((f) => f.path).join(", ")}`);
  return found.contents.split("\n").filter((line) => line.startsWith("import "));
}

/** One line per diagnostic, as the CLI's first line prints it. */
const lines = (result: GenerateResult) => result.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0]);

describe("-p follows the user's tsconfig", () => {
  it("follows extends through a file and a package, resolves the base's baseUrl and paths, and the output compiles with that tsconfig", async () => {
    writeTree(at("paths"), {
      // A shared base published as a package, like @tsconfig/*: bundler resolution takes extensionless imports.
      "node_modules/@acme/tsconfig/package.json": json({ name: "@acme/tsconfig", version: "1.0.0" }),
      "node_modules/@acme/tsconfig/bundler.json": json({ compilerOptions: { ...nodeNext, module: "Preserve", moduleResolution: "Bundler", noEmit: true } }),
      // baseUrl and paths in a base resolve from the base's folder, not from the tsconfig that extends it.
      "tsconfig.base.json": json({ extends: "@acme/tsconfig/bundler.json", compilerOptions: { baseUrl: ".", paths: { "@shared/*": ["shared/*"] } } }),
      "shared/money.ts": "/** An amount in a currency. */\nexport interface Money {\n  amount: number;\n  currency: string | null;\n}\n",
      "shared/region.ts": 'export type Region = "eu" | "us";\n',
      "app/tsconfig.json": json({ extends: "../tsconfig.base.json", include: ["src"] }),
      "app/src/item.ts": "export interface Item {\n  id: string;\n}\n",
      "app/src/shop.ts": [
        'import type { Money } from "@shared/money";',
        'import type { Region } from "shared/region";',
        'import type { Item } from "./item";',
        "",
        "export interface Shop {",
        "  price(item: Item, region: Region): Promise<Money>;",
        "}",
        "",
      ].join("\n"),
    });
    const result = await run("paths/app", { inputs: ["src/shop.ts"], tsconfig: "tsconfig.json" });
    expect(lines(result)).toEqual([]);
    // The alias is the user's way to reach the file; generated code names the file itself, relative to it.
    expect(importsOf(result, "shop.client.ts")).toEqual([
      'import * as jamp from "jamp-gen/runtime";',
      'import type { Item } from "../item.js";',
      'import type { Money } from "../../../shared/money.js";',
      'import type { Region } from "../../../shared/region.js";',
      'import type { Shop } from "../shop.js";',
      'import { shopClientDescriptor } from "./shop.validate.js";',
    ]);
    await writeFiles(at("paths/app/src/generated"), result.files);
    const tsc = await typescript(at("paths/app"), "-p", "tsconfig.json");
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("gives services whose names extend each other's exports that never meet in the index", async () => {
    // Each name is another's plus a suffix that generated exports use: Client, Result, Service, Skeleton.
    const names = ["Calculator", "CalculatorClient", "CalculatorResult", "CalculatorService", "CalculatorSkeleton"];
    writeTree(at("names"), {
      "package.json": json({ type: "module" }),
      "tsconfig.json": json({ compilerOptions: nodeNext, include: ["src"] }),
      "src/services.ts": names.map((name) => `export interface ${name} {\n  ping(): Promise<string>;\n}\n`).join("\n"),
    });
    const result = await run("names", { inputs: ["src/services.ts"], tsconfig: "tsconfig.json" });
    expect(lines(result)).toEqual([]);
    await writeFiles(at("names/src/generated"), result.files);
    // index.ts re-exports every module: an export two of them share would be TS2308 there.
    const tsc = await typescript(at("names"), "-p", "tsconfig.json", "--noEmit");
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("keeps strictNullChecks on but leaves the rest of strict to the user: strict: false gives the strict model", async () => {
    const service = [
      "export interface Notes {",
      "  find(id: string, tag?: string): Promise<Note | null>;",
      "  save(note: Note, when: Date | undefined): Promise<void>;",
      "  patch(id: string, changes: Partial<Meta>): Promise<Meta>;",
      "}",
      "export interface Note {",
      "  id: string;",
      "  text: string | null;",
      "  tags?: string[];",
      "  draft: boolean | undefined;",
      "  meta?: Meta | null;",
      "}",
      "export interface Meta {",
      "  title: string;",
      "  pinned?: boolean;",
      "}",
      "",
    ].join("\n");
    writeTree(at("strict"), {
      "src/notes.ts": service,
      // Compiles only without noImplicitAny.
      "src/legacy.ts": "export function legacy(value) {\n  return value;\n}\n\nexport interface Legacy {\n  echo(text: string): Promise<string>;\n}\n",
      "loose.json": json({ compilerOptions: { ...nodeNext, strict: false, exactOptionalPropertyTypes: false } }),
      "strict.json": json({ compilerOptions: nodeNext }),
    });
    const model = async (tsconfig?: string) => {
      const result = await run("strict", { inputs: ["src/notes.ts"], emit: ["model"], ...(tsconfig ? { tsconfig } : {}) });
      expect(lines(result)).toEqual([]);
      return result.model;
    };
    const loose = await model("loose.json");
    const text = (loose?.types.Note as NamedType | undefined)?.type;
    expect(text).toMatchObject({ kind: "object", properties: expect.arrayContaining([expect.objectContaining({ name: "text", type: { kind: "union", members: [{ kind: "string" }, { kind: "null" }] } })]) });
    expect(await model("strict.json")).toEqual(loose);
    expect(await model()).toEqual(loose);

    expect(lines(await run("strict", { inputs: ["src/legacy.ts"], emit: ["model"], tsconfig: "loose.json" }))).toEqual([]);
    expect(lines(await run("strict", { inputs: ["src/legacy.ts"], emit: ["model"], tsconfig: "strict.json" }))).toEqual([
      "src/legacy.ts:1:24 error JG1000 Parameter 'value' implicitly has an 'any' type. (TS7006)",
    ]);
  });

  it("takes TypeScript 5's defaults where the tsconfig is silent: every @types package, strict off", async () => {
    writeTree(at("silent"), {
      "node_modules/@types/build-env/package.json": json({ name: "@types/build-env", version: "1.0.0" }),
      "node_modules/@types/build-env/index.d.ts": "declare var BUILD_ID: string;\n",
      "tsconfig.json": json({ compilerOptions: { module: "NodeNext" }, include: ["src"] }),
      "src/status.ts": "export const build = (prefix) => `${prefix}${BUILD_ID}`;\n\nexport interface Status {\n  version(): Promise<string>;\n}\n",
    });
    // What the user's TypeScript 5 says of it: nothing.
    expect((await typescript(at("silent"), "-p", "tsconfig.json", "--noEmit")).stdout).toBe("");
    expect(lines(await run("silent", { inputs: ["src/status.ts"], emit: ["model"], tsconfig: "tsconfig.json" }))).toEqual([]);
  });

  it("reads the ambient declarations the tsconfig's file list holds", async () => {
    writeTree(at("ambient"), {
      "tsconfig.json": json({ compilerOptions: nodeNext, include: ["src"] }),
      "src/env.d.ts": "/** Set by the bundler. */\ndeclare const __BUILD__: string;\n",
      "src/status.ts": "export const build: string = __BUILD__;\n\nexport interface Status {\n  version(): Promise<string>;\n}\n",
    });
    expect(lines(await run("ambient", { inputs: ["src/status.ts"], emit: ["model"], tsconfig: "tsconfig.json" }))).toEqual([]);
  });
});

describe("project references and workspace packages", () => {
  /**
   * packages/a (composite, built to dist/, exported as @acme/a through dist/) is referenced by packages/b,
   * whose service takes a's types by package name and by a relative path into a's sources; node_modules
   * links @acme/a as npm workspaces do.
   */
  beforeAll(() => {
    const composite = { ...nodeNext, composite: true, rootDir: "src", outDir: "dist" };
    writeTree(at("refs"), {
      "package.json": json({ name: "refs", private: true, workspaces: ["packages/*"] }),
      "packages/a/package.json": json({ name: "@acme/a", version: "1.0.0", type: "module", exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } }),
      "packages/a/tsconfig.json": json({ compilerOptions: composite, include: ["src"] }),
      "packages/a/src/index.ts": 'export type { Money } from "./money.js";\nexport type { Rate } from "./rate.js";\n',
      "packages/a/src/money.ts": '/** An amount in a currency. */\nexport interface Money {\n  amount: number;\n  currency: "EUR" | "USD";\n}\n',
      "packages/a/src/rate.ts": "export interface Rate {\n  percent: number;\n}\n",
      "packages/b/package.json": json({ name: "@acme/b", version: "1.0.0", type: "module", dependencies: { "@acme/a": "1.0.0", "jamp-gen": "*" } }),
      "packages/b/tsconfig.json": json({ compilerOptions: composite, include: ["src"], references: [{ path: "../a" }] }),
      "packages/b/src/billing.ts": [
        'import type { Money } from "@acme/a";',
        'import type { Rate } from "../../a/src/rate.js";',
        "",
        "export interface Billing {",
        "  total(account: string, rate: Rate): Promise<Money>;",
        "}",
        "",
      ].join("\n"),
    });
    linkPackage(at("refs"), "@acme/a", "packages/a");
    linkPackage(at("refs"), "@acme/b", "packages/b");
  });

  it("reads a referenced project from its sources, built or not, and tsc -b compiles the output", async () => {
    const billing = (options: Partial<GenerateOptions> = {}) => run("refs/packages/b", { inputs: ["src/billing.ts"], tsconfig: "tsconfig.json", ...options });
    expect(existsSync(at("refs/packages/a/dist"))).toBe(false);
    const unbuilt = await billing();
    expect(lines(unbuilt)).toEqual([]);
    const money = unbuilt.model?.types.Money;
    expect(money?.file).toBe(at("refs/packages/a/src/money.ts"));
    expect(money?.doc?.text).toBe("An amount in a currency.");

    await writeFiles(at("refs/packages/b/src/generated"), unbuilt.files);
    const build = await typescript(at("refs"), "-b", "packages/b");
    expect(build.stdout + build.stderr).toBe("");
    expect(existsSync(at("refs/packages/a/dist/money.d.ts"))).toBe(true);

    // Built, the import of @acme/a lands on dist/; the model still reads the sources, so nothing changes.
    const built = await billing();
    expect(built.files).toEqual(unbuilt.files);
  });

  it("imports a workspace package's types by its name where the output's package depends on it", async () => {
    const result = await run("refs/packages/b", { inputs: ["src/billing.ts"], tsconfig: "tsconfig.json" });
    expect(importsOf(result, "billing.client.ts")).toContain('import type { Money, Rate } from "@acme/a";');
  });

  it("decides by the package that holds the output folder", () => {
    writeTree(at("refs"), {
      "packages/c/package.json": json({ name: "@acme/c", version: "1.0.0" }),
      // d depends on @acme/a, but its own node_modules holds another copy, a published one.
      "packages/d/package.json": json({ name: "@acme/d", version: "1.0.0", dependencies: { "@acme/a": "0.9.0" } }),
      "packages/d/node_modules/@acme/a/package.json": json({ name: "@acme/a", version: "0.9.0" }),
      "node_modules/geo-kit/index.d.ts": "export interface Point {\n  x: number;\n}\n",
    });
    const money = at("refs/packages/a/src/money.ts");
    expect(packageOf(money, at("refs/packages/b/src/generated"))).toBe("@acme/a");
    expect(packageOf(money, at("refs/packages/a/src/generated"))).toBeUndefined(); // its own package: relative
    expect(packageOf(money, at("refs/packages/c/src/generated"))).toBeUndefined(); // not a dependency
    expect(packageOf(money, at("refs/packages/d/src/generated"))).toBeUndefined(); // the name reaches another copy
    expect(packageOf(money)).toBeUndefined();
    expect(packageOf(at("refs/node_modules/geo-kit/index.d.ts"), at("refs/packages/c/src/generated"))).toBe("geo-kit");
  });
});

describe("a tsconfig that cannot be followed", () => {
  beforeAll(() => {
    writeTree(at("errors"), {
      "api.ts": "export interface Api {\n  ping(): Promise<void>;\n}\n",
      "broken.json": '{\n  "compilerOptions": {\n    "strict": true,\n  \n',
      "wrong.json": json({ extends: "./base.json", compilerOptions: { strictt: true } }),
      "references.json": json({ compilerOptions: { strict: true }, references: [{ path: "./lib" }] }),
    });
  });

  it("reports a tsconfig that does not exist, by the path it looked at, and generates nothing", async () => {
    const result = await run("errors", { inputs: ["api.ts"], tsconfig: "config/tsconfig.json" });
    expect(lines(result)).toEqual(["error JG3002 Cannot read the tsconfig 'config/tsconfig.json': no such file."]);
    expect(result.files).toEqual([]);
  });

  it("reports JSON that does not parse at its line and column, and the CLI exits 1", async () => {
    const result = await jampGen(at("errors"), "api.ts", "-o", "gen", "-p", "broken.json");
    expect(result.stderr).toContain("broken.json:5:1 error JG3002 '}' expected. (TS1005)");
    expect(result.stderr).toContain("hint: run 'tsc -p broken.json --showConfig' to see the settings TypeScript reads");
    expect(result.code).toBe(1);
    expect(existsSync(at("errors/gen"))).toBe(false);
  });

  it("reports an unknown option and an extends that cannot be read, at their keys", async () => {
    const result = await run("errors", { inputs: ["api.ts"], tsconfig: "wrong.json" });
    expect(lines(result)).toEqual([
      `wrong.json:2:3 error JG3002 Cannot read file '${at("errors/base.json")}'. (TS5083)`,
      "wrong.json:4:5 error JG3002 Unknown compiler option 'strictt'. Did you mean 'strict'? (TS5025)",
    ]);
  });

  it("reports a referenced project that does not exist, at the references", async () => {
    const result = await run("errors", { inputs: ["api.ts"], tsconfig: "references.json" });
    expect(lines(result)).toEqual(["references.json:5:3 error JG3002 Cannot read the referenced project 'lib/tsconfig.json': no such file."]);
  });
});
