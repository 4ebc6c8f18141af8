/**
 * The validation bench's workload: an order document, its JSON Schema and the documents it is checked
 * against. The schema is what jamp-gen emits (`$defs` of `orders.schema.json`) for these types:
 *
 * ```ts
 * export interface Money { amount: number; currency: "EUR" | "USD" }
 * export interface ProductLine {
 *   kind: "product";
 *   /** @pattern ^[A-Z]{3}-\d{4,6}$ *\/ sku: string;
 *   /** @integer @minimum 1 *\/ quantity: number;
 *   price: Money;
 *   note?: string;
 * }
 * export interface ServiceLine {
 *   kind: "service";
 *   /** @pattern ^SRV-[0-9]{3}$ *\/ code: string;
 *   /** @minimum 0 *\/ hours: number;
 *   rate?: Money;
 * }
 * export interface DiscountLine {
 *   kind: "discount";
 *   /** @exclusiveMinimum 0 @maximum 100 *\/ percent: number;
 *   reason?: string;
 * }
 * export type LineItem = ProductLine | ServiceLine | DiscountLine;
 * export interface Address {
 *   street: string;
 *   city: string;
 *   /** @pattern ^[0-9]{5}$ *\/ postalCode: string;
 *   /** @pattern ^[A-Z]{2}$ *\/ country: string;
 * }
 * export interface Customer {
 *   /** @pattern ^C[0-9]{6}$ *\/ id: string;
 *   name: string;
 *   /** @format email *\/ email: string;
 *   phone?: string;
 *   billing: Address;
 *   shipping?: Address;
 * }
 * export interface Order {
 *   /** @pattern ^ORD-[0-9]{8}$ *\/ id: string;
 *   createdAt: Date;
 *   dueAt?: Date;
 *   status: "draft" | "placed" | "paid" | "shipped";
 *   customer: Customer;
 *   lines: LineItem[];
 *   total: Money;
 *   notes?: string;
 * }
 * ```
 *
 * Documents are made by a seeded generator and pass through `JSON.stringify`/`JSON.parse`, so they are
 * what a server receives: the same every run, with the shapes (optional members present or not) varying
 * from line to line as real data does.
 */
import type { JsonSchema } from "../src/validators/compile.js";

export const orderDefs: Readonly<Record<string, JsonSchema>> = {
  Address: {
    type: "object",
    properties: {
      street: { type: "string" },
      city: { type: "string" },
      postalCode: { type: "string", pattern: "^[0-9]{5}$" },
      country: { type: "string", pattern: "^[A-Z]{2}$" },
    },
    required: ["street", "city", "postalCode", "country"],
    additionalProperties: false,
  },
  Customer: {
    type: "object",
    properties: {
      id: { type: "string", pattern: "^C[0-9]{6}$" },
      name: { type: "string" },
      email: { type: "string", format: "email" },
      phone: { type: "string" },
      billing: { $ref: "#/$defs/Address" },
      shipping: { $ref: "#/$defs/Address" },
    },
    required: ["id", "name", "email", "billing"],
    additionalProperties: false,
  },
  DiscountLine: {
    type: "object",
    properties: {
      kind: { const: "discount" },
      percent: { type: "number", exclusiveMinimum: 0, maximum: 100 },
      reason: { type: "string" },
    },
    required: ["kind", "percent"],
    additionalProperties: false,
  },
  LineItem: {
    oneOf: [{ $ref: "#/$defs/ProductLine" }, { $ref: "#/$defs/ServiceLine" }, { $ref: "#/$defs/DiscountLine" }],
    discriminator: { propertyName: "kind" },
  } as JsonSchema,
  Money: {
    type: "object",
    properties: { amount: { type: "number" }, currency: { enum: ["EUR", "USD"] } },
    required: ["amount", "currency"],
    additionalProperties: false,
  },
  Order: {
    type: "object",
    properties: {
      id: { type: "string", pattern: "^ORD-[0-9]{8}$" },
      createdAt: { type: "string", format: "date-time" },
      dueAt: { type: "string", format: "date-time" },
      status: { enum: ["draft", "placed", "paid", "shipped"] },
      customer: { $ref: "#/$defs/Customer" },
      lines: { type: "array", items: { $ref: "#/$defs/LineItem" } },
      total: { $ref: "#/$defs/Money" },
      notes: { type: "string" },
    },
    required: ["id", "createdAt", "status", "customer", "lines", "total"],
    additionalProperties: false,
  },
  ProductLine: {
    type: "object",
    properties: {
      kind: { const: "product" },
      sku: { type: "string", pattern: "^[A-Z]{3}-\\d{4,6}$" },
      quantity: { type: "integer", minimum: 1 },
      price: { $ref: "#/$defs/Money" },
      note: { type: "string" },
    },
    required: ["kind", "sku", "quantity", "price"],
    additionalProperties: false,
  },
  ServiceLine: {
    type: "object",
    properties: {
      kind: { const: "service" },
      code: { type: "string", pattern: "^SRV-[0-9]{3}$" },
      hours: { type: "number", minimum: 0 },
      rate: { $ref: "#/$defs/Money" },
    },
    required: ["kind", "code", "hours"],
    additionalProperties: false,
  },
};

/** The root every contender checks: one order. */
export const orderRoot: JsonSchema = { $ref: "#/$defs/Order" };

/** Line items per order. */
export const LINES_PER_ORDER = 20;

// ---------------------------------------------------------------------------------------------------------
// Documents

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** mulberry32: a small seeded generator, so every run checks the same documents. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");
const LETTERS = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"];
const CITIES = ["Lyon", "Leipzig", "Porto", "Gent", "Bologna", "Tampere"];
const STREETS = ["Rue de la Paix 3", "Hauptstraße 12", "Rua Augusta 201", "Korenmarkt 7"];
const FIRST = ["ana", "jan", "li", "marie", "omar", "sofia"];

function order(seed: number): JsonObject {
  const next = random(seed);
  const int = (below: number): number => Math.floor(next() * below);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number): boolean => next() < p;
  const currency = pick(["EUR", "USD"] as const);
  const money = (amount: number): JsonObject => ({ amount: Math.round(amount * 100) / 100, currency });
  const address = (): JsonObject => ({
    street: pick(STREETS),
    city: pick(CITIES),
    postalCode: pad(int(100000), 5),
    country: pick(["FR", "DE", "PT", "BE", "IT", "FI"]),
  });

  const lines: JsonObject[] = [];
  let total = 0;
  for (let i = 0; i < LINES_PER_ORDER; i++) {
    const roll = next();
    if (roll < 0.6) {
      const quantity = 1 + int(12);
      const price = 1 + next() * 200;
      total += quantity * price;
      const line: JsonObject = {
        kind: "product",
        sku: `${pick(LETTERS)}${pick(LETTERS)}${pick(LETTERS)}-${pad(int(1_000_000), 4 + int(3))}`,
        quantity,
        price: money(price),
      };
      if (chance(0.3)) line["note"] = "gift wrap";
      lines.push(line);
    } else if (roll < 0.85) {
      const hours = Math.round(next() * 160) / 4;
      const line: JsonObject = { kind: "service", code: `SRV-${pad(int(1000), 3)}`, hours };
      if (chance(0.5)) line["rate"] = money(40 + next() * 80);
      lines.push(line);
    } else {
      const line: JsonObject = { kind: "discount", percent: 1 + int(30) };
      if (chance(0.5)) line["reason"] = "loyalty";
      lines.push(line);
    }
  }

  const day = 1 + int(28);
  const customer: JsonObject = {
    id: `C${pad(int(1_000_000), 6)}`,
    name: `${pick(FIRST)} ${pick(["Silva", "Meyer", "Rossi", "Martin"])}`,
    email: `${pick(FIRST)}.${pad(int(1000), 3)}@mail.example.com`,
    billing: address(),
  };
  if (chance(0.5)) customer["phone"] = `+33 6 ${pad(int(100_000_000), 8)}`;
  if (chance(0.4)) customer["shipping"] = address();
  const result: JsonObject = {
    id: `ORD-${pad(int(100_000_000), 8)}`,
    createdAt: `2026-${pad(1 + int(12), 2)}-${pad(day, 2)}T${pad(int(24), 2)}:${pad(int(60), 2)}:${pad(int(60), 2)}.${pad(int(1000), 3)}Z`,
    status: pick(["draft", "placed", "paid", "shipped"] as const),
    customer,
    lines,
    total: money(total),
  };
  if (chance(0.5)) result["dueAt"] = `2027-01-${pad(day, 2)}T12:00:00+01:00`;
  if (chance(0.3)) result["notes"] = "leave at the door";
  return result;
}

/** A copy as a server gets it from the wire. */
function wire(value: Json): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** `count` valid orders, the same every run. */
export function validOrders(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => wire(order(1000 + i)));
}

/** An invalid document and the JSON pointer where its one fault is. */
export interface Invalid {
  readonly what: string;
  readonly document: unknown;
  readonly at: string;
}

/** Breaks one thing in an order; returns what and where, or undefined if the order has no place for it. */
type Fault = (order: JsonObject) => { what: string; at: string } | undefined;

/** The first line of `kind` at index `from` or later. */
function lineOf(order: JsonObject, kind: string, from: number): [JsonObject, number] | undefined {
  const lines = order["lines"] as JsonObject[];
  for (let i = from; i < lines.length; i++) if (lines[i]!["kind"] === kind) return [lines[i]!, i];
  return undefined;
}

/** Faults deep inside the document, in line items from the 12th on: the bench's invalid workload. */
const deepFaults: readonly Fault[] = [
  (o) => {
    const [line, i] = lineOf(o, "product", 12) ?? [];
    if (line === undefined) return undefined;
    (line["price"] as JsonObject)["currency"] = "GBP";
    return { what: "currency not in the enum", at: `/lines/${i}/price/currency` };
  },
  (o) => {
    const [line, i] = lineOf(o, "product", 14) ?? [];
    if (line === undefined) return undefined;
    line["sku"] = "AB-12345";
    return { what: "sku not matching its pattern", at: `/lines/${i}/sku` };
  },
  (o) => {
    const [line, i] = lineOf(o, "product", 16) ?? [];
    if (line === undefined) return undefined;
    line["quantity"] = 0;
    return { what: "quantity below its minimum", at: `/lines/${i}/quantity` };
  },
  (o) => {
    const [line, i] = lineOf(o, "discount", 11) ?? [];
    if (line === undefined) return undefined;
    line["percent"] = 120;
    return { what: "percent above its maximum", at: `/lines/${i}/percent` };
  },
  (o) => {
    const [line, i] = lineOf(o, "service", 13) ?? [];
    if (line === undefined) return undefined;
    line["hours"] = "8";
    return { what: "hours a string", at: `/lines/${i}/hours` };
  },
  (o) => {
    const [line, i] = lineOf(o, "product", 18) ?? [];
    if (line === undefined) return undefined;
    line["quantity"] = 2.5;
    return { what: "quantity not an integer", at: `/lines/${i}/quantity` };
  },
];

/** `count` orders, each with one fault deep in its line items, cycling through the kinds of fault. */
export function invalidOrders(count: number): Invalid[] {
  const out: Invalid[] = [];
  for (let seed = 5000; out.length < count; seed++) {
    const document = order(seed);
    const fault = deepFaults[out.length % deepFaults.length]!(document);
    if (fault !== undefined) out.push({ ...fault, document: wire(document) });
  }
  return out;
}

/** More faults, one per document, for the agreement check before the bench: every rule is exercised. */
const otherFaults: readonly Fault[] = [
  (o) => {
    (o["customer"] as JsonObject)["email"] = "ana.silva@";
    return { what: "email without a domain", at: "/customer/email" };
  },
  (o) => {
    (o["customer"] as JsonObject)["email"] = "ana silva@mail.example.com";
    return { what: "email with a space", at: "/customer/email" };
  },
  (o) => {
    ((o["customer"] as JsonObject)["billing"] as JsonObject)["postalCode"] = "1234";
    return { what: "postal code too short", at: "/customer/billing/postalCode" };
  },
  (o) => {
    (o["customer"] as JsonObject)["shipping"] = { street: "x", city: "y", postalCode: "12345", country: "fr" };
    return { what: "lower-case country", at: "/customer/shipping/country" };
  },
  (o) => {
    delete (o["customer"] as JsonObject)["name"];
    return { what: "customer without a name", at: "/customer" };
  },
  (o) => {
    (o["customer"] as JsonObject)["vip"] = true;
    return { what: "customer with an extra property", at: "/customer" };
  },
  (o) => {
    o["createdAt"] = "2026-02-30T10:00:00Z";
    return { what: "date-time on February 30", at: "/createdAt" };
  },
  (o) => {
    o["createdAt"] = "2026-02-03T25:00:00Z";
    return { what: "date-time at hour 25", at: "/createdAt" };
  },
  (o) => {
    o["dueAt"] = "2026-02-03";
    return { what: "date-time without a time", at: "/dueAt" };
  },
  (o) => {
    o["status"] = "lost";
    return { what: "status not in the enum", at: "/status" };
  },
  (o) => {
    o["id"] = "ORD-1234567";
    return { what: "order id too short", at: "/id" };
  },
  (o) => {
    const [line, i] = lineOf(o, "product", 3) ?? [];
    if (line === undefined) return undefined;
    line["kind"] = "refund";
    return { what: "unknown line kind", at: `/lines/${i}/kind` };
  },
  (o) => {
    const [line, i] = lineOf(o, "product", 2) ?? [];
    if (line === undefined) return undefined;
    delete line["price"];
    return { what: "product line without a price", at: `/lines/${i}` };
  },
  (o) => {
    const [line, i] = lineOf(o, "service", 5) ?? [];
    if (line === undefined) return undefined;
    line["code"] = "SRV-12";
    return { what: "service code too short", at: `/lines/${i}/code` };
  },
  (o) => {
    const [line, i] = lineOf(o, "service", 6) ?? [];
    if (line === undefined) return undefined;
    line["hours"] = -1;
    return { what: "negative hours", at: `/lines/${i}/hours` };
  },
  (o) => {
    const [line, i] = lineOf(o, "service", 7) ?? [];
    if (line === undefined) return undefined;
    line["rate"] = { amount: 50, currency: "EUR", vat: 0.2 };
    return { what: "rate with an extra property", at: `/lines/${i}/rate` };
  },
  (o) => {
    const [line, i] = lineOf(o, "discount", 8) ?? [];
    if (line === undefined) return undefined;
    line["percent"] = 0;
    return { what: "percent at its exclusive minimum", at: `/lines/${i}/percent` };
  },
  (o) => {
    const [line, i] = lineOf(o, "discount", 9) ?? [];
    if (line === undefined) return undefined;
    line["sku"] = "ABC-1234";
    return { what: "discount line with a product's member", at: `/lines/${i}` };
  },
  (o) => {
    (o["total"] as JsonObject)["amount"] = "12.50";
    return { what: "total amount a string", at: "/total/amount" };
  },
  (o) => {
    o["lines"] = {};
    return { what: "lines not an array", at: "/lines" };
  },
  (o) => {
    (o["lines"] as Json[])[0] = null;
    return { what: "a null line", at: "/lines/0" };
  },
];

/** Every fault, deep or not, each in an order of its own. */
export function agreementFaults(): Invalid[] {
  const out: Invalid[] = [];
  [...deepFaults, ...otherFaults].forEach((fault, k) => {
    for (let seed = 9000 + 100 * k; ; seed++) {
      const document = order(seed);
      const found = fault(document);
      if (found === undefined) continue;
      out.push({ ...found, document: wire(document) });
      break;
    }
  });
  return out;
}

/** Valid documents at the edges of the rules, for the agreement check. */
export function agreementEdges(): unknown[] {
  const base = order(777);
  const edges: JsonObject[] = [];
  const variant = (change: (o: JsonObject) => void): void => {
    const copy = wire(base) as JsonObject;
    change(copy);
    edges.push(copy);
  };
  variant((o) => (o["lines"] = []));
  variant((o) => {
    (o["lines"] as Json[]).push({ kind: "discount", percent: 100 }, { kind: "service", code: "SRV-000", hours: 0 });
    (o["lines"] as Json[]).push({ kind: "product", sku: "ZZZ-123456", quantity: 2.0, price: { amount: -1.5, currency: "USD" } });
  });
  variant((o) => {
    o["createdAt"] = "2024-02-29T23:59:59+14:00";
    o["dueAt"] = "2026-12-31t00:00:00.123456z";
  });
  variant((o) => ((o["customer"] as JsonObject)["email"] = "o'brien+orders@sub.mail-host.example"));
  return edges.map((edge) => wire(edge));
}
