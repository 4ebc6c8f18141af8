/**
 * The generated inventory service (nested named types, optional members, unions of literals,
 * `T | null`, Dates inside arguments and results) over a real WebSocket on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Item, ItemFilter, Reservation, ReservationReceipt } from "../../fixtures/inventory/inventory.js";
import { InventoryClient, inventoryResultValidators, InventorySkeleton, serveInventory } from "../../fixtures/inventory/expected/index.js";
import { connect, isJampError, listen, type Peer, type Server } from "jamp-gen/runtime";

const hammer: Item = {
  sku: "TL-0042",
  name: "Claw hammer",
  category: "tools",
  state: "active",
  price: { amount: 1299, currency: "EUR" },
  onHand: 3,
  tags: ["steel"],
  locations: [{ aisle: "B", shelf: 2 }],
  lastRestocked: null,
  supplier: { name: "Forge & Co", contact: null },
};

class Warehouse extends InventorySkeleton {
  readonly received: unknown[] = [];
  readonly released: string[] = [];
  async getItem(sku: string): Promise<Item | null> {
    return sku === hammer.sku ? hammer : null;
  }
  async listItems(filter?: ItemFilter): Promise<Item[]> {
    this.received.push(filter);
    return filter?.category === "garden" ? [] : [hammer];
  }
  async restock(sku: string, quantity: number, note?: string | null): Promise<Item> {
    this.received.push(note);
    return { ...hammer, sku, onHand: hammer.onHand + quantity, lastRestocked: new Date("2026-11-20T08:30:00Z") };
  }
  async reserve(request: Reservation): Promise<ReservationReceipt> {
    this.received.push(request.until);
    return { id: `R-${request.orderId}`, reservedAt: request.until, lines: request.lines, status: "held" };
  }
  release(reservationId: string): void {
    this.released.push(reservationId);
  }
}

let warehouse: Warehouse;
let server: Server;
let peer: Peer;
let inventory: InventoryClient;

beforeAll(async () => {
  warehouse = new Warehouse();
  server = await listen({ port: 0, services: [serveInventory(warehouse)] });
  peer = await connect(server.url);
  inventory = new InventoryClient(peer, undefined, { validateResults: inventoryResultValidators });
});

afterAll(async () => {
  peer.close();
  await server.close();
});

describe("generated Inventory over WebSocket", () => {
  it("serves at the address from its @address tag", async () => {
    expect(await peer.query("/warehouse/inventory", "getItem", ["nope"])).toBeNull();
  });

  it("returns a nested item, and null for T | null", async () => {
    expect(await inventory.getItem("TL-0042")).toEqual(hammer);
    expect(await inventory.getItem("XX-0000")).toBeNull();
  });

  it("revives a Date inside an argument before the handler sees it, and inside the result", async () => {
    const until = new Date("2026-12-24T18:00:00.000Z");
    const receipt = await inventory.reserve({ orderId: "1001", lines: [{ sku: "TL-0042", quantity: 2 }], until });
    expect(warehouse.received.at(-1)).toBeInstanceOf(Date);
    expect((warehouse.received.at(-1) as Date).toISOString()).toBe(until.toISOString());
    expect(receipt.reservedAt).toBeInstanceOf(Date);
    expect(receipt.reservedAt.getTime()).toBe(until.getTime());
  });

  it("revives a Date | null member when it holds a date", async () => {
    const item = await inventory.restock("TL-0042", 5);
    expect(item.lastRestocked).toBeInstanceOf(Date);
    expect(item.onHand).toBe(8);
  });

  it("keeps null and left-out apart for an optional nullable parameter", async () => {
    await inventory.restock("TL-0042", 1, null);
    expect(warehouse.received.at(-1)).toBeNull();
    await inventory.restock("TL-0042", 1);
    expect(warehouse.received.at(-1)).toBeUndefined();
  });

  it("passes an optional object parameter, or none", async () => {
    expect(await inventory.listItems({ category: "garden", states: ["active"] })).toEqual([]);
    expect(await inventory.listItems()).toHaveLength(1);
    expect(warehouse.received.at(-1)).toBeUndefined();
  });

  it("rejects a wrong literal and an unknown property deep inside an argument, with their paths", async () => {
    const bad = { category: "toys", minOnHand: 1, colour: "red" } as unknown as ItemFilter;
    const error = await inventory.listItems(bad).catch((e: unknown) => e);
    expect(isJampError(error) && error.type).toBe("invalid-arguments");
    const issues = (error as { data: { issues: { path: string; keyword: string }[] } }).data.issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "/0/category", keyword: "enum" }),
        expect.objectContaining({ path: "/0", keyword: "additionalProperties" }),
      ]),
    );
  });

  it("delivers a one-way send", async () => {
    inventory.release("R-1001");
    await inventory.getItem("TL-0042"); // in order on one connection: the send has been handled
    expect(warehouse.released).toEqual(["R-1001"]);
  });
});
