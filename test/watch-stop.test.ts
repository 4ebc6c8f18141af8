/**
 * Stopping watch mode while a run is under way: `runWatch` in this process, so the test can see what it
 * leaves behind. A run that ended after the stop once watched its folders again, and those watchers kept
 * the process alive after Ctrl-C.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import type { GenerateCommand } from "../src/cli/generate.js";
import { runWatch } from "../src/cli/watch.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const watchers = () => process.getActiveResourcesInfo().filter((r) => r === "FSEventWrap").length;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("leaves no folder watched once stopped, even when a run was going on", { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "jamp-gen-watch-stop-"));
  dirs.push(dir);
  mkdirSync(path.join(dir, "api"));
  const api = (n: number) => `export interface Api {\n  m${n}(id: string): Promise<number>;\n}\n`;
  writeFileSync(path.join(dir, "api", "api.ts"), api(0));
  const before = watchers();
  const lines: string[] = [];
  const print = { out: (text: string) => lines.push(text), err: (text: string) => lines.push(text) };
  const command: GenerateCommand = { files: ["api/*.ts"], out: "out", emit: ["client", "server", "schema", "validate"], runtime: "jamp-gen/runtime", json: false, color: false, cwd: dir, check: false };

  // Stops at several moments of a stream of saves, so that some stops land while a run is under way.
  for (let round = 0; round < 4; round++) {
    const stop = new AbortController();
    const watching = runWatch([command], print, { signal: stop.signal, debounceMs: 1 });
    while (!lines.some((l) => l.startsWith("Watching"))) await pause(10);
    lines.length = 0;
    let saves = 0;
    const saving = setInterval(() => writeFileSync(path.join(dir, "api", "api.ts"), api(++saves)), 5);
    await pause(100 + round * 150);
    stop.abort();
    clearInterval(saving);
    expect(await watching).toBe(0);
    await pause(200); // a run that was going on has ended by now (runWatch waited for it)
    expect(watchers()).toBe(before);
  }
  expect(lines).toContain("Stopped watching.");
});
