/**
 * The watch benchmark: a synthetic project of N service files with cross-file imports (bench/synthetic.ts),
 * `jamp-gen --watch` running on it in this process, then one-file edits, each timed from the moment the
 * file is written to the moment the run that handles it has written its outputs and printed its line.
 * Edits alternate between a service in the middle of the project (read again with the service that
 * imports it) and a shared domain file (read again with the ten services that import it).
 *
 *   npx tsx bench/watch.ts [--services 200] [--edits 20] [--warmup 3] [--debounce 30]
 *
 * Prints one JSON line: the cold first run, and the median, min and max of the edits per kind, in time
 * and in CPU time (this process's, from the save to the line: on a shared machine it moves less).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { GenerateCommand } from "../src/cli/generate.js";
import { runWatch } from "../src/cli/watch.js";
import { editedService, writeSyntheticProject } from "./synthetic.js";

export interface WatchFigures {
  services: number;
  files: number;
  coldMs: number;
  edits: { kind: string; medianMs: number; minMs: number; maxMs: number; count: number; cpu: { medianMs: number; minMs: number; maxMs: number } }[];
}

export async function benchWatch(options: { services: number; edits: number; warmup: number; debounceMs: number }): Promise<WatchFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "jamp-gen-watch-bench-"));
  try {
    const project = writeSyntheticProject(dir, options.services);
    const lines: string[] = [];
    let waiter: ((line: string) => void) | undefined;
    const print = {
      out: (text: string) => {
        lines.push(text);
        waiter?.(text);
      },
      err: (text: string) => {
        if (/error/.test(text)) throw new Error(`the watch run failed: ${text}`);
      },
    };
    const nextLine = () => new Promise<string>((resolve) => (waiter = resolve));
    const command: GenerateCommand = { files: ["services/*.ts"], out: "generated", project: "tsconfig.json", emit: ["client", "server", "schema", "validate"], runtime: "jamp-gen/runtime", json: false, color: false, cwd: dir, check: false };
    const stop = new AbortController();
    const coldStart = performance.now();
    const first = nextLine();
    const watching = runWatch([command], print, { signal: stop.signal, debounceMs: options.debounceMs });
    await first;
    const coldMs = performance.now() - coldStart;

    const middle = Math.floor(options.services / 2);
    const domain = Math.floor(middle / 10);
    const kinds = [
      { kind: "service file", file: `services/service-${middle}.ts`, text: (n: number) => editedService(middle, n) },
      { kind: "shared type file", file: `shared/domain-${domain}.ts`, text: (n: number) => `${sharedBase(dir, domain)}\nexport interface Extra${n} { note${n}: string }\n` },
    ];
    const times = new Map<string, number[]>(kinds.map((k) => [k.kind, []]));
    const cpuTimes = new Map<string, number[]>(kinds.map((k) => [k.kind, []]));
    for (let n = 0; n < (options.warmup + options.edits) * kinds.length; n++) {
      const edit = kinds[n % kinds.length]!;
      await new Promise((resolve) => setTimeout(resolve, options.debounceMs * 2)); // a quiet moment between edits
      const done = nextLine();
      const started = performance.now();
      const cpu = process.cpuUsage();
      writeFileSync(path.join(dir, edit.file), edit.text(n));
      await done;
      const used = process.cpuUsage(cpu);
      if (n >= options.warmup * kinds.length) {
        times.get(edit.kind)!.push(performance.now() - started);
        cpuTimes.get(edit.kind)!.push((used.user + used.system) / 1000);
      }
    }
    stop.abort();
    await watching;
    return {
      services: options.services,
      files: project.files.length,
      coldMs: Math.round(coldMs),
      edits: kinds.map(({ kind }) => {
        const stats = (values: number[]) => {
          const sorted = [...values].sort((a, b) => a - b);
          return { medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!), minMs: Math.round(sorted[0]!), maxMs: Math.round(sorted.at(-1)!) };
        };
        return { kind, ...stats(times.get(kind)!), count: times.get(kind)!.length, cpu: stats(cpuTimes.get(kind)!) };
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sharedTexts = new Map<string, string>();
/** The domain file as first written, read once so every edit starts from it. */
function sharedBase(dir: string, domain: number): string {
  const key = `${dir}:${domain}`;
  if (!sharedTexts.has(key)) sharedTexts.set(key, readFileSync(path.join(dir, `shared/domain-${domain}.ts`), "utf8"));
  return sharedTexts.get(key)!;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { services: { type: "string", default: "200" }, edits: { type: "string", default: "20" }, warmup: { type: "string", default: "3" }, debounce: { type: "string", default: "30" } } });
  const figures = await benchWatch({ services: Number(values.services), edits: Number(values.edits), warmup: Number(values.warmup), debounceMs: Number(values.debounce) });
  console.log(JSON.stringify(figures));
}
