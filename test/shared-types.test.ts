/**
 * The validators of shared types, written once (README "How it is built"): a type declared in a file
 * other than the service's goes to the module of its file under `shared/`, which service modules and the
 * modules of other files import. Checked on fixtures/shared-types: two services, types in four other
 * files (two of the same name in different folders, a generic, two files whose types refer to each
 * other) and a type of one service's file that the other service reaches.
 */
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { generate, Generator, type GeneratedFile, type GenerateOptions } from "../src/pipeline.js";
import { writeFiles } from "../src/writer/write.js";
import { project, removeProjects } from "./support/generated-project.js";

const root = path.resolve(import.meta.dirname, "..");
const fixture = path.join(root, "fixtures", "shared-types");
const inputs = ["billing.ts", "shipping.ts"];

afterAll(removeProjects);

/** A copy of the fixture's sources in a temp folder, so it can be edited and its output written there. */
function copy(): string {
  const dir = project({});
  for (const name of [...inputs, "types", "legacy"]) cpSync(path.join(fixture, name), path.join(dir, name), { recursive: true });
  return dir;
}

const byPath = (files: readonly GeneratedFile[]) => new Map(files.map((f) => [f.path, f.contents]));

describe("modules of shared types", () => {
  it("declare each shared type's functions once in the whole output, and the services import them", async () => {
    const { files, diagnostics } = await generate({ inputs, outDir: "out", cwd: copy() });
    expect(diagnostics).toEqual([]);
    const code = files.filter((f) => f.path.endsWith(".ts"));
    const declaring = (fn: string) => code.filter((f) => f.contents.includes(`function ${fn}(`)).map((f) => f.path);
    expect(declaring("$Invoice")).toEqual(["shared/types/ledger.validate.ts"]);
    expect(declaring("$Customer")).toEqual(["shared/types/party.validate.ts"]);
    expect(declaring("$Money")).toEqual(["shared/types/money.validate.ts"]);
    expect(declaring("$OldMoney")).toEqual(["shared/legacy/money.validate.ts"]);
    expect(declaring("$Page_Invoice")).toEqual(["shared/types/page.validate.ts"]);
    // A type of a service's own file stays in its module, and goes to its file's module too when another service reaches it.
    expect(declaring("$Parcel")).toEqual(["shared/shipping.validate.ts", "shipping.validate.ts"]);
    expect(declaring("$Receipt")).toEqual(["billing.validate.ts"]);
    const billing = byPath(files).get("billing.validate.ts")!;
    expect(billing).toMatch(/import \{\s*\$Invoice,\s*\$is\$Invoice,\s*encode\$Invoice,\s*revive\$Invoice,\s*\} from "\.\/shared\/types\/ledger\.validate\.js";/);
    expect(billing).toMatch(/import \{[^}]*\brevive\$Parcel\b[^}]*\} from "\.\/shared\/shipping\.validate\.js";/);
    // The schema documents stay whole: every type a service reaches is in its `$defs`.
    const schema = JSON.parse(byPath(files).get("billing.schema.json")!) as { $defs: Record<string, unknown> };
    expect(Object.keys(schema.$defs).sort()).toEqual(["Customer", "Invoice", "InvoiceLine", "Money", "OldMoney", "Page_Invoice", "Parcel", "Receipt"]);
  });

  it("end their imports of each other as the project's imports end", async () => {
    const dir = copy();
    for (const [importExtension, end] of [["", ""], [".ts", ".ts"]] as const) {
      const files = byPath((await generate({ inputs, outDir: "out", cwd: dir, importExtension })).files);
      expect(files.get("shared/types/ledger.validate.ts")).toContain(`from "./party.validate${end}";`);
      expect(files.get("shipping.validate.ts")).toContain(`from "./shared/types/party.validate${end}";`);
    }
  });

  it("follow the schema options", async () => {
    const files = byPath((await generate({ inputs, outDir: "out", cwd: copy(), schema: { unknownProperties: "allow" } })).files);
    const money = files.get("shared/types/money.validate.ts")!;
    expect(money).not.toContain("additional property");
    expect(byPath((await generate({ inputs, outDir: "out", cwd: copy() })).files).get("shared/types/money.validate.ts")).toContain("additional property");
  });

  // Node's own module loader (through tsx), not the test runner's: a module of a cycle reading an import
  // before that module ran would throw here as it would in an application.
  it.each(["shared/types/party.validate.ts", "shared/types/ledger.validate.ts", "billing.validate.ts"])(
    "validate and convert through an import cycle of two modules, loaded first through %s",
    async (first) => {
      const dir = copy();
      const runtime = pathToFileURL(path.join(root, "src", "runtime", "index.ts")).href;
      const { files } = await generate({ inputs, outDir: "out", cwd: dir, runtime });
      await writeFiles(path.join(dir, "out"), files);
      writeFileSync(
        path.join(dir, "check.mts"),
        `await import(${JSON.stringify(pathToFileURL(path.join(dir, "out", first)).href)});
const { billingService } = await import(${JSON.stringify(pathToFileURL(path.join(dir, "out", "billing.validate.ts")).href)});
const money = { cents: 100, currency: "EUR" };
const person = { id: "c1", name: "Ann", email: "ann@example.com", since: "2026-01-02T03:04:05.000Z", vip: false, street: "Main 1", city: "Utrecht", country: "NL", tags: [] };
const older = { id: "i0", number: 0, customer: person, lines: [], total: money, issuedAt: "2025-12-01T00:00:00.000Z", dueAt: null, paid: true };
const invoice = { id: "i1", number: 1, customer: { ...person, invoices: [older] }, lines: [{ sku: "a", quantity: 1, price: money }], total: money, issuedAt: "2026-02-03T00:00:00.000Z", dueAt: null, paid: false };
const { result, reviveResult, encodeResult } = billingService.methods.invoice;
const issues = [];
const valid = result(invoice, "", issues);
const bad = JSON.parse(JSON.stringify(invoice));
bad.customer.invoices[0].total.currency = "GBP";
const badIssues = [];
result(bad, "", badIssues);
const revived = reviveResult(JSON.parse(JSON.stringify(invoice)));
const encoded = encodeResult(revived);
console.log(JSON.stringify({ valid, issues, badIssues: badIssues.map((i) => i.path), since: revived.customer.since instanceof Date, nested: revived.customer.invoices[0].issuedAt instanceof Date, back: JSON.stringify(encoded) === JSON.stringify(invoice) }));
`,
      );
      const child = spawnSync(process.execPath, ["--import", "tsx", path.join(dir, "check.mts")], { cwd: root, encoding: "utf8", timeout: 60_000 });
      expect(child.stderr).toBe("");
      expect(JSON.parse(child.stdout)).toEqual({ valid: true, issues: [], badIssues: ["/customer/invoices/0/total/currency"], since: true, nested: true, back: true });
    },
    60_000,
  );
});

describe("in watch mode", () => {
  it("re-emit the modules a change reaches, and give the bytes a fresh run gives", { timeout: 60_000 }, async () => {
    const dir = copy();
    const options: GenerateOptions = { inputs, outDir: "out", cwd: dir };
    const generator = new Generator(options);
    const first = await generator.run();
    expect(first.shared).toEqual(["legacy/money.ts", "shipping.ts", "types/ledger.ts", "types/money.ts", "types/page.ts", "types/party.ts"]);
    const edits: { what: string; file: string; text: (before: string) => string; emitted: string[]; shared: string[] }[] = [
      { what: "a method added to a service", file: "billing.ts", text: (t) => t.replace("ship(", "ping(): Promise<string>;\n  ship("), emitted: ["Billing"], shared: [] },
      // Both services reach Money (Shipping through Customer's invoices), and so do the types of every module but OldMoney's.
      { what: "a member added to a shared type", file: "types/money.ts", text: (t) => t.replace("cents: number;", "cents: number;\n  note?: string;"), emitted: ["Billing", "Shipping"], shared: ["shipping.ts", "types/ledger.ts", "types/money.ts", "types/page.ts", "types/party.ts"] },
      { what: "a shared type no longer reached from another file", file: "billing.ts", text: (t) => t.replace("convert(amount: OldMoney): Promise<Money>;", ""), emitted: ["Billing"], shared: [] },
      { what: "a shared type's file no longer reached from another file", file: "shipping.ts", text: (t) => t.replace("fee(parcel: Parcel): Promise<OldMoney>;", ""), emitted: ["Shipping"], shared: [] },
    ];
    for (const edit of edits) {
      const file = path.join(dir, edit.file);
      writeFileSync(file, edit.text(readFileSync(file, "utf8")));
      const incremental = await generator.run([file]);
      expect(incremental.diagnostics, edit.what).toEqual([]);
      expect(incremental.files, edit.what).toEqual((await generate(options)).files);
      expect(incremental.emitted, edit.what).toEqual(edit.emitted);
      expect(incremental.shared, edit.what).toEqual(edit.shared);
    }
    // OldMoney is reached by no service now: its module is gone.
    expect(byPath((await generate(options)).files).has("shared/legacy/money.validate.ts")).toBe(false);
  });
});
