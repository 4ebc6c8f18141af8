/**
 * The bench's server process (the default mode of run.ts): starts the RPC group's servers, with the generated
 * `Mirror` service from the folder given as its argument, prints their URLs as one JSON line, then obeys line
 * commands on stdin: `gc` collects garbage and answers `gc-done`; `cpu` answers the CPU time this process has
 * used so far, in microseconds (user and system); `heap` collects garbage and answers the bytes of heap in use. It exits when stdin closes, so it never
 * outlives the bench.
 */

import { createInterface } from "node:readline";
import { loadMirror } from "./rpc-workloads.js";
import { startServers } from "./servers.js";

const folder = process.argv[2];
if (folder === undefined) throw new Error("usage: server-process.ts <folder of the generated Mirror service>");
const servers = await startServers(await loadMirror(folder));
process.stdout.write(`${JSON.stringify(servers.urls)}\n`);

const gc = (globalThis as { gc?: () => void }).gc;
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line === "gc") {
    gc?.();
    process.stdout.write("gc-done\n");
  } else if (line === "heap") {
    gc?.();
    process.stdout.write(`${process.memoryUsage().heapUsed}\n`);
  } else if (line === "cpu") {
    const used = process.cpuUsage();
    process.stdout.write(`${used.user + used.system}\n`);
  }
});
lines.on("close", () => {
  void servers.close().finally(() => process.exit(0));
});
