// Loaded with `node --import ./bench/child-resources.mjs` into each child the generation bench times: when
// the process exits (however it exits: tsc and jamp-gen call process.exit), it writes one JSON line with
// its peak resident set size and the CPU time it used to the file descriptor JAMP_BENCH_RESOURCES_FD names.
import { writeSync } from "node:fs";

const fd = Number(process.env.JAMP_BENCH_RESOURCES_FD);
if (Number.isInteger(fd) && fd > 2) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    // maxRSS is in kilobytes; the CPU times in microseconds.
    const line = { maxRssBytes: usage.maxRSS * 1024, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
    try {
      writeSync(fd, `${JSON.stringify(line)}\n`);
    } catch {
      // The bench went away; nothing to report to.
    }
  });
}
