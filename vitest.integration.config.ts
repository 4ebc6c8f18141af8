import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * `npm run test:integration`: the suites that need real servers, files named `*.integration.test.ts`. Each
 * server is started once per run by its own globalSetup file, and stopped by it whatever the tests did.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/**/*.integration.test.ts"],
    exclude: ["**/node_modules/**"],
    globalSetup: ["test/integration/prosody.global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
