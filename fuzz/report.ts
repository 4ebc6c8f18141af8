/** The fuzz run's report: a Markdown table per format, then the server's figures and what must be 0. */

import type { ServerStats } from "./server.js";

export interface FormatFigures {
  readonly name: string;
  readonly frames: number;
  readonly seconds: number;
  readonly answers: number;
  /** Answer messages by type: `reply`, `stream-result`, `stream-complete`, or an error's type. */
  readonly byType: ReadonlyMap<string, number>;
  /** Connections the server closed, by close code. */
  readonly closes: ReadonlyMap<number, number>;
  readonly unreadable: number;
  readonly stalls: number;
  /** The server's largest RSS sampled while this format's frames were sent. */
  readonly peakRss: number;
}

export interface RunFigures {
  readonly command: string;
  readonly formats: readonly FormatFigures[];
  readonly wallSeconds: number;
  readonly crashes: number;
  readonly before: ServerStats;
  readonly after: ServerStats;
  readonly peakRss: number;
}

const number = (n: number): string => Math.round(n).toLocaleString("en-US");
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** `a 3, b 1`, the most frequent first; past `most` entries, the rest as `N others (M)`. */
function byCount<K>(map: ReadonlyMap<K, number>, most = Infinity): string {
  const sorted = [...map].sort(([a, x], [b, y]) => y - x || String(a).localeCompare(String(b)));
  const shown = sorted.slice(0, most).map(([key, n]) => `${JSON.stringify(String(key)).slice(1, -1)} ${number(n)}`);
  const rest = sorted.slice(most);
  if (rest.length > 0) shown.push(`${rest.length} others ${number(rest.reduce((sum, [, n]) => sum + n, 0))}`);
  return shown.join(", ");
}

/** What must be 0, by name; the run fails unless every one is. */
export function failures(run: RunFigures): Record<string, number> {
  const { after } = run;
  return {
    "server crashes": run.crashes,
    "unhandled rejections": after.unhandledRejections,
    "uncaught exceptions": after.uncaughtExceptions,
    "bugs reported (a cause that is no JampError)": after.bugs,
    "answers no format reads": run.formats.reduce((sum, f) => sum + f.unreadable, 0),
    "stalls (a marker query unanswered for a minute)": run.formats.reduce((sum, f) => sum + f.stalls, 0),
  };
}

export function reportMarkdown(run: RunFigures): string {
  const lines = [
    `\`${run.command}\`: ${number(run.wallSeconds)} s of fuzzing, wall time.`,
    "",
    "| format | frames | frames/s | answer frames | answers by type (a batch's answer holds one per entry) | " +
      "connections closed by the server | server RSS peak |",
    "|---|--:|--:|--:|---|---|--:|",
    ...run.formats.map((f) => {
      const closes = f.closes.size === 0 ? "none" : byCount(new Map([...f.closes].map(([c, n]) => [`code ${c}`, n])));
      const rate = number(f.frames / f.seconds);
      const answers = `${number(f.answers)} | ${byCount(f.byType)}`;
      return `| ${f.name} | ${number(f.frames)} | ${rate} | ${answers} | ${closes} | ${mib(f.peakRss)} |`;
    }),
    "",
    "| server | |",
    "|---|--:|",
    ...Object.entries(failures(run)).map(([name, n]) => `| ${name} | ${number(n)} |`),
    `| RSS after warm-up (after GC) | ${mib(run.before.rss)} |`,
    `| RSS after the run (after GC) | ${mib(run.after.rss)} (${growth(run.before.rss, run.after.rss)}) |`,
    `| RSS at its peak (sampled each second) | ${mib(run.peakRss)} |`,
    `| heap used after warm-up, after the run | ${mib(run.before.heapUsed)}, ${mib(run.after.heapUsed)} |`,
    `| server CPU time | ${(run.after.cpuSeconds - run.before.cpuSeconds).toFixed(1)} s |`,
    "",
    `Reported to the server's \`onError\`, by type: ${byCount(new Map(run.after.reported), 8)}.`,
  ];
  return lines.join("\n");
}

function growth(before: number, after: number): string {
  const percent = ((after - before) / before) * 100;
  return `${percent >= 0 ? "+" : ""}${percent.toFixed(1)}%`;
}
