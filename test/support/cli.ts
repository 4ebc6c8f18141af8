/**
 * What the CLI tests share: temp folders built from inline objects, and the CLI started from its TypeScript
 * source (tsx), plainly or under a pseudo-terminal.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");
const main = path.join(root, "src", "cli", "main.ts");
// The CLI runs from its TypeScript source in a temp folder, so the loader is named by absolute URL.
const tsx = import.meta.resolve("tsx");
const dirs: string[] = [];

/** Builds a temp folder from an inline object of files; `removeTestdirs` removes them. */
export function testdir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-cli-"));
  dirs.push(dir);
  for (const [name, contents] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), contents);
  }
  return dir;
}

/** For `afterEach`: removes the temp folders made so far. */
export function removeTestdirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function cli(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", tsx, main, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Runs the CLI under a pseudo-terminal (util-linux `script`), where stdout and stderr are one TTY. */
export function cliOnTerminal(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, "--import", tsx, main, ...args].map(quote).join(" ");
  return new Promise((resolve) => {
    execFile("script", ["-qec", command, "/dev/null"], { cwd, env: { ...process.env, NO_COLOR: "1", ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
export const hasScript = spawnSync("script", ["--version"]).status === 0;
