// `npm run demo`: generates stubs from the fixtures with the built CLI, as a user would run it, then
// runs examples/demo.ts: a server and a client talking JAMP over a WebSocket on 127.0.0.1.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function run(label, command, args) {
  console.log(`$ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run("jamp-gen fixtures/calculator/calculator.ts fixtures/inventory/*.ts -o generated", process.execPath, [
  "bin/jamp-gen",
  "fixtures/calculator/calculator.ts",
  "fixtures/inventory/*.ts",
  "-o",
  "generated",
]);
run("tsx examples/demo.ts", process.execPath, ["--import", "tsx", "examples/demo.ts"]);
