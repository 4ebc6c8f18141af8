/**
 * The demo: implements the two fixture services, serves them over a WebSocket on 127.0.0.1 and calls
 * them through the generated clients, printing each call and its result. Run it with `npm run demo`.
 */
import { connect, isJampError, listen } from "jamp-gen/runtime";
import type { Calculator, Entry } from "../fixtures/calculator/calculator.js";
import type { Inventory, Item, Reservation, ReservationReceipt } from "../fixtures/inventory/inventory.js";
import { CalculatorClient, InventoryClient, InventorySkeleton, serveCalculator, serveInventory } from "../generated/index.js";
import { JampError } from "jamp-gen/runtime";

function createCalculator(): Calculator {
  const entries: Entry[] = [];
  const record = (op: Entry["op"], a: number, b: number, result: number) => {
    entries.unshift({ op, a, b, result, at: new Date() });
    return result;
  };
  return {
    add: async (a, b) => record("add", a, b, a + b),
    divide: async (a, b) => {
      if (b === 0) throw new JampError("division-by-zero", `cannot divide ${a} by zero`);
      return record("divide", a, b, a / b);
    },
    history: async (limit) => entries.slice(0, limit ?? entries.length),
    reset: () => {
      entries.length = 0;
    },
  };
}

class Warehouse extends InventorySkeleton implements Inventory {
  readonly #items = new Map<string, Item>([
    ["TL-0042", { sku: "TL-0042", name: "Claw hammer", category: "tools", state: "active", price: { amount: 1299, currency: "EUR" }, onHand: 3, tags: ["steel"], locations: [{ aisle: "B", shelf: 2 }], lastRestocked: null, supplier: { name: "Forge & Co", contact: null } }],
  ]);

  async getItem(sku: string): Promise<Item | null> {
    return this.#items.get(sku) ?? null;
  }
  async listItems(): Promise<Item[]> {
    return [...this.#items.values()];
  }
  async restock(sku: string, quantity: number): Promise<Item> {
    const item = this.#items.get(sku);
    if (!item) throw new JampError("unknown-sku", `no item ${sku}`);
    item.onHand += quantity;
    item.lastRestocked = new Date();
    return item;
  }
  async reserve(request: Reservation): Promise<ReservationReceipt> {
    return { id: `R-${request.orderId}`, reservedAt: new Date(), lines: request.lines, status: "held" };
  }
  release(): void {}
}

async function show(label: string, call: () => Promise<unknown>): Promise<void> {
  try {
    console.log(`${label} → ${JSON.stringify(await call())}`);
  } catch (error) {
    if (!isJampError(error)) throw error;
    console.log(`${label} → rejected: JampError ${error.type}: ${error.message}`);
  }
}

const server = await listen({ port: 0, services: [serveCalculator(createCalculator()), serveInventory(new Warehouse())] });
console.log(`server listening on ${server.url}`);
const peer = await connect(server.url);
try {
  const calc = new CalculatorClient(peer);
  await show("calc.add(1, 2)", () => calc.add(1, 2));
  await show("calc.divide(10, 4)", () => calc.divide(10, 4));
  await show("calc.divide(1, 0)", () => calc.divide(1, 0));
  const history = await calc.history(1);
  console.log(`calc.history(1) → [0].at is a ${history[0]?.at.constructor.name}: ${history[0]?.at.toISOString()}`);
  calc.reset();
  console.log("calc.reset() → sent (one-way, no reply)");
  await show("calc.history()", () => calc.history());
  await show('calc.add("1", 2) through an untyped path', () => (calc.add as (a: unknown, b: unknown) => Promise<number>)("1", 2));

  const inventory = new InventoryClient(peer);
  await show('inventory.getItem("TL-0042")', () => inventory.getItem("TL-0042").then((i) => i && `${i.name}, ${i.onHand} on hand`));
  await show('inventory.restock("TL-0042", 5)', async () => {
    const item = await inventory.restock("TL-0042", 5);
    return `${item.onHand} on hand, restocked at a ${item.lastRestocked?.constructor.name}`;
  });
  await show('inventory.restock("XX-1", 1)', () => inventory.restock("XX-1", 1));
  await show("inventory.reserve({...})", () => inventory.reserve({ orderId: "1001", lines: [{ sku: "TL-0042", quantity: 2 }], until: new Date(Date.now() + 3_600_000) }).then((r) => r.status));
} finally {
  await peer.close();
  await server.close();
}
console.log("done");
