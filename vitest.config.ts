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
  },
});
