// The published shape: packs the package as `npm publish` would, checks what the tarball holds, installs it
// into a fresh ESM project (its dependencies from the registry), generates stubs there with the installed
// CLI, compiles them with that project's own tsc under strict NodeNext options, and runs a client and a
// server on 127.0.0.1 through them. Slow and needs the registry, so it is `npm run test:pack`, not `npm test`.
// Ends with a plain "N passed, N failed" line; exits non-zero when anything failed.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(path.join(tmpdir(), "jamp-gen-pack-"));
const started = Date.now();
let passed = 0;
let failed = 0;

function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${!ok && detail ? `\n     ${detail.split("\n").join("\n     ")}` : ""}`);
  return ok;
}

/** Runs a command without a shell, bounded in time; resolves with its output whatever its exit code. */
function run(cmd, args, { cwd, timeout = 120_000 } = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout, maxBuffer: 32 * 1024 * 1024, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      resolve({ ok: !error, code: error ? (error.killed ? "timeout" : error.code) : 0, stdout, stderr });
    });
  });
}

const show = (r) => `exit ${r.code}\n${(r.stderr || r.stdout).trim().slice(-3000)}`;
const write = (dir, name, text) => {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), text);
};

async function main() {
  // 1. Build, then pack exactly what `files` selects (the build already ran, so no second `prepare`).
  const build = await run("npm", ["run", "build"], { cwd: root });
  if (!check("npm run build", build.ok, show(build))) return;
  const packDir = path.join(work, "pack");
  mkdirSync(packDir);
  const pack = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", packDir], { cwd: root });
  if (!check("npm pack", pack.ok, show(pack))) return;
  const info = JSON.parse(pack.stdout)[0];
  const tarball = path.join(packDir, info.filename);
  const files = info.files.map((f) => f.path).sort();
  const modes = new Map(info.files.map((f) => [f.path, f.mode]));
  const tops = {};
  for (const f of files) tops[f.split("/")[0]] = (tops[f.split("/")[0]] ?? 0) + 1;
  console.log(`tarball ${info.filename}: ${(info.size / 1024).toFixed(1)} kB packed, ${(info.unpackedSize / 1024).toFixed(1)} kB unpacked, ${files.length} files`);
  console.log(`  by top-level entry: ${Object.entries(tops).map(([k, n]) => `${k} ${n}`).join(", ")}`);
  for (const f of files.filter((f) => !f.startsWith("dist/"))) console.log(`  ${f}`);
  const maps = files.filter((f) => f.endsWith(".map"));
  console.log(`  dist/: ${files.filter((f) => f.endsWith(".js")).length} .js, ${files.filter((f) => f.endsWith(".d.ts")).length} .d.ts, ${maps.length} source maps`);
  // src/ is not packed, so a shipped map is only useful to a debugger if it carries its sources.
  const sourceless = maps.filter((m) => {
    const map = JSON.parse(readFileSync(path.join(root, m), "utf8"));
    return !Array.isArray(map.sourcesContent) || map.sourcesContent.some((c) => typeof c !== "string");
  });
  check("every shipped source map carries its sources (src/ is not packed)", sourceless.length === 0, sourceless.join("\n"));

  const allowed = new Set(["bin", "dist", "templates", "schema", "README.md", "package.json"]);
  const stray = files.filter((f) => !allowed.has(f.split("/")[0]));
  check("only bin/, dist/, templates/, schema/, README.md and package.json are packed", stray.length === 0, stray.join("\n"));
  check("the configuration schema is packed", files.includes("schema/jamp.config.schema.json"), "");
  const distOther = files.filter((f) => f.startsWith("dist/") && !/\.(js|d\.ts|js\.map|d\.ts\.map)$/.test(f));
  check("dist/ holds only JS, .d.ts and source maps", distOther.length === 0, distOther.join("\n"));
  const testFiles = files.filter((f) => /(^|\/)(test|tests|__tests__|fixtures|bench)\/|\.(test|spec)\.[cm]?[jt]s/.test(f));
  check("no test, fixture or bench files", testFiles.length === 0, testFiles.join("\n"));
  const js = files.filter((f) => f.startsWith("dist/") && f.endsWith(".js"));
  const untyped = js.filter((f) => !files.includes(f.replace(/\.js$/, ".d.ts")));
  check("every dist/*.js has its .d.ts", js.length > 0 && untyped.length === 0, untyped.join("\n"));

  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const targets = [];
  for (const bin of Object.values(typeof pkg.bin === "string" ? { [pkg.name]: pkg.bin } : pkg.bin ?? {})) targets.push(bin);
  const walk = (v) => (typeof v === "string" ? targets.push(v) : Object.values(v ?? {}).forEach(walk));
  walk(pkg.exports);
  const missing = targets.map((t) => t.replace(/^\.\//, "")).filter((t) => !files.includes(t));
  check("every bin and exports target is packed", missing.length === 0, missing.join("\n"));
  const bins = Object.values(typeof pkg.bin === "string" ? { x: pkg.bin } : pkg.bin ?? {}).map((b) => b.replace(/^\.\//, ""));
  check("bin files are executable", bins.every((b) => (modes.get(b) ?? 0) & 0o111), bins.map((b) => `${b} ${(modes.get(b) ?? 0).toString(8)}`).join("\n"));
  const templates = [];
  const list = (dir) => {
    for (const e of readdirSync(path.join(root, dir))) {
      const rel = `${dir}/${e}`;
      if (statSync(path.join(root, rel)).isDirectory()) list(rel);
      else templates.push(rel);
    }
  };
  list("templates");
  const lostTemplates = templates.filter((t) => !files.includes(t));
  check("every template is packed", templates.length > 0 && lostTemplates.length === 0, lostTemplates.join("\n"));

  // 2. A fresh ESM project that installs the tarball as a user would.
  const app = path.join(work, "app");
  write(app, "package.json", JSON.stringify({ name: "pack-test-app", version: "1.0.0", private: true, type: "module" }, null, 2) + "\n");
  const install = await run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--no-package-lock", tarball, "typescript@~5.9.3", "@types/node@^20"],
    { cwd: app, timeout: 300_000 },
  );
  if (!check("npm install of the tarball (with typescript, @types/node)", install.ok, show(install))) return;

  const version = await run("npx", ["--no-install", "jamp-gen", "--version"], { cwd: app, timeout: 60_000 });
  check("npx jamp-gen --version prints the package version", version.ok && version.stdout.trim() === pkg.version, show(version));
  const api = await run(
    "node",
    ["--input-type=module", "-e", 'const m = await import("jamp-gen"); const r = await import("jamp-gen/runtime"); console.log(typeof m.generate, typeof r.listen, typeof r.connect);'],
    { cwd: app, timeout: 60_000 },
  );
  check('"jamp-gen" and "jamp-gen/runtime" import from the installed package', api.ok && api.stdout.trim() === "function function function", show(api));

  write(
    app,
    "src/greeter.ts",
    [
      "/** Greets people. */",
      "export interface Greeter {",
      "  /** A query: answered by a reply. */",
      "  greet(name: string, times?: number): Promise<Greeting>;",
      "  /** A send: one-way. */",
      "  wave(who: string): void;",
      "}",
      "",
      "export interface Greeting {",
      "  text: string;",
      "  at: Date;",
      "}",
      "",
    ].join("\n"),
  );
  const gen = await run("npx", ["--no-install", "jamp-gen", "src/*.ts", "-o", "src/generated"], { cwd: app, timeout: 120_000 });
  check("npx jamp-gen src/*.ts -o src/generated", gen.ok, show(gen));
  const generated = existsSync(path.join(app, "src/generated")) ? readdirSync(path.join(app, "src/generated")).sort() : [];
  const expected = ["greeter.client.ts", "greeter.schema.json", "greeter.server.ts", "greeter.validate.ts", "index.ts"];
  check("it writes the client, server, schema, validators and index", expected.every((f) => generated.includes(f)), generated.join(", "));

  write(
    app,
    "src/app/main.ts",
    `import { connect, isJampError, listen } from "jamp-gen/runtime";
import { GreeterClient, serveGreeter } from "../generated/index.js";
import type { Greeter, Greeting } from "../greeter.js";

const at = new Date(Date.UTC(2026, 10, 21, 12, 0, 0));
const waves: string[] = [];
const greeter: Greeter = {
  async greet(name, times = 1) {
    return { text: Array.from({ length: times }, () => \`Hello, \${name}!\`).join(" "), at };
  },
  wave(who) {
    waves.push(who);
  },
};

const guard = setTimeout(() => {
  console.error("timed out");
  process.exit(3);
}, 15_000);
const server = await listen({ host: "127.0.0.1", port: 0, services: [serveGreeter(greeter)] });
const peer = await connect(\`ws://127.0.0.1:\${server.port}\`);
try {
  const client = new GreeterClient(peer);
  const reply: Greeting = await client.greet("pack", 2, { timeout: 5_000 });
  if (!(reply.at instanceof Date)) throw new Error(\`at is not a Date: \${typeof reply.at}\`);
  if (reply.at.getTime() !== at.getTime()) throw new Error(\`at is \${reply.at.toISOString()}\`);
  if (reply.text !== "Hello, pack! Hello, pack!") throw new Error(\`text is \${reply.text}\`);
  client.wave("you");
  const until = Date.now() + 5_000;
  while (waves.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  if (waves.join() !== "you") throw new Error(\`waves: \${waves.join()}\`);
  const bad = await (client.greet as (...a: unknown[]) => Promise<Greeting>)(42).then(
    () => "no error",
    (e: unknown) => (isJampError(e) ? e.type : String(e)),
  );
  if (bad !== "invalid-arguments") throw new Error(\`untyped call gave \${bad}\`);
  console.log(JSON.stringify({ text: reply.text, at: reply.at.toISOString(), waves }));
} finally {
  peer.close();
  await server.close();
  clearTimeout(guard);
}
`,
  );
  write(
    app,
    "tsconfig.json",
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2023"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noImplicitOverride: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          noImplicitReturns: true,
          verbatimModuleSyntax: true,
          isolatedModules: true,
          skipLibCheck: false,
          types: ["node"],
          rootDir: "src",
          outDir: "dist",
        },
        include: ["src"],
      },
      null,
      2,
    ) + "\n",
  );
  const tsc = await run("npx", ["--no-install", "tsc", "-p", "tsconfig.json"], { cwd: app, timeout: 180_000 });
  check("the project's own tsc compiles it (strict, NodeNext, skipLibCheck off)", tsc.ok, show(tsc));
  if (!tsc.ok) return;
  const t0 = Date.now();
  const exec = await run("node", ["dist/app/main.js"], { cwd: app, timeout: 30_000 });
  check(`the compiled app serves and calls Greeter over 127.0.0.1 (${Date.now() - t0} ms)`, exec.ok, show(exec));
  let out = {};
  try {
    out = JSON.parse(exec.stdout.trim().split("\n").at(-1) ?? "{}");
  } catch {}
  check("the reply's Date was revived and the send arrived", out.at === "2026-11-21T12:00:00.000Z" && out.waves?.[0] === "you", exec.stdout);
}

try {
  await main();
} catch (error) {
  check("the pack test ran to the end", false, String(error?.stack ?? error));
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`pack test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`pack: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
