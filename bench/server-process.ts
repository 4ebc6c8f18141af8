/**
 * The bench's server process (the default mode of run.ts): starts the three servers, prints their URLs as
 * one JSON line, then obeys line commands on stdin: `gc` collects garbage and answers `gc-done`. It exits
 * when stdin closes, so it never outlives the bench.
 */

import { createInterface } from "node:readline";
import { startServers } from "./servers.js";

const servers = await startServers();
process.stdout.write(`${JSON.stringify(servers.urls)}\n`);

const gc = (globalThis as { gc?: () => void }).gc;
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line === "gc") {
    gc?.();
    process.stdout.write("gc-done\n");
  }
});
lines.on("close", () => {
  void servers.close().finally(() => process.exit(0));
});
