/**
 * What JSDoc keyword tags, integers, enums and template literal types turn into at run time: the
 * generated clients call the generated servers (the committed golden output) over a loopback pair.
 * Valid samples go through; each spoiler answers `invalid-arguments` naming the JSON pointer and the
 * keyword that failed, and the handler never runs.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createLoopbackPair, isJampError, type JampError, Peer, type ServiceBinding } from "jamp-gen/runtime";
import { CounterClient, counterResultValidators, CounterSkeleton, serveCounter } from "../../fixtures/kind-integer/expected/index.js";
import type { Count, Int, Range } from "../../fixtures/kind-integer/counter.js";
import { serveShop, ShopClient, shopResultValidators, ShopSkeleton } from "../../fixtures/kind-jsdoc/expected/index.js";
import type { Name, Order, Receipt, Shipping } from "../../fixtures/kind-jsdoc/shop.js";
import { PaletteClient, paletteResultValidators, PaletteSkeleton, servePalette } from "../../fixtures/kind-enum/expected/index.js";
import { Color, type Finish, Level, Only, type Paint, Size, Status } from "../../fixtures/kind-enum/palette.js";
import { serveStyles, StylesClient, stylesResultValidators, StylesSkeleton } from "../../fixtures/kind-template-literal/expected/index.js";
import type { Length, Style, UserId } from "../../fixtures/kind-template-literal/styles.js";
import { rejection } from "../support/rejection.js";

const peers: Peer[] = [];

afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
});

/** A client peer talking to a server peer that serves `binding`; failed sends land in `errors`. */
function connectTo(binding: ServiceBinding): { peer: Peer; errors: JampError[] } {
  const [clientEnd, serverEnd] = createLoopbackPair();
  const errors: JampError[] = [];
  peers.push(new Peer(serverEnd, { address: "/server", services: [binding] }));
  const peer = new Peer(clientEnd, { address: "/client/test", onError: (error) => errors.push(error) });
  peers.push(peer);
  return { peer, errors };
}

/** The `[path, keyword]` of each issue of an `invalid-arguments` (or invalid result) error. */
function issuesOf(error: unknown): [string, string][] {
  if (!isJampError(error)) throw new Error(`expected a JampError, got ${String(error)}`);
  const { issues } = error.data as { issues: { path: string; keyword: string }[] };
  return issues.map((i) => [i.path, i.keyword]);
}

/** A spoiler: the call, with the pointer and keyword it must fail on. */
type Spoiler<C> = [label: string, call: (client: C) => Promise<unknown>, path: string, keyword: string];

async function expectInvalidArguments(call: Promise<unknown>, path: string, keyword: string): Promise<void> {
  const error = await rejection(call);
  expect(error.type).toBe("invalid-arguments");
  expect(issuesOf(error)).toEqual([[path, keyword]]);
}

describe("JSDoc keywords (fixtures/kind-jsdoc)", () => {
  const order: Order = {
    sku: "AB-1",
    quantity: 2,
    price: 19.99,
    email: "ann@example.com",
    tags: ["gift", "red"],
    note: "ring twice",
    deliverOn: "2026-12-24",
    shipping: "express",
    discount: 12.5,
  };
  const receipt: Receipt = { id: "0b6c1c2e-5d0a-4b8e-9d2f-3c4b5a697887", at: "2026-11-21T12:00:00Z", items: 2 };

  class Shop extends ShopSkeleton {
    calls = 0;
    shopName = "Corner shop" as Name;
    async place(): Promise<Receipt> {
      this.calls++;
      return receipt;
    }
    async list(): Promise<Order[]> {
      this.calls++;
      return [order];
    }
    async placeLegacy(): Promise<Receipt> {
      return receipt;
    }
    rename(name: Name): void {
      this.calls++;
      this.shopName = name;
    }
    async name(): Promise<Name> {
      return this.shopName;
    }
  }

  function setup() {
    const impl = new Shop();
    const { peer, errors } = connectTo(serveShop(impl));
    return { impl, errors, shop: new ShopClient(peer, undefined, { validateResults: shopResultValidators }) };
  }

  it("accepts values within every keyword", async () => {
    const { shop } = setup();
    expect(await shop.place(order, "ABC123")).toEqual(receipt);
    expect(await shop.place({ sku: "XY-42", quantity: 999, price: 0.01, email: "b@example.org", tags: ["x"] })).toEqual(receipt);
    expect(await shop.list(1)).toEqual([order]);
    expect(await shop.list(100, null)).toEqual([order]);
    expect(await shop.list(20, "next")).toEqual([order]);
  });

  const spoilers: Spoiler<ShopClient>[] = [
    ["a sku off its @pattern", (s) => s.place({ ...order, sku: "ab-1" }), "/0/sku", "pattern"],
    ["a fractional @integer", (s) => s.place({ ...order, quantity: 1.5 }), "/0/quantity", "type"],
    ["a quantity below @minimum", (s) => s.place({ ...order, quantity: 0 }), "/0/quantity", "minimum"],
    ["a quantity above @maximum", (s) => s.place({ ...order, quantity: 1000 }), "/0/quantity", "maximum"],
    ["a price at @exclusiveMinimum", (s) => s.place({ ...order, price: 0 }), "/0/price", "exclusiveMinimum"],
    ["a price off @multipleOf", (s) => s.place({ ...order, price: 1.234 }), "/0/price", "multipleOf"],
    ["an email off its @format", (s) => s.place({ ...order, email: "ann" }), "/0/email", "format"],
    ["fewer tags than @minItems", (s) => s.place({ ...order, tags: [] }), "/0/tags", "minItems"],
    ["more tags than @maxItems", (s) => s.place({ ...order, tags: ["a", "b", "c", "d", "e", "f"] }), "/0/tags", "maxItems"],
    ["tags against @uniqueItems", (s) => s.place({ ...order, tags: ["a", "a"] }), "/0/tags", "uniqueItems"],
    ["a note over @maxLength", (s) => s.place({ ...order, note: "x".repeat(201) }), "/0/note", "maxLength"],
    ["a date off @format date", (s) => s.place({ ...order, deliverOn: "2026-02-30" }), "/0/deliverOn", "format"],
    ["a shipping beside its @default", (s) => s.place({ ...order, shipping: "slow" as Shipping }), "/0/shipping", "enum"],
    ["a discount at @exclusiveMaximum", (s) => s.place({ ...order, discount: 100 }), "/0/discount", "exclusiveMaximum"],
    ["a discount below the alias's @minimum", (s) => s.place({ ...order, discount: -1 }), "/0/discount", "minimum"],
    ["a coupon off the parameter's @pattern", (s) => s.place(order, "abc"), "/1", "pattern"],
    ["a page size below @minimum", (s) => s.list(0), "/0", "minimum"],
    ["a page size above @maximum", (s) => s.list(101), "/0", "maximum"],
    ["a fractional page size", (s) => s.list(2.5), "/0", "type"],
    ["an empty cursor against @minLength", (s) => s.list(20, ""), "/1", "minLength"],
  ];

  it.each(spoilers)("refuses %s", async (_label, call, path, keyword) => {
    const { shop, impl } = setup();
    await expectInvalidArguments(call(shop), path, keyword);
    expect(impl.calls).toBe(0);
  });

  it("checks a send against the named alias's keywords, and answers the sender with the issue", async () => {
    const { shop, impl, errors } = setup();
    shop.rename("" as Name);
    shop.rename("x".repeat(65) as Name);
    shop.rename("New name" as Name);
    expect(await shop.name()).toBe("New name"); // in order on one connection: the sends were handled
    expect(errors.map((e) => [e.type, ...issuesOf(e)])).toEqual([
      ["invalid-arguments", ["/0", "minLength"]],
      ["invalid-arguments", ["/0", "maxLength"]],
    ]);
    expect(impl.calls).toBe(1);
  });

  it("checks results against the keywords too, when the client asks", async () => {
    const { shop, impl } = setup();
    impl.shopName = "" as Name;
    const error = await rejection(shop.name());
    expect([error.type, issuesOf(error)]).toEqual(["invalid-message", [["", "minLength"]]]);
  });
});

describe("integers (fixtures/kind-integer)", () => {
  class Counter extends CounterSkeleton {
    calls = 0;
    readonly values = new Map<string, number | null>();
    size$ = 0;
    async add(name: string, by: Int): Promise<Int> {
      this.calls++;
      const next = (this.values.get(name) ?? 0) + by;
      this.values.set(name, next);
      return next as Int;
    }
    async size(): Promise<Count> {
      return this.size$;
    }
    set(name: string, value: number | null): void {
      this.calls++;
      this.values.set(name, value);
    }
    async history(range: Range): Promise<Int[]> {
      this.calls++;
      return [range.from as Int, range.to as Int];
    }
  }

  function setup() {
    const impl = new Counter();
    const { peer, errors } = connectTo(serveCounter(impl));
    return { impl, errors, counter: new CounterClient(peer, undefined, { validateResults: counterResultValidators }) };
  }

  it("accepts whole numbers, branded, tagged and through a named alias", async () => {
    const { counter } = setup();
    expect(await counter.add("hits", 2 as Int)).toBe(2);
    expect(await counter.add("hits", -3 as Int)).toBe(-1);
    expect(await counter.history({ from: 1, to: 4, step: 1e3 as Int, limit: 10 })).toEqual([1, 4]);
    expect(await counter.size()).toBe(0);
  });

  const spoilers: Spoiler<CounterClient>[] = [
    ["a fractional branded Int", (c) => c.add("hits", 1.5 as Int), "/1", "type"],
    ["a fractional @type integer member", (c) => c.history({ from: 0.5, to: 2 }), "/0/from", "type"],
    ["a fractional @type {integer} member", (c) => c.history({ from: 1, to: 2.5 }), "/0/to", "type"],
    ["a fractional inline brand", (c) => c.history({ from: 1, to: 2, step: 0.5 as Int }), "/0/step", "type"],
    ["a fractional Count", (c) => c.history({ from: 1, to: 2, limit: 1.5 }), "/0/limit", "type"],
    ["a negative Count", (c) => c.history({ from: 1, to: 2, limit: -1 }), "/0/limit", "minimum"],
  ];

  it.each(spoilers)("refuses %s", async (_label, call, path, keyword) => {
    const { counter, impl } = setup();
    await expectInvalidArguments(call(counter), path, keyword);
    expect(impl.calls).toBe(0);
  });

  it("checks an @integer parameter of a send, and lets its null through", async () => {
    const { counter, impl, errors } = setup();
    counter.set("hits", 0.5);
    counter.set("hits", null);
    await counter.size();
    expect(errors.map((e) => [e.type, ...issuesOf(e)])).toEqual([["invalid-arguments", ["/1", "type"]]]);
    expect(impl.values.get("hits")).toBeNull();
  });

  it("checks an integer result when the client asks", async () => {
    const { counter, impl } = setup();
    impl.size$ = 2.5;
    expect(issuesOf(await rejection(counter.size()))).toEqual([["", "type"]]);
    impl.size$ = -1;
    expect(issuesOf(await rejection(counter.size()))).toEqual([["", "minimum"]]);
  });
});

describe("enums and `as const` objects (fixtures/kind-enum)", () => {
  const paint: Paint = { color: Color.Blue, finish: "gloss" as Finish, status: Status.Active, tin: Size.Large, primary: Color.Blue, level: Level.High };

  class Palette extends PaletteSkeleton {
    calls = 0;
    alerts: [Level, Only][] = [];
    result: Paint = paint;
    async paints(): Promise<Paint[]> {
      this.calls++;
      return [this.result];
    }
    async reds(color: Color.Red | null): Promise<Paint[]> {
      this.calls++;
      return color === null ? [paint] : [{ ...paint, color, primary: color }];
    }
    alert(level: Level, only: Only): void {
      this.alerts.push([level, only]);
    }
    async retire(status: Status): Promise<Status> {
      this.calls++;
      return status;
    }
  }

  function setup() {
    const impl = new Palette();
    const { peer, errors } = connectTo(servePalette(impl));
    return { impl, errors, palette: new PaletteClient(peer, undefined, { validateResults: paletteResultValidators }) };
  }

  it("carries enum members as their values", async () => {
    const { palette, impl } = setup();
    expect(await palette.paints(Color.Green, "matte" as Finish)).toEqual([paint]);
    expect(await palette.reds(Color.Red)).toEqual([{ ...paint, color: "red", primary: "red" }]);
    expect(await palette.reds(null)).toEqual([paint]);
    expect(await palette.retire(Status.Retired, Size.Small)).toBe("retired");
    palette.alert(Level.Low, Only.One);
    await palette.retire(Status.Active, Size.Large);
    expect(impl.alerts).toEqual([[1, "one"]]);
  });

  const spoilers: Spoiler<PaletteClient>[] = [
    ["a value no string enum member has", (p) => p.paints("purple" as Color), "/0", "enum"],
    ["a value no const enum member has", (p) => p.paints(Color.Red, "satin" as Finish), "/1", "enum"],
    ["another member than the one a parameter names", (p) => p.reds("green" as Color.Red), "/0", "const"],
    ["a value the `as const` object does not hold", (p) => p.retire("gone" as Status, Size.Small), "/0", "enum"],
    ["a number the `as const` object does not hold", (p) => p.retire(Status.Active, 3 as Size), "/1", "enum"],
  ];

  it.each(spoilers)("refuses %s", async (_label, call, path, keyword) => {
    const { palette, impl } = setup();
    await expectInvalidArguments(call(palette), path, keyword);
    expect(impl.calls).toBe(0);
  });

  it("refuses a numeric enum value out of range in a send", async () => {
    const { palette, impl, errors } = setup();
    palette.alert(4 as Level, Only.One);
    await palette.retire(Status.Active, Size.Small);
    expect(errors.map((e) => [e.type, ...issuesOf(e)])).toEqual([["invalid-arguments", ["/0", "enum"]]]);
    expect(impl.alerts).toEqual([]);
  });

  it("checks enum members inside a result", async () => {
    const { palette, impl } = setup();
    impl.result = { ...paint, primary: Color.Green as Color.Blue, level: 0 as Level };
    const error = await rejection(palette.paints(Color.Blue));
    expect(issuesOf(error)).toEqual([
      ["/0/level", "enum"],
      ["/0/primary", "enum"],
    ]);
  });
});

describe("template literal types (fixtures/kind-template-literal)", () => {
  const style: Style = { width: "12px", version: "v1.2.3", grid: "3x4", tagged: "7abc" };

  class Styles extends StylesSkeleton {
    calls = 0;
    result: Style = style;
    async styleOf(): Promise<Style> {
      this.calls++;
      return this.result;
    }
    async rule(key: `a-${string}` | `b-${string}`): Promise<string> {
      this.calls++;
      return key;
    }
    setWidth(): void {
      this.calls++;
    }
    mention(): void {
      this.calls++;
    }
  }

  function setup() {
    const impl = new Styles();
    const { peer, errors } = connectTo(serveStyles(impl));
    return { impl, errors, styles: new StylesClient(peer, undefined, { validateResults: stylesResultValidators }) };
  }

  it("accepts the strings TypeScript accepts", async () => {
    const { styles, impl, errors } = setup();
    expect(await styles.styleOf("user-42")).toEqual(style);
    expect(await styles.styleOf("user-")).toEqual(style);
    expect(await styles.rule("a-x")).toBe("a-x");
    expect(await styles.rule("b-")).toBe("b-");
    for (const width of ["12px", "-0.5px", ".5em", "1.em", "1e3px", "+2em", "0x1Fpx", "auto"] as Length[]) styles.setWidth(width);
    styles.mention("ann@example.com", "12n");
    styles.mention("@", "-0x1fn");
    for (const [version, grid, tagged] of [["v10.0.1", "0x4", "1"], ["v1.2.3e2", "1e3x2", "0-"]]) {
      impl.result = { width: "auto", version, grid, tagged } as Style;
      expect(await styles.styleOf("user-1")).toEqual(impl.result);
    }
    expect(errors).toEqual([]);
    expect(impl.calls).toBe(16);
  });

  const spoilers: Spoiler<StylesClient>[] = [
    ["an id without its prefix", (s) => s.styleOf("admin-1" as UserId), "/0", "pattern"],
    ["a key of neither union member", (s) => s.rule("c-x" as `a-${string}`), "/0", "anyOf"],
  ];

  it.each(spoilers)("refuses %s", async (_label, call, path, keyword) => {
    const { styles, impl } = setup();
    await expectInvalidArguments(call(styles), path, keyword);
    expect(impl.calls).toBe(0);
  });

  it("refuses strings off the pattern in sends", async () => {
    const { styles, impl, errors } = setup();
    for (const width of ["12", "12 px", "px", "1.2.3px", "Infinitypx", "0x1.5px"] as Length[]) styles.setWidth(width);
    // TypeScript refuses these too, hence the casts.
    styles.mention("ann.example.com" as `${string}@${string}`, "1n");
    styles.mention("a@b", "1.5n" as `${bigint}n`);
    styles.mention("a@b", "01n" as `${bigint}n`);
    await styles.styleOf("user-1");
    expect(errors.map((e) => [e.type, ...issuesOf(e)])).toEqual([
      ...Array.from({ length: 6 }, () => ["invalid-arguments", ["/0", "anyOf"]]),
      ["invalid-arguments", ["/0", "pattern"]],
      ["invalid-arguments", ["/1", "pattern"]],
      ["invalid-arguments", ["/1", "pattern"]],
    ]);
    expect(impl.calls).toBe(1);
  });

  it("ends each hole at the first occurrence of the text after it, as TypeScript does", async () => {
    const { styles, impl } = setup();
    for (const [version, grid] of [["v1.2", "3x4"], ["v1.2.x", "3x4"], ["v1.2.3", "3xx4"], ["v1.2.3", "0x4x5"]]) {
      impl.result = { ...style, version, grid } as Style;
      const error = await rejection(styles.styleOf("user-1"));
      expect(issuesOf(error)).toEqual([[version === style.version ? "/grid" : "/version", "pattern"]]);
    }
  });
});
