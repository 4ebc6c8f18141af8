/**
 * `jamp-gen --watch` as users run it: the real CLI in a child process on a real temp folder, driven by
 * edits to its files, judged by the files it writes and the lines it prints.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const main = path.join(root, "src", "cli", "main.ts");
const tsx = import.meta.resolve("tsx");

/** Lines of a child's stream, with a way to wait for the next one matching a pattern. */
class Lines {
  readonly all: string[] = [];
  #partial = "";
  #waiters: { pattern: RegExp; from: number; resolve: (line: string) => void }[] = [];

  constructor(stream: NodeJS.ReadableStream) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const parts = (this.#partial + chunk).split("\n");
      this.#partial = parts.pop()!;
      for (const line of parts) {
        this.all.push(line);
        this.#settle();
      }
    });
  }

  /** The first line from index `from` on matching `pattern`, waiting up to `ms` for it. */
  next(pattern: RegExp, from = this.all.length, ms = 30_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${ms} ms; got:\n${this.all.slice(from).join("\n")}`)), ms);
      this.#waiters.push({ pattern, from, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      this.#settle();
    });
  }

  #settle(): void {
    this.#waiters = this.#waiters.filter((w) => {
      const line = this.all.slice(w.from).find((l) => w.pattern.test(l));
      if (line === undefined) return true;
      w.resolve(line);
      return false;
    });
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("jamp-gen --watch", { timeout: 120_000 }, () => {
  let dir: string;
  let child: ChildProcess;
  let out: Lines;
  let err: Lines;
  const file = (name: string) => path.join(dir, name);
  const write = (name: string, text: string) => {
    mkdirSync(path.dirname(file(name)), { recursive: true });
    writeFileSync(file(name), text);
  };
  const read = (name: string) => readFileSync(file(name), "utf8");

  const orders = (extra = "") => `import type { Money } from "../types/money.js";\n\nexport interface Orders {\n  total(id: string): Promise<Money>;\n${extra}}\n`;
  const users = (extra = "") => `export interface Users {\n  name(id: string): Promise<string>;\n${extra}}\n`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-watch-"));
    write("api/orders.ts", orders());
    write("api/users.ts", users());
    write("types/money.ts", "export interface Money {\n  amount: number;\n}\n");
    child = spawn(process.execPath, ["--import", tsx, main, "api/*.ts", "-o", "out", "--watch"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    out = new Lines(child.stdout!);
    err = new Lines(child.stderr!);
    // Each service's four files, index.ts, and the module of the shared type Money.
    await out.next(/2 services → 10 files in out, 10 written/, 0, 60_000);
    await err.next(/Watching \d+ folders for changes; press Ctrl-C to stop\./, 0);
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("re-emits only the edited service, writing only files whose bytes changed", async () => {
    const usersClient = statSync(file("out/users.client.ts")).mtimeMs;
    const from = out.all.length;
    write("api/orders.ts", orders("  cancel(id: string): void;\n"));
    const line = await out.next(/api\/orders\.ts changed/, from);
    expect(line).toMatch(/api\/orders\.ts changed: 1 of 2 services re-emitted, \d written \(.*orders\.client\.ts.*\) in \d+ ms$/);
    expect(line).not.toContain("users.");
    expect(line).not.toContain("index.ts");
    expect(read("out/orders.client.ts")).toContain("cancel(id: string, options?: jamp.SendOptions): void");
    expect(statSync(file("out/users.client.ts")).mtimeMs).toBe(usersClient);
  });

  it("follows a change in an imported type file outside the inputs", async () => {
    const from = out.all.length;
    write("types/money.ts", "export interface Money {\n  amount: number;\n  currency: string;\n}\n");
    const line = await out.next(/types\/money\.ts changed/, from);
    expect(line).toMatch(/1 of 2 services re-emitted, the shared types of 1 file, /);
    expect(read("out/orders.schema.json")).toContain('"currency"');
    expect(read("out/shared/types/money.validate.ts")).toContain('"currency"');
  });

  it("prints diagnostics for a broken file and keeps the last good output, then recovers when it is fixed", async () => {
    const before = read("out/orders.client.ts");
    const from = err.all.length;
    write("api/orders.ts", orders("  broken(id: string): Promise<NoSuchType>;\n"));
    await err.next(/1 error; the last good output is kept/, from);
    expect(err.all.slice(from).join("\n")).toMatch(/api\/orders\.ts:5:\d+ error JG1000 Cannot find name 'NoSuchType'/);
    expect(read("out/orders.client.ts")).toBe(before);

    const fixedFrom = out.all.length;
    write("api/orders.ts", orders("  fixed(id: string): Promise<boolean>;\n"));
    await out.next(/api\/orders\.ts changed: 1 of 2 services re-emitted/, fixedFrom);
    expect(read("out/orders.client.ts")).toContain("fixed(id: string");
  });

  it("says which output file it cannot write, keeps watching, and writes it once it can", async () => {
    rmSync(file("out/orders.client.ts"));
    mkdirSync(file("out/orders.client.ts/in-the-way"), { recursive: true });
    const from = err.all.length;
    write("api/orders.ts", orders("  blocked(id: string): Promise<boolean>;\n"));
    const line = await err.next(/cannot/, from);
    expect(line).toMatch(/cannot replace out\/orders\.client\.ts: a folder is where the file must be \(EISDIR\); (nothing in the output folder was changed|\d of \d changed files were replaced before it, each whole; no stale file was removed); fix it and save again$/);
    expect(line).not.toContain("internal error");

    rmSync(file("out/orders.client.ts"), { recursive: true });
    const fixedFrom = out.all.length;
    write("api/orders.ts", orders("  unblocked(id: string): Promise<boolean>;\n"));
    await out.next(/api\/orders\.ts changed: 1 of 2 services re-emitted/, fixedFrom);
    expect(read("out/orders.client.ts")).toContain("unblocked(id: string");
  });

  it("picks up an added file and drops the output of a deleted one", async () => {
    let from = out.all.length;
    write("api/stock.ts", "export interface Stock {\n  level(sku: string): Promise<number>;\n}\n");
    await out.next(/api\/stock\.ts changed/, from);
    expect(existsSync(file("out/stock.client.ts"))).toBe(true);
    expect(read("out/index.ts")).toContain("./stock.client.js");

    from = out.all.length;
    unlinkSync(file("api/stock.ts"));
    const line = await out.next(/api\/stock\.ts changed/, from);
    expect(line).toMatch(/4 removed \(stock\.client\.ts, stock\.schema\.json, stock\.server\.ts, stock\.validate\.ts\)/);
    expect(existsSync(file("out/stock.client.ts"))).toBe(false);
    expect(read("out/index.ts")).not.toContain("stock");
  });

  it("follows a renamed input", async () => {
    const from = out.all.length;
    renameSync(file("api/users.ts"), file("api/accounts.ts"));
    await out.next(/api\/accounts\.ts.*changed|changed.*api\/accounts\.ts/, from);
    await pause(300); // the rename may arrive as two events, handled in one run or two
    expect(read("out/users.client.ts")).toMatch(/^\/\/ @generated by jamp-gen from api\/accounts\.ts/);
  });

  it("gathers a burst of saves, and ends with the last one's output", async () => {
    await pause(300);
    const from = out.all.length;
    for (let i = 0; i < 5; i++) write("api/accounts.ts", users(`  m${i}(): Promise<void>;\n`));
    await out.next(/api\/accounts\.ts changed/, from);
    // A save caught half-written (writeFileSync truncates first) can be a file with no service for a moment,
    // whose outputs that run removes and the next one writes again: read what is there when it is there.
    const client = () => {
      try {
        return read("out/users.client.ts");
      } catch {
        return "";
      }
    };
    for (let waited = 0; !client().includes("m4(") && waited < 20_000; waited += 100) await pause(100);
    expect(read("out/users.client.ts")).toContain("m4(");
    // Five saves in a few milliseconds: one run, or two when the events reach the process split.
    expect(out.all.slice(from).filter((l) => /changed/.test(l)).length).toBeLessThanOrEqual(2);
  });

  it("stops cleanly on Ctrl-C", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(err.all).toContain("Stopped watching.");
  });
});

describe("jamp-gen -c … --watch --json, from another folder", { timeout: 120_000 }, () => {
  it("prints one JSON line per run, its paths from where it runs", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-watch-json-"));
    try {
      mkdirSync(path.join(dir, "app/api"), { recursive: true });
      mkdirSync(path.join(dir, "sub"));
      writeFileSync(path.join(dir, "app/api/users.ts"), "export interface Users {\n  name(id: string): Promise<string>;\n}\n");
      writeFileSync(path.join(dir, "jamp.config.json"), JSON.stringify({ entries: [{ name: "app", input: "app/api/*.ts", out: "app/gen" }] }));
      const child = spawn(process.execPath, ["--import", tsx, main, "-c", "../jamp.config.json", "--watch", "--json"], { cwd: path.join(dir, "sub") });
      const out = new Lines(child.stdout!);
      try {
        const first = JSON.parse(await out.next(/^\{/, 0, 60_000)) as Record<string, unknown>;
        expect(first).toMatchObject({ name: "app", ok: true, changed: null, analyzed: ["../app/api/users.ts"], removed: [] });
        expect(first.written).toContain("../app/gen/users.client.ts");
        const from = out.all.length;
        writeFileSync(path.join(dir, "app/api/users.ts"), "export interface Users {\n  name(id: string): Promise<string>;\n  age(id: string): Promise<number>;\n}\n");
        const next = JSON.parse(await out.next(/^\{/, from)) as Record<string, unknown>;
        expect(next).toMatchObject({ ok: true, changed: ["../app/api/users.ts"], analyzed: ["../app/api/users.ts"] });
        expect(next.written).toEqual(["../app/gen/users.client.ts", "../app/gen/users.schema.json", "../app/gen/users.server.ts", "../app/gen/users.validate.ts"]);
      } finally {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        await exited;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
