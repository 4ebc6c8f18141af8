/**
 * What the RPC group calls: `add(a, b)` on the generated calculator, and `echo(order)` of an order of about
 * 2 KB on the `Mirror` service of echo-service.ts, whose client and server jamp-gen generates into a
 * temporary folder when the bench starts (`generateMirror`), as a user's build would.
 */

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate } from "../src/index.js";
import type { Peer, ServiceBinding } from "../src/runtime/index.js";
import type { Mirror, Order } from "./echo-service.js";

export type Call = "add" | "echo";

/** The order every echo call sends, with its own `seq`: 10 lines, 2 KB or so of JSON. */
export const orderTemplate: Order = {
  id: "ord-2026-000417",
  seq: 0,
  status: "paid",
  customer: {
    name: "Ada Lovelace",
    email: "ada@example.com",
    address: { street: "12 St James's Square", city: "London", postcode: "SW1Y 4JH", country: "GB" },
  },
  lines: Array.from({ length: 10 }, (_, i) => ({
    sku: `SKU-${String(1000 + i * 37)}`,
    description: `Brass gear wheel, ${12 + i} teeth, for the difference engine`,
    quantity: 1 + (i % 4),
    price: 3.5 + i * 1.25,
    tags: ["brass", i % 2 === 0 ? "gear" : "spare", "engine"],
  })),
  total: 292.5,
  note: "Deliver to the side entrance; the engine room is on the first floor.",
};

export const orderBytes = JSON.stringify(orderTemplate).length;

/** The order of call `i`. */
export function orderOf(i: number): Order {
  return { ...orderTemplate, seq: i };
}

export interface MirrorModule {
  readonly MirrorClient: new (peer: Peer) => Mirror;
  readonly serveMirror: (impl: Mirror) => ServiceBinding;
}

/**
 * Generates the `Mirror` client and server into a fresh folder and returns it; `loadMirror` imports them
 * (here and in the server process). Throws with the diagnostics if generation fails.
 */
export async function generateMirror(): Promise<string> {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const result = await generate({
    inputs: ["bench/echo-service.ts"],
    outDir: ".",
    cwd: root,
    emit: ["client", "server"],
  });
  if (result.files.length === 0) {
    throw new Error(`jamp-gen could not generate the Mirror service: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  }
  const folder = mkdtempSync(join(tmpdir(), "jamp-bench-mirror-"));
  // The generated files import the interface's types from `../echo-service.js` (types only, erased).
  for (const file of result.files) {
    const path = join(folder, "out", file.path);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, file.contents);
  }
  return join(folder, "out");
}

export async function loadMirror(folder: string): Promise<MirrorModule> {
  const client = (await import(pathToFileURL(join(folder, "mirror.client.ts")).href)) as Pick<MirrorModule, "MirrorClient">;
  const server = (await import(pathToFileURL(join(folder, "mirror.server.ts")).href)) as Pick<MirrorModule, "serveMirror">;
  return { MirrorClient: client.MirrorClient, serveMirror: server.serveMirror };
}

export function removeMirror(folder: string): void {
  rmSync(join(folder, ".."), { recursive: true, force: true });
}
