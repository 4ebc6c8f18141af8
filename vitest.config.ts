import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Generated code imports the runtime by its published name; tests run it from source.
    alias: { "jamp-gen/runtime": fileURLToPath(new URL("./src/runtime/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.integration.test.ts"],
    testTimeout: 20_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Most files wait on
    // sockets and child processes, so a worker per core runs them in 185 s there instead of 261 s.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
