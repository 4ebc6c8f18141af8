/**
 * The broker clients are optional: `jamp-gen/runtime` must never load them, only its `amqp` and `stomp`
 * subpaths do. Walks the import graph of the runtime's source from each entry (static imports, type
 * imports and dynamic `import()` alike, since a bundler or a .d.ts follows each) and checks which
 * packages it reaches, and that package.json publishes the subpaths with the clients as optional peers.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");
const brokerClients = ["amqplib", "@stomp/stompjs"];

/** The files an entry reaches through relative imports, and the packages they import. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [path.join(root, entry)];
  const specifiers = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, "");
    for (const [, specifier] of source.matchAll(specifiers)) {
      if (specifier === undefined) continue;
      if (specifier.startsWith(".")) pending.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] as string));
    }
  }
  return { files, packages };
}

const relative = (files: Set<string>): string[] => [...files].map((file) => path.relative(root, file)).sort();

describe("the runtime's import graph", () => {
  it("keeps the broker clients and their transports out of jamp-gen/runtime", () => {
    const { files, packages } = importGraph("src/runtime/index.ts");
    expect(relative(files)).toContain("src/runtime/peer.ts");
    for (const client of brokerClients) expect(packages).not.toContain(client);
    expect(relative(files).filter((file) => /transports\/(amqp|stomp|broker)/.test(file))).toEqual([]);
  });

  it("loads amqplib from jamp-gen/runtime/amqp and @stomp/stompjs from jamp-gen/runtime/stomp, nothing else of theirs", () => {
    const amqp = importGraph("src/runtime/transports/amqp.ts").packages;
    const stomp = importGraph("src/runtime/transports/stomp.ts").packages;
    expect(amqp).toContain("amqplib");
    expect(amqp).not.toContain("@stomp/stompjs");
    expect(stomp).toContain("@stomp/stompjs");
    expect(stomp).not.toContain("amqplib");
  });

  it("publishes both as package.json subpaths, the clients as optional peer dependencies", () => {
    const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      exports: Record<string, { types: string; default: string }>;
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
      devDependencies: Record<string, string>;
    };
    for (const [subpath, source] of [["./runtime/amqp", "amqp"], ["./runtime/stomp", "stomp"]] as const) {
      const target = manifest.exports[subpath];
      expect(target).toEqual({ types: `./dist/runtime/transports/${source}.d.ts`, default: `./dist/runtime/transports/${source}.js` });
      expect(existsSync(path.join(root, `src/runtime/transports/${source}.ts`))).toBe(true);
    }
    for (const client of brokerClients) {
      expect(manifest.dependencies).not.toHaveProperty(client);
      expect(manifest.peerDependencies).toHaveProperty(client);
      expect(manifest.peerDependenciesMeta[client]).toEqual({ optional: true });
      expect(manifest.devDependencies).toHaveProperty(client);
    }
  });
});
