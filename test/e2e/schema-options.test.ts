/**
 * The project's schema options at run time, through the committed golden output of the `option-*`
 * fixtures over a loopback pair: unknown properties refused (`reject`, the default: `fixtures/inventory`),
 * passed through (`allow`) or removed by the receiver at any depth (`strip`), and unions without a
 * discriminator emitted as `oneOf`, which refuses a value matching two members.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createLoopbackPair, isJampError, Peer, type ServiceBinding } from "jamp-gen/runtime";
import { InventoryClient, serveInventory } from "../../fixtures/inventory/expected/index.js";
import type { Inventory, Reservation, ReservationReceipt } from "../../fixtures/inventory/inventory.js";
import { CatalogClient, CatalogSkeleton, serveCatalog } from "../../fixtures/option-strip/expected/index.js";
import type { Category, Event, Item, Shape } from "../../fixtures/option-strip/catalog.js";
import { RegistryClient, registryResultValidators, RegistrySkeleton, serveRegistry } from "../../fixtures/option-allow/expected/index.js";
import type { Person, Pet } from "../../fixtures/option-allow/registry.js";
import { DirectoryClient, DirectorySkeleton, serveDirectory } from "../../fixtures/option-oneof/expected/index.js";
import type { Contact, Handle } from "../../fixtures/option-oneof/directory.js";
import { rejection } from "../support/rejection.js";

const peers: Peer[] = [];

afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
});

function connectTo(binding: ServiceBinding): Peer {
  const [clientEnd, serverEnd] = createLoopbackPair();
  peers.push(new Peer(serverEnd, { address: "/server", services: [binding] }));
  const peer = new Peer(clientEnd, { address: "/client/test" });
  peers.push(peer);
  return peer;
}

/** The `[path, keyword, message]` of each issue of an `invalid-arguments` error. */
function issuesOf(error: unknown): [string, string, string][] {
  if (!isJampError(error)) throw new Error(`expected a JampError, got ${String(error)}`);
  const { issues } = error.data as { issues: { path: string; keyword: string; message: string }[] };
  return issues.map((i) => [i.path, i.keyword, i.message]);
}

/** Adds a property no type names: the callers below pass what TypeScript would refuse. */
function withExtra<T extends object>(value: T, extra: unknown = "surplus"): T {
  return { ...value, extra } as T;
}

describe("unknownProperties: reject (the default)", () => {
  it("answers invalid-arguments naming the unknown property, and the handler never runs", async () => {
    let calls = 0;
    const impl = {
      reserve: async (): Promise<ReservationReceipt> => {
        calls++;
        return { id: "r1", reservedAt: new Date(), lines: [], status: "held" };
      },
    } as unknown as Inventory;
    const inventory = new InventoryClient(connectTo(serveInventory(impl)));
    const request: Reservation = { orderId: "o1", lines: [withExtra({ sku: "TL-1", quantity: 1 })], until: new Date() };
    const error = await rejection(inventory.reserve(request));
    expect(error.type).toBe("invalid-arguments");
    expect(issuesOf(error)).toEqual([["/0/lines/0", "additionalProperties", "must NOT have additional property 'extra'"]]);
    expect(calls).toBe(0);
  });
});

describe("unknownProperties: allow (fixtures/option-allow)", () => {
  it("hands unknown properties to the handler untouched, at any depth, and back to the caller", async () => {
    const received: unknown[] = [];
    class Registry extends RegistrySkeleton {
      async register(person: Person): Promise<Person> {
        received.push(person);
        return person;
      }
      async pets(pets: Pet[]): Promise<Pet[]> {
        received.push(pets);
        return pets;
      }
    }
    const registry = new RegistryClient(connectTo(serveRegistry(new Registry())), undefined, { validateResults: registryResultValidators });
    const born = new Date("1990-01-02T03:04:05.000Z");
    const home = withExtra({ street: "Main 1", city: "Oslo" }, { floor: 2 });
    const person = withExtra({ name: "Ann", born, addresses: [home], labels: { work: home } });
    expect(await registry.register(person)).toEqual(person);
    expect(received[0]).toEqual(person);
    expect((received[0] as Person).born).toBeInstanceOf(Date);
    const pets: Pet[] = [withExtra({ kind: "cat", lives: 9 }), withExtra({ name: "Rex", legs: 4 })];
    expect(await registry.pets(pets)).toEqual(pets);
    expect(received[1]).toEqual(pets);
  });
});

describe("unknownProperties: strip (fixtures/option-strip)", () => {
  const at = new Date("2026-11-21T12:00:00.000Z");
  const tag = { name: "red", color: "#f00" };
  const item: Item = {
    id: "i1",
    tags: [tag, { name: "blue" }],
    added: at,
    labels: { main: tag, "7": { name: "seven" } },
    position: [3, tag],
    origin: { country: "NO", site: { code: "OSL" } },
  };
  /** `item` with a surplus key on every object, at every depth. */
  const cluttered: Item = withExtra({
    ...item,
    tags: item.tags.map((t) => withExtra(t)),
    labels: { main: withExtra(tag), "7": withExtra({ name: "seven" }) },
    position: [3, withExtra(tag)],
    origin: withExtra({ country: "NO", site: withExtra({ code: "OSL" }) }),
  });

  class Catalog extends CatalogSkeleton {
    received: unknown[] = [];
    /** What the handlers answer: cluttered too, so the client's reviver has something to strip. */
    answer: unknown;
    async put(value: Item): Promise<Item> {
      this.received.push(value);
      return (this.answer ?? value) as Item;
    }
    async tree(root: Category): Promise<Category> {
      this.received.push(root);
      return this.answer as Category;
    }
    async apply(events: Event[]): Promise<number> {
      this.received.push(events);
      return events.length;
    }
    async resize(shape: Shape | null): Promise<Shape | null> {
      this.received.push(shape);
      return this.answer as Shape | null;
    }
    notify(event: Event): void {
      this.received.push(event);
    }
  }

  function setup() {
    const impl = new Catalog();
    return { impl, catalog: new CatalogClient(connectTo(serveCatalog(impl))) };
  }

  it("removes unknown keys before the handler sees them: in arrays, records, tuples and nested objects", async () => {
    const { impl, catalog } = setup();
    impl.answer = cluttered;
    const result = await catalog.put(cluttered);
    expect(impl.received).toEqual([item]);
    expect((impl.received[0] as Item).added).toBeInstanceOf(Date);
    // The server answered the cluttered item: the client's reviver strips it too.
    expect(result).toEqual(item);
    expect(Object.hasOwn(result, "extra")).toBe(false);
  });

  it("strips every level of a recursive type, both ways", async () => {
    const { impl, catalog } = setup();
    const leaf = (label: string): Category => ({ label, children: [] });
    const tree: Category = { label: "root", children: [{ label: "a", children: [leaf("a1")] }, leaf("b")] };
    const clutter = (c: Category): Category => withExtra({ label: c.label, children: c.children.map(clutter) });
    impl.answer = clutter(tree);
    expect(await catalog.tree(clutter(tree))).toEqual(tree);
    expect(impl.received).toEqual([tree]);
  });

  it("strips each member of a discriminated union by its own keys, in queries and sends", async () => {
    const { impl, catalog } = setup();
    const events: Event[] = [
      { kind: "created", item },
      { kind: "removed", id: "i0", at },
    ];
    expect(await catalog.apply([withExtra({ kind: "created", item: cluttered }), withExtra(events[1]!)])).toBe(2);
    catalog.notify(withExtra(events[1]!));
    await catalog.apply([]);
    expect(impl.received).toEqual([events, events[1], []]);
  });

  it("keeps, in a union without a tag, the keys any member names", async () => {
    const { impl, catalog } = setup();
    impl.answer = withExtra({ width: 2, height: 3 });
    expect(await catalog.resize(withExtra({ radius: 1 }))).toEqual({ width: 2, height: 3 });
    impl.answer = null;
    expect(await catalog.resize(null)).toBeNull();
    expect(impl.received).toEqual([{ radius: 1 }, null]);
  });

  it("deletes an own __proto__ key without touching the prototype", async () => {
    const { impl, catalog } = setup();
    impl.answer = { label: "r", children: [] };
    const wire = JSON.parse(`{"label":"r","children":[],"__proto__":{"polluted":true}}`) as Category;
    await catalog.tree(wire);
    const [received] = impl.received as Category[];
    expect(received).toEqual({ label: "r", children: [] });
    expect(Object.hasOwn(received!, "__proto__")).toBe(false);
    expect(Object.getPrototypeOf(received)).toBe(Object.prototype);
  });
});

describe("unions: oneOf (fixtures/option-oneof)", () => {
  class Directory extends DirectorySkeleton {
    calls = 0;
    async reach(_handle: Handle, contact: Contact): Promise<Contact[]> {
      this.calls++;
      return [contact];
    }
    draw(): void {
      this.calls++;
    }
  }

  it("accepts a value matching exactly one member", async () => {
    const impl = new Directory();
    const directory = new DirectoryClient(connectTo(serveDirectory(impl)));
    expect(await directory.reach("@ann", { email: "ann@example.com" }, null)).toEqual([{ email: "ann@example.com" }]);
    expect(await directory.reach("ann.com", { phone: "555", ext: 1 }, "hi")).toEqual([{ phone: "555", ext: 1 }]);
    expect(impl.calls).toBe(2);
  });

  it("refuses a value matching two members, which anyOf would accept", async () => {
    const impl = new Directory();
    const directory = new DirectoryClient(connectTo(serveDirectory(impl)));
    const error = await rejection(directory.reach("@ann.com", { email: "ann@example.com" }, null));
    expect(error.type).toBe("invalid-arguments");
    expect(issuesOf(error)).toEqual([["/0", "oneOf", "must match exactly one schema in oneOf"]]);
    expect(impl.calls).toBe(0);
  });
});
