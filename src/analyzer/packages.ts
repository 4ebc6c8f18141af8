/**
 * Which package a declaration belongs to, as generated code must import it. A type declared in a
 * package is imported by the package's name; anything else by a relative path from the output
 * folder to its file (the emitter's default), whatever alias (`paths`) the user's code used to reach it.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";

/**
 * The package generated code in `outDir` (absolute) imports a declaration file's types from, or
 * `undefined` for a relative import:
 * - a file under `node_modules`: that package (`geo-kit` for `…/node_modules/geo-kit/dist/index.d.ts`,
 *   `@acme/ids` for a scoped one, `node` for `@types/node`);
 * - a file of a workspace package (npm, yarn and pnpm workspaces link `node_modules/@acme/api` to
 *   `packages/api`, and TypeScript reads it at its real path): `@acme/api`, when the package holding
 *   `outDir` lists it among its dependencies and resolving that name from `outDir` reaches the same
 *   folder. A package never imports itself by name, and an undeclared dependency stays relative, so
 *   the generated code compiles wherever the user's does.
 *
 * Both take the types from the package's root entry, which must export them.
 */
export function packageOf(filePath: string, outDir?: string, byFolder?: Map<string, string | undefined>): string | undefined {
  const installed = installedPackage(filePath);
  if (installed !== undefined || outDir === undefined) return installed;
  // A workspace package depends on the file's folder alone: a run with many files in few folders asks once per folder.
  const folder = path.dirname(filePath);
  if (byFolder?.has(folder)) return byFolder.get(folder);
  const found = workspacePackage(folder, outDir);
  byFolder?.set(folder, found);
  return found;
}

function installedPackage(filePath: string): string | undefined {
  const at = filePath.lastIndexOf("/node_modules/");
  if (at < 0) return undefined;
  const parts = filePath.slice(at + "/node_modules/".length).split("/");
  const name = parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1] ?? ""}` : parts[0];
  if (!name) return undefined;
  if (!name.startsWith("@types/")) return name;
  const typed = name.slice("@types/".length);
  return typed.includes("__") ? `@${typed.replace("__", "/")}` : typed;
}

interface PackageJson {
  name?: unknown;
  dependencies?: unknown;
  devDependencies?: unknown;
  peerDependencies?: unknown;
  optionalDependencies?: unknown;
}

interface Package {
  /** The real path of the folder holding its package.json. */
  dir: string;
  json: PackageJson;
}

function workspacePackage(folder: string, outDir: string): string | undefined {
  const owner = nearestPackage(folder);
  const home = nearestPackage(outDir);
  const name = owner?.json.name;
  if (!owner || !home || typeof name !== "string" || owner.dir === home.dir) return undefined;
  if (!dependsOn(home.json, name)) return undefined;
  return linkedFrom(outDir, name) === owner.dir ? name : undefined;
}

/** The package whose folder holds `dir`: the nearest package.json above it that can be read. */
function nearestPackage(dir: string): Package | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    const file = path.join(at, "package.json");
    if (existsSync(file)) {
      try {
        return { dir: realpathSync(at), json: JSON.parse(readFileSync(file, "utf8")) as PackageJson };
      } catch {
        // An unreadable package.json owns nothing a generated import could name; look further up.
      }
    }
    if (path.dirname(at) === at) return undefined;
  }
}

function dependsOn(json: PackageJson, name: string): boolean {
  const lists = [json.dependencies, json.devDependencies, json.peerDependencies, json.optionalDependencies];
  return lists.some((list) => typeof list === "object" && list !== null && Object.hasOwn(list, name));
}

/** The real folder Node and TypeScript reach for `name` from `dir`: the first `node_modules/<name>` above it. */
function linkedFrom(dir: string, name: string): string | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, "node_modules", name);
    if (existsSync(candidate)) return realpathSync(candidate);
    if (path.dirname(at) === at) return undefined;
  }
}
