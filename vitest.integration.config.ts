import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:integration`: the suites that need more than Node (a browser, a broker), each in a file
// named `*.integration.test.ts`, which `npm test` leaves out.
export default defineConfig({
  resolve: {
    alias: { "jamp-gen/runtime": fileURLToPath(new URL("./src/runtime/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.integration.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
