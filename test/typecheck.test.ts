import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

it("compiles every fixture's generated code under the strictest compiler options", async () => {
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  const result = await promisify(execFile)(process.execPath, [tsc, "-p", path.join(root, "test", "typecheck", "tsconfig.json")], { cwd: root }).then(
    () => "",
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  expect(result).toBe("");
}, 120_000);
