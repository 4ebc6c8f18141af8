/**
 * The monorepo proof: an npm-workspaces repository in a temp folder, built as a user's would be.
 * `packages/api` holds the service interfaces and, generated next to them, their client, server and
 * validators, which it publishes as `@acme/api/generated`; `packages/server` implements the services on
 * the generated skeletons and `packages/web` calls them through the generated clients; project
 * references tie them together for `tsc -b`. One `jamp-gen -c jamp.config.json` at the root generates,
 * `tsc -b` builds, and the built server and client talk over a real WebSocket on 127.0.0.1. Then an
 * interface changes: `--check` fails until jamp-gen runs again, and `tsc -b` fails until the server
 * implements the new method.
 *
 * Nothing comes from the registry: node_modules links the workspace packages as npm would, jamp-gen as
 * link-jamp-gen.ts installs it, and typescript and @types/node from the repository's node_modules.
 * The tests below are the steps of one story, in order.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jampGen, linkJampGen, linkPackage, repo, type Run, run, writeTree } from "./monorepo/link-jamp-gen.js";

const root = mkdtempSync(path.join(tmpdir(), "jamp-gen-monorepo-"));
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const tscB = () => run(process.execPath, [path.join("node_modules", "typescript", "bin", "tsc"), "-b"], root);
const servers: ChildProcess[] = [];

const ordersService = [
  'import type { Money } from "./money.js";',
  "",
  "export interface OrderRequest {",
  "  sku: string;",
  "  /** @minimum 1 */",
  "  quantity: number;",
  "}",
  "",
  "export interface Order {",
  "  id: string;",
  "  sku: string;",
  "  quantity: number;",
  "  total: Money;",
  "  placedAt: Date;",
  "}",
  "",
  "/** Places orders and finds them again. */",
  "export interface Orders {",
  "  place(request: OrderRequest): Promise<Order>;",
  "  find(id: string): Promise<Order | null>;",
  "}",
  "",
].join("\n");

/** Each package compiles on its own, to dist/, under the options generated code promises to meet. */
const base = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    composite: true,
    skipLibCheck: true,
    types: ["node"],
  },
};
const packageConfig = (references: string[]) =>
  json({ extends: "../../tsconfig.base.json", compilerOptions: { rootDir: "src", outDir: "dist" }, include: ["src"], references: references.map((p) => ({ path: p })) });

const files: Record<string, string> = {
  "package.json": json({ name: "acme", private: true, type: "module", workspaces: ["packages/*"] }),
  "tsconfig.base.json": json(base),
  "tsconfig.json": json({ files: [], references: [{ path: "packages/api" }, { path: "packages/server" }, { path: "packages/web" }] }),
  "jamp.config.json": json({ entries: [{ name: "api", input: ["packages/api/src/*.ts"], out: "packages/api/src/generated", tsconfig: "packages/api/tsconfig.json" }] }),

  "packages/api/package.json": json({
    name: "@acme/api",
    version: "1.0.0",
    type: "module",
    exports: {
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./generated": { types: "./dist/generated/index.d.ts", default: "./dist/generated/index.js" },
    },
    dependencies: { "jamp-gen": "*" },
  }),
  "packages/api/tsconfig.json": packageConfig([]),
  "packages/api/src/index.ts": 'export type { Catalog } from "./catalog.js";\nexport type { Money } from "./money.js";\nexport type { Order, OrderRequest, Orders } from "./orders.js";\n',
  "packages/api/src/money.ts": '/** An amount in a currency\'s minor units. */\nexport interface Money {\n  /** @integer */\n  cents: number;\n  currency: "EUR" | "USD";\n}\n',
  "packages/api/src/catalog.ts": 'import type { Money } from "./money.js";\n\n/** What can be ordered, at what price. */\nexport interface Catalog {\n  price(sku: string): Promise<Money>;\n}\n',
  "packages/api/src/orders.ts": ordersService,

  "packages/server/package.json": json({ name: "@acme/server", version: "1.0.0", type: "module", dependencies: { "@acme/api": "1.0.0", "jamp-gen": "*" } }),
  "packages/server/tsconfig.json": packageConfig(["../api"]),
  "packages/server/src/main.ts": `import { JampError, listen } from "jamp-gen/runtime";
import type { Money, Order, OrderRequest } from "@acme/api";
import { CatalogSkeleton, OrdersSkeleton, serveCatalog, serveOrders } from "@acme/api/generated";

const prices: Record<string, Money> = { tea: { cents: 450, currency: "EUR" } };

class Catalog extends CatalogSkeleton {
  async price(sku: string): Promise<Money> {
    const price = prices[sku];
    if (!price) throw new JampError("unknown-product", \`no product '\${sku}'\`);
    return price;
  }
}

class Orders extends OrdersSkeleton {
  readonly #orders = new Map<string, Order>();
  constructor(private readonly catalog: Catalog) {
    super();
  }
  async place(request: OrderRequest): Promise<Order> {
    const unit = await this.catalog.price(request.sku);
    const total: Money = { cents: unit.cents * request.quantity, currency: unit.currency };
    const order: Order = { id: \`o-\${this.#orders.size + 1}\`, ...request, total, placedAt: new Date(Date.UTC(2026, 10, 21, 12)) };
    this.#orders.set(order.id, order);
    return order;
  }
  async find(id: string): Promise<Order | null> {
    return this.#orders.get(id) ?? null;
  }
}

const catalog = new Catalog();
const server = await listen({ port: 0, services: [serveCatalog(catalog), serveOrders(new Orders(catalog))] });
console.log(\`listening on \${server.url}\`);
`,

  "packages/web/package.json": json({ name: "@acme/web", version: "1.0.0", type: "module", dependencies: { "@acme/api": "1.0.0", "jamp-gen": "*" } }),
  "packages/web/tsconfig.json": packageConfig(["../api"]),
  "packages/web/src/main.ts": `import { connect, isJampError } from "jamp-gen/runtime";
import { CatalogClient, OrdersClient } from "@acme/api/generated";

const url = process.argv[2];
if (!url) throw new Error("usage: node dist/main.js <ws://…>");
const failure = (error: unknown) => (isJampError(error) ? error.type : String(error));
const peer = await connect(url);
try {
  const orders = new OrdersClient(peer);
  const catalog = new CatalogClient(peer);
  const order = await orders.place({ sku: "tea", quantity: 3 });
  const found = await orders.find(order.id);
  const unknown = await catalog.price("coffee").then(() => "answered", failure);
  const invalid = await orders.place({ sku: "tea", quantity: 0 }).then(() => "answered", failure);
  console.log(JSON.stringify({ id: order.id, total: order.total, placedAt: found?.placedAt instanceof Date ? found.placedAt.toISOString() : null, unknown, invalid }));
} finally {
  peer.close();
}
`,
};

/** Starts the built server; resolves with its URL once it listens. */
function startServer(): Promise<string> {
  const server = spawn(process.execPath, ["packages/server/dist/main.js"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  servers.push(server);
  return new Promise((resolve, reject) => {
    let output = "";
    const failed = () => reject(new Error(`the server stopped before listening:\n${output}`));
    server.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) resolve(url);
    });
    server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.on("exit", failed);
  });
}

/** The first `jamp-gen -c`, run while the runtime builds: generating needs no runtime, and the two take seconds each. */
let firstRun: Run;

beforeAll(async () => {
  writeTree(root, files);
  for (const name of ["api", "server", "web"]) linkPackage(root, `@acme/${name}`, `packages/${name}`);
  for (const name of ["typescript", "@types/node"]) linkPackage(root, name, path.relative(root, path.join(repo, "node_modules", name)));
  [firstRun] = await Promise.all([jampGen(root, "-c", "jamp.config.json"), linkJampGen(root)]);
}, 90_000);

afterAll(() => {
  for (const server of servers) server.kill();
  rmSync(root, { recursive: true, force: true });
});

describe("an npm-workspaces monorepo", { timeout: 60_000 }, () => {
  it("generates with one jamp-gen -c at the root, and tsc -b builds every package", async () => {
    expect(firstRun.stderr).toBe("");
    // Each service's four files, index.ts, and the module of money.ts, whose Money both services reach.
    expect(firstRun.stdout).toMatch(/2 services, 3 methods → 10 files in packages\/api\/src\/generated \(10 written\)/);
    const client = readFileSync(path.join(root, "packages/api/src/generated/orders.client.ts"), "utf8");
    // The interfaces are in this package: generated code takes them relatively, and publishes them compiled.
    expect(client).toContain('import type { Order, OrderRequest, Orders } from "../orders.js";');

    const build = await tscB();
    expect(build.stdout + build.stderr).toBe("");
    expect(build.code).toBe(0);
  });

  it("runs the built server and web client, which talk over a WebSocket on 127.0.0.1", async () => {
    const url = await startServer();
    const web = await run(process.execPath, ["packages/web/dist/main.js", url], root);
    expect(web.stderr).toBe("");
    expect(JSON.parse(web.stdout)).toEqual({
      id: "o-1",
      total: { cents: 1350, currency: "EUR" },
      placedAt: "2026-11-21T12:00:00.000Z",
      unknown: "unknown-product",
      invalid: "invalid-arguments",
    });
  });

  it("makes --check fail after an interface changes, naming the stale files, until jamp-gen runs again", async () => {
    const withCancel = ordersService.replace("  find(id: string): Promise<Order | null>;\n", "  find(id: string): Promise<Order | null>;\n  cancel(id: string): Promise<boolean>;\n");
    writeFileSync(path.join(root, "packages/api/src/orders.ts"), withCancel);
    const stale = await jampGen(root, "-c", "jamp.config.json", "--check");
    expect(stale.code).toBe(1);
    for (const file of ["orders.client.ts", "orders.schema.json", "orders.server.ts", "orders.validate.ts"]) {
      expect(stale.stderr).toMatch(new RegExp(`stale +packages/api/src/generated/${file.replaceAll(".", "\\.")}`));
    }
    expect(stale.stderr).not.toMatch(/catalog\./);

    expect((await jampGen(root, "-c", "jamp.config.json")).code).toBe(0);
    const current = await jampGen(root, "-c", "jamp.config.json", "--check");
    expect(current.stderr).toBe("");
    expect(current.code).toBe(0);
  });

  it("fails tsc -b until the server implements the new method, naming it", async () => {
    const broken = await tscB();
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).toMatch(/packages\/server\/src\/main\.ts\(\d+,\d+\): error TS2515: Non-abstract class 'Orders' does not implement inherited abstract member '?cancel'? from class 'OrdersSkeleton'/);

    const main = path.join(root, "packages/server/src/main.ts");
    const cancel = "  async cancel(id: string): Promise<boolean> {\n    return this.#orders.delete(id);\n  }\n}\n\nconst catalog";
    writeFileSync(main, readFileSync(main, "utf8").replace("}\n\nconst catalog", cancel));
    const fixed = await tscB();
    expect(fixed.stdout + fixed.stderr).toBe("");
    expect(fixed.code).toBe(0);
  });
});
