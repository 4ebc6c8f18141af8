import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * `npm run test:integration`: the tests against real servers and a real browser,
 * `test/**\/*.integration.test.ts`, which `npm test` leaves out. Each server they need is started once per
 * run by its own globalSetup file, and stopped by it whatever the tests did.
 */
export default defineConfig({
  resolve: base.resolve,
  test: {
    include: ["test/**/*.integration.test.ts"],
    globalSetup: ["test/integration/rabbitmq.setup.ts", "test/integration/prosody.global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The files share the servers and two cores: one at a time keeps the load tests' timings honest.
    fileParallelism: false,
  },
});
