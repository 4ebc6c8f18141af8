/**
 * A synthetic project for the generation and watch benchmarks: `services` service files with
 * cross-file imports, nested types, unions (discriminated and not), optional fields and enums, in the
 * shape real service folders have.
 *
 *   shared/common.ts        enums and small types every service uses
 *   shared/domain-<k>.ts    one per 10 services: entities importing common.ts and domain-0.ts
 *   services/service-<i>.ts one interface each, importing its domain file, common.ts, and the previous
 *                           service's own request type (so an edit ripples to a neighbour)
 *
 * The same `services` count always gives the same bytes, so runs compare.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface SyntheticProject {
  /** The service files, relative to the project's folder. */
  services: string[];
  /** Every file written, relative to the project's folder. */
  files: string[];
}

export function writeSyntheticProject(dir: string, services: number): SyntheticProject {
  const files = new Map<string, string>();
  files.set("shared/common.ts", common());
  const domains = Math.max(1, Math.ceil(services / 10));
  for (let k = 0; k < domains; k++) files.set(`shared/domain-${k}.ts`, domain(k));
  const serviceFiles: string[] = [];
  for (let i = 0; i < services; i++) {
    const file = `services/service-${i}.ts`;
    files.set(file, service(i));
    serviceFiles.push(file);
  }
  for (const [file, text] of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    `${JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true }, include: ["shared", "services"] }, null, 2)}\n`,
  );
  return { services: serviceFiles, files: [...files.keys()] };
}

/** The text `service-<i>.ts` gets after the `edit`-th one-method edit, as a watch benchmark makes it. */
export function editedService(i: number, edit: number): string {
  return service(i).replace(/}\n$/, `  /** Added by edit ${edit}. */\n  extra${edit}(note: string, limit?: number): Promise<Status>;\n}\n`);
}

function common(): string {
  return `/** A money amount in minor units. */
export interface Money {
  /** @minimum 0 */
  amount: number;
  currency: "EUR" | "USD" | "GBP";
}

export enum Status {
  Active = "active",
  Suspended = "suspended",
  Closed = "closed",
}

export enum Priority {
  Low,
  Normal,
  High,
}

export interface Audit {
  createdAt: Date;
  updatedAt?: Date;
  by: string;
}

export type Id = string;
`;
}

function domain(k: number): string {
  // Every domain builds on domain 0's entity: a cross-file import without making each service reach all types.
  const previous = k > 0 ? `import type { Entity0 } from "./domain-0.js";\n` : "";
  const parent = k > 0 ? `  parent?: Entity0;\n` : "";
  return `import type { Audit, Id, Money, Priority, Status } from "./common.js";
${previous}
/** Entity ${k}: nested values, optional fields and a discriminated union. */
export interface Entity${k} {
  id: Id;
  name: string;
  status: Status;
  priority: Priority;
  price: Money;
  tags: string[];
  audit: Audit;
  lines: Line${k}[];
  shape: Shape${k};
  note?: string | null;
${parent}}

export interface Line${k} {
  sku: string;
  /** @minimum 1 */
  quantity: number;
  price: Money;
  options?: Record<string, string>;
}

export type Shape${k} =
  | { kind: "circle"; radius: number }
  | { kind: "rect"; width: number; height: number }
  | { kind: "label"; text: string; size?: number };

export type Lookup${k} = { byId: Id } | { byName: string; exact?: boolean };
`;
}

function service(i: number): string {
  const k = Math.floor(i / 10);
  const previous = i > 0 ? `import type { Request${i - 1} } from "./service-${i - 1}.js";\n` : "";
  const chain = i > 0 ? `  /** Forwards a neighbour's request. */\n  forward(request: Request${i - 1}): Promise<boolean>;\n` : "";
  return `import type { Id, Money, Status } from "../shared/common.js";
import type { Entity${k}, Lookup${k}, Shape${k} } from "../shared/domain-${k}.js";
${previous}
export interface Request${i} {
  lookup: Lookup${k};
  limit?: number;
  after?: Id;
}

export interface Page${i} {
  items: Entity${k}[];
  next: Id | null;
  total: number;
}

/** Service ${i}. */
export interface Service${i} {
  /** Finds entities. */
  find(request: Request${i}): Promise<Page${i}>;
  get(id: Id): Promise<Entity${k} | null>;
  price(id: Id, currency?: Money["currency"]): Promise<Money>;
  reshape(id: Id, shape: Shape${k}): Promise<Entity${k}>;
  setStatus(id: Id, status: Status): void;
${chain}}
`;
}
