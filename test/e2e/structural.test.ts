/**
 * Structural kinds end to end: tuples, intersections, branded ids, generic instances, discriminated
 * unions, recursive types, records and mapped types travel through the generated client and server
 * over a real WebSocket on 127.0.0.1, and come back deep-equal, Dates revived.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Json, Page, Placed, Point, Result, Shape, ShapeId, Style, Timeline, Tree } from "../../fixtures/kind-structural/shapes.js";
import { DrawingClient, drawingResultValidators, DrawingSkeleton, serveDrawing } from "../../fixtures/kind-structural/expected/index.js";
import { connect, listen, type Peer, type Server } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";

const id = (s: string) => s as ShapeId;

class Canvas extends DrawingSkeleton {
  readonly seen: unknown[] = [];
  async place(shape: Shape, at: Point, label?: [text: string, size?: number]): Promise<Placed> {
    return { id: id("s1"), style: { stroke: "black", fill: null }, shape, at, label: label ?? null };
  }
  async list(cursor: string | null, tags: readonly string[]): Promise<Page<Placed>> {
    this.seen.push([cursor, tags]);
    return { items: [], next: cursor === null ? "p2" : null };
  }
  async move(ids: [ShapeId, ...ShapeId[]], by: Point): Promise<Result<Record<ShapeId, Point>, string>> {
    if (ids.length > 2) return { ok: false, error: "too many" };
    return { ok: true, value: Object.fromEntries(ids.map((i) => [i, by])) as Record<ShapeId, Point> };
  }
  async annotate(_id: ShapeId, note: Json): Promise<Tree<string>> {
    return { value: JSON.stringify(note), children: [{ value: "leaf", children: [] }] };
  }
  async restyle(_id: ShapeId, style: Partial<Style>, keep: Pick<Style, "stroke">, drop: Omit<Style, "fill">): Promise<Required<Style>> {
    return { stroke: keep.stroke, fill: style.fill ?? null, width: drop.width ?? 1 };
  }
  async layers(counts: { [layer: number]: number }, touched: Record<"before" | "after", Date>): Promise<Timeline> {
    this.seen.push(counts, touched.before instanceof Date && touched.after instanceof Date);
    return { id: id("t1"), events: { created: touched.before, edited: touched.after }, first: [touched.before, "created"], owner: { email: "a@b.c" } };
  }
  forget(): void {}
}

let canvas: Canvas;
let server: Server;
let peer: Peer;
let drawing: DrawingClient;

beforeAll(async () => {
  canvas = new Canvas();
  server = await listen({ port: 0, services: [serveDrawing(canvas)] });
  peer = await connect(server.url);
  drawing = new DrawingClient(peer, undefined, { validateResults: drawingResultValidators });
});

afterAll(async () => {
  peer.close();
  await server.close();
});

describe("structural kinds over WebSocket", () => {
  it("carries tuples with optional elements, intersections and branded ids", async () => {
    const placed = await drawing.place({ kind: "polygon", points: [[0, 0], [1, 0], [0, 1]] }, [3, 4], ["hello"]);
    expect(placed).toEqual({ id: "s1", style: { stroke: "black", fill: null }, shape: { kind: "polygon", points: [[0, 0], [1, 0], [0, 1]] }, at: [3, 4], label: ["hello"] });
  });

  it("carries generic instances and a rest tuple, and a discriminated result", async () => {
    expect(await drawing.list(null, ["a"])).toEqual({ items: [], next: "p2" });
    expect(await drawing.move([id("a"), id("b")], [1, 2])).toEqual({ ok: true, value: { a: [1, 2], b: [1, 2] } });
    expect(await drawing.move([id("a"), id("b"), id("c")], [1, 2])).toEqual({ ok: false, error: "too many" });
  });

  it("carries recursive types: any JSON value and a tree", async () => {
    const note: Json = { a: [1, "two", null, { deep: [true] }] };
    expect(await drawing.annotate(id("s1"), note)).toEqual({ value: JSON.stringify(note), children: [{ value: "leaf", children: [] }] });
  });

  it("carries mapped types", async () => {
    expect(await drawing.restyle(id("s1"), { fill: "red" }, { stroke: "blue" }, { stroke: "x", width: 3 })).toEqual({ stroke: "blue", fill: "red", width: 3 });
  });

  it("revives Dates inside records and tuples, on both sides", async () => {
    const before = new Date("2026-01-01T00:00:00.000Z");
    const after = new Date("2026-02-01T00:00:00.000Z");
    const timeline = await drawing.layers({ 1: 10, 2: 20 }, { before, after });
    expect(canvas.seen.slice(-2)).toEqual([{ 1: 10, 2: 20 }, true]);
    expect(timeline.events.created).toBeInstanceOf(Date);
    expect(timeline.events.edited?.getTime()).toBe(after.getTime());
    expect(timeline.first[0]).toBeInstanceOf(Date);
    expect(timeline.first[1]).toBe("created");
  });

  it("names the failing member of a discriminated union by its tag", async () => {
    const bad = { kind: "rect", width: 1 } as unknown as Shape;
    const error = await rejection(drawing.place(bad, [0, 0]));
    expect(error.type).toBe("invalid-arguments");
    expect(error.data).toMatchObject({ issues: [{ path: "/0", param: "shape", keyword: "required", message: "must have required property 'height'" }] });
  });

  it("refuses an unknown tag, extra tuple elements and non-numeric keys of a number index", async () => {
    const unknownTag = await rejection(drawing.place({ kind: "star" } as unknown as Shape, [0, 0]));
    expect(unknownTag.message).toContain("/0/kind");
    const longPoint = await rejection(drawing.place({ kind: "circle", radius: 1 }, [0, 0, 0] as unknown as Point));
    expect(longPoint.data).toMatchObject({ issues: [{ path: "/1" }] });
    const badKeys = await rejection(drawing.layers({ one: 1 } as unknown as Record<number, number>, { before: new Date(), after: new Date() }));
    expect(badKeys.data).toMatchObject({ issues: [{ path: "/0", keyword: "propertyNames" }] });
  });
});
