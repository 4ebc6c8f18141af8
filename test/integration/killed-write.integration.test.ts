/**
 * A jamp-gen run killed with SIGKILL while it writes its output (issue 4, atomic writes; issue 8, Faults).
 * A real CLI child process regenerates a project of 21 services (85 files, about 4 MB) after every service
 * changed; the test watches the output folder and kills the child a few milliseconds after the first
 * change it sees, at several delays. Whatever the moment, every output file must be whole: the previous
 * run's version or the new one, byte for byte (none truncated, none missing), and the next run must leave
 * the new version of every file and no temp file behind.
 */
import { spawn } from "node:child_process";
import { watch } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const main = path.join(root, "src", "cli", "main.ts");
const tsx = import.meta.resolve("tsx");
const SERVICES = 20;
const MEMBERS = 60;
const BIG_MEMBERS = 1500;
/** Milliseconds from the first change in the output folder to the kill. */
const DELAYS = [0, 1, 2, 4, 8, 15, 30, 60, 120];
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The project's services; `changed` adds a method to each, which changes each service's files. */
async function writeProject(dir: string, changed: boolean): Promise<void> {
  await mkdir(path.join(dir, "src"), { recursive: true });
  for (let s = 0; s < SERVICES; s++) {
    const members = Array.from({ length: MEMBERS }, (_, i) => `{ kind: "k${i}"; v${i}: number; name${i}?: string }`);
    const methods = [`  get(x: U${s}): Promise<U${s}>;`, ...(changed ? [`  count(x: U${s}[]): Promise<number>;`] : [])];
    await writeFile(path.join(dir, "src", `svc${s}.ts`), `export type U${s} = ${members.join(" | ")};\nexport interface Service${s} {\n${methods.join("\n")}\n}\n`);
  }
  // One service whose validators take 1.7 MB: a file Node writes in several chunks, written first.
  const members = Array.from({ length: BIG_MEMBERS }, (_, i) => `{ kind: "k${i}"; v${i}: number; name${i}?: string }`);
  const methods = ["  get(x: Big): Promise<Big>;", ...(changed ? ["  count(x: Big[]): Promise<number>;"] : [])];
  await writeFile(path.join(dir, "src", "big.ts"), `export type Big = ${members.join(" | ")};\nexport interface BigService {\n${methods.join("\n")}\n}\n`);
}

/** Starts the CLI on the project; `exited` settles with its exit code, or the signal that ended it. */
function start(dir: string) {
  const child = spawn(process.execPath, ["--import", tsx, main, "src/*.ts", "-o", "gen"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
  return { child, exited };
}

async function snapshot(folder: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(folder)).sort()) out.set(name, await readFile(path.join(folder, name), "utf8"));
  return out;
}

const isTemp = (name: string) => name.endsWith(".tmp");

it("leaves every output file whole, old or new, when killed while writing; the next run finishes the job", { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "jamp-gen-killed-"));
  dirs.push(dir);
  const gen = path.join(dir, "gen");
  await writeProject(dir, false);
  const first = await start(dir).exited;
  expect(first.code, first.stderr).toBe(0);
  const before = await snapshot(gen);
  await writeProject(dir, true);

  const states: { delay: number; exit: string; files: Map<string, string> }[] = [];
  for (const delay of DELAYS) {
    // Each attempt starts from the previous run's complete output.
    await rm(gen, { recursive: true, force: true });
    await mkdir(gen);
    for (const [name, contents] of before) await writeFile(path.join(gen, name), contents);
    const run = start(dir);
    const watcher = watch(gen, () => {
      watcher.close();
      setTimeout(() => run.child.kill("SIGKILL"), delay);
    });
    const exit = await run.exited;
    watcher.close();
    states.push({ delay, exit: exit.signal ?? `code ${exit.code}`, files: await snapshot(gen) });
  }

  // The last attempt's output, temp files and all, is what the next complete run starts from.
  const last = await start(dir).exited;
  expect(last.code, last.stderr).toBe(0);
  const after = await snapshot(gen);
  expect([...after.keys()].filter(isTemp)).toEqual([]);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  const changed = [...after.keys()].filter((name) => after.get(name) !== before.get(name));
  expect(changed.length).toBeGreaterThan((SERVICES + 1) * 3);

  const summary = states.map(({ delay, exit, files }) => {
    const names = [...files.keys()];
    for (const name of before.keys()) expect(files.has(name), `${name} after a kill at ${delay} ms`).toBe(true);
    let [old, fresh] = [0, 0];
    for (const name of names.filter((n) => !isTemp(n))) {
      const contents = files.get(name)!;
      const whole = contents === before.get(name) || contents === after.get(name);
      expect(whole, `${name} after a kill at ${delay} ms is neither version (${contents.length} chars)`).toBe(true);
      if (contents !== after.get(name)) old++;
      else if (contents !== before.get(name)) fresh++;
    }
    return { delay, exit, old, new: fresh, temps: names.filter(isTemp).length };
  });
  console.log("jamp-gen killed while writing:", JSON.stringify(summary));
  // At least one kill landed while the run wrote: temp files made, or some files renamed and not others.
  expect(summary.some((s) => s.exit === "SIGKILL" && (s.temps > 0 || (s.old > 0 && s.new > 0)))).toBe(true);
});
