/**
 * jamp-gen as a project that depends on it sees it, without the registry: `node_modules/jamp-gen` holds
 * the repository's package.json and the runtime compiled from the current sources into `dist/runtime`
 * (what `exports["./runtime"]` names), with the repository's node_modules as its own, where its
 * dependencies (`ws`) are. The runtime is built into the temp folder, never into the repository's
 * `dist/`, which other runs may be reading. The CLI runs from its TypeScript source, as in cli.test.ts.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export const repo = path.resolve(import.meta.dirname, "..", "..");
const tsc = path.join(repo, "node_modules", "typescript", "bin", "tsc");
const cliMain = path.join(repo, "src", "cli", "main.ts");
// The CLI runs from source in a temp folder, so the loader is named by absolute URL.
const tsx = import.meta.resolve("tsx");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; resolves with its exit code and output, never rejects. */
export function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** `jamp-gen …` in `cwd`, from the repository's sources. */
export function jampGen(cwd: string, ...args: string[]): Promise<Run> {
  return run(process.execPath, ["--import", tsx, cliMain, ...args], cwd);
}

/** The repository's TypeScript compiler, as a project's `npx tsc` would run it. */
export function typescript(cwd: string, ...args: string[]): Promise<Run> {
  return run(process.execPath, [tsc, ...args], cwd);
}

/** Installs jamp-gen into `<root>/node_modules/jamp-gen` (see above). Takes a few seconds: it compiles the runtime. */
export async function linkJampGen(root: string): Promise<void> {
  const target = path.join(root, "node_modules", "jamp-gen");
  mkdirSync(target, { recursive: true });
  copyFileSync(path.join(repo, "package.json"), path.join(target, "package.json"));
  symlinkSync(path.join(repo, "node_modules"), path.join(target, "node_modules"), "dir");
  const runtime = path.join(repo, "src", "runtime");
  const config = path.join(target, "tsconfig.runtime.json");
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2023", "DOM"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        declaration: true,
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [path.join(repo, "node_modules", "@types")],
        rootDir: runtime,
        outDir: path.join(target, "dist", "runtime"),
      },
      files: [path.join(runtime, "index.ts")],
    }),
  );
  const build = await typescript(root, "-p", config);
  // Type errors are the repository's typecheck's to report (other work may be under way there); here
  // only the emitted runtime matters, and tsc emits it whatever it reports.
  for (const file of ["index.js", "index.d.ts"]) {
    if (!existsSync(path.join(target, "dist", "runtime", file))) throw new Error(`Building the runtime wrote no dist/runtime/${file}:\n${build.stdout}${build.stderr}`);
  }
}

/** Writes files (path → contents) under `root`, creating folders. */
export function writeTree(root: string, files: Readonly<Record<string, string>>): void {
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), contents);
  }
}

/** Links `<root>/node_modules/<name>` to `target` (relative to root), as npm links a workspace package. */
export function linkPackage(root: string, name: string, target: string): void {
  const link = path.join(root, "node_modules", name);
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(path.relative(path.dirname(link), path.join(root, target)), link, "dir");
}
