/**
 * Types a service takes from packages in node_modules: they become $defs like the user's own, and the
 * generated code imports them from the package, so it compiles where the user's code does.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { packageOf } from "../src/analyzer/context.js";
import { generate } from "../src/pipeline.js";
import { writeFiles } from "../src/writer/write.js";

const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-packages-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, contents: string): void {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), contents);
}

it("imports a package's types from the package, and the output compiles", async () => {
  write("node_modules/geo-kit/package.json", JSON.stringify({ name: "geo-kit", version: "1.0.0", types: "dist/index.d.ts" }));
  write("node_modules/geo-kit/dist/index.d.ts", "export interface GeoPoint {\n  lat: number;\n  lng: number;\n}\nexport type Unit = \"km\" | \"mi\";\n");
  write("node_modules/@acme/ids/package.json", JSON.stringify({ name: "@acme/ids", version: "1.0.0", types: "index.d.ts" }));
  write("node_modules/@acme/ids/index.d.ts", "export interface Tagged {\n  id: string;\n  at: Date;\n}\n");
  write(
    "src/routes.ts",
    [
      'import type { GeoPoint, Unit } from "geo-kit";',
      'import type { Tagged } from "@acme/ids";',
      "export interface Routes {",
      "  distance(from: GeoPoint, to: GeoPoint, unit: Unit): Promise<number>;",
      "  stamp(point: GeoPoint): Promise<Tagged>;",
      "}",
      "",
    ].join("\n"),
  );
  const result = await generate({ inputs: ["src/routes.ts"], outDir: "gen", cwd: dir });
  expect(result.diagnostics).toEqual([]);
  const client = result.files.find((f) => f.path === "routes.client.ts")!.contents;
  expect(client).toContain('import type { Tagged } from "@acme/ids";');
  expect(client).toContain('import type { GeoPoint, Unit } from "geo-kit";');
  const schema = JSON.parse(result.files.find((f) => f.path === "routes.schema.json")!.contents) as { $defs: object };
  expect(Object.keys(schema.$defs)).toEqual(["GeoPoint", "Tagged", "Unit"]);
  // Tagged's reviver is in the module of its package's file, which the service's module imports.
  const shared = result.files.find((f) => f.path.startsWith("shared/_node_modules/@acme/ids/"))!;
  expect(shared.contents).toContain("reviveDate");
  expect(result.files.find((f) => f.path === "routes.validate.ts")!.contents).toContain(`from "./${shared.path.replace(/\.ts$/, ".js")}";`);

  await writeFiles(path.join(dir, "gen"), result.files);
  write("package.json", JSON.stringify({ name: "app", type: "module" }));
  write(
    "tsconfig.json",
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
        paths: { "jamp-gen/runtime": [path.join(root, "src", "runtime", "index.ts")] },
      },
      include: ["src", "gen"],
    }),
  );
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const output = await promisify(execFile)(process.execPath, [tsc, "-p", dir]).then(
    () => "",
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  expect(output).toBe("");
}, 60_000);

it.each([
  ["/p/node_modules/geo-kit/dist/index.d.ts", "geo-kit"],
  ["/p/node_modules/@acme/ids/index.d.ts", "@acme/ids"],
  ["/p/node_modules/@types/node/fs.d.ts", "node"],
  ["/p/node_modules/@types/babel__core/index.d.ts", "@babel/core"],
  ["/p/node_modules/a/node_modules/b/index.d.ts", "b"],
  ["/p/src/types.ts", undefined],
])("names the package of %s", (file, expected) => {
  expect(packageOf(file)).toBe(expected);
});
