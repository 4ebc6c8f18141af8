/**
 * Values JSON cannot carry (Date, bigint, Uint8Array, Map, Set), at depth, through the generated
 * client and server: over a real WebSocket on 127.0.0.1, and over a loopback pair whose frames the test
 * reads. The handler gets real instances, the caller gets them back deep-equal, and neither side's
 * objects are changed by the encoding.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Document, Event, Revision, Scalars } from "../../fixtures/kind-wire-values/vault.js";
import { serveVault, VaultClient, vaultResultValidators, VaultSkeleton } from "../../fixtures/kind-wire-values/expected/index.js";
import { connect, createLoopbackPair, listen, Peer, type Server, type Transport } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";

const created = new Date("2026-11-21T12:00:00.000Z");
const read = new Date("2026-11-21T12:30:00.000Z");
const huge = 2n ** 64n + 1n; // past what a JSON number keeps exact

function sampleDocument(): Document {
  return {
    id: huge,
    body: new Uint8Array([0, 1, 2, 253, 254, 255]),
    created,
    updated: null,
    checksum: new Uint8Array([9, 9]),
    tags: new Set(["draft", "legal"]),
    readers: new Map([
      ["zoe", read],
      ["7", created],
    ]),
    access: new Map([
      ["reader", read],
      ["writer", null],
    ]),
    revisions: [{ at: created, author: "ann", delta: -5n }, { at: read, author: "bob" }],
    attachments: { "logo.png": new Uint8Array([137, 80, 78, 71]) },
    meta: { size: 6n, history: new Set([created, new Date(created)]), encoding: "binary" },
    priority: 3n,
    stamp: [1n, -2n],
    events: [
      { kind: "created", at: created },
      { kind: "resized", size: 10n, from: null },
      { kind: "tagged", tags: new Set(["draft"]) },
      { kind: "noted", text: "hello" },
    ],
  };
}

/** Records every value a handler receives, and checks the instances on arrival. */
class TestVault extends VaultSkeleton {
  readonly received: unknown[][] = [];
  touched: ((args: unknown[]) => void) | undefined;

  async store(document: Document): Promise<Document> {
    this.received.push([document]);
    return document;
  }
  async scalars(count: bigint, data: Uint8Array, at: Date, tags: Set<string>, index: Map<string, bigint>): Promise<Scalars> {
    this.received.push([count, data, at, tags, index]);
    return { count, data, at, tags, index, sizes: new Set([1, 2.5]), moments: new Set([at, new Date(at)]) };
  }
  async find(id: bigint | null, since?: Date, limit?: bigint | number): Promise<Document | null> {
    this.received.push([id, since, limit]);
    return id === null ? null : { ...sampleDocument(), id, updated: since ?? null, priority: limit ?? 0 };
  }
  async replay(events: readonly Event[]): Promise<Event[]> {
    this.received.push([events]);
    return [...events].reverse();
  }
  async chunkSizes(documentId: bigint): Promise<Map<number, bigint>> {
    this.received.push([documentId]);
    return new Map([
      [2, documentId],
      [1, -documentId],
      [0.5, 0n],
    ]);
  }
  async calendar(days: ReadonlyMap<bigint, Date[]>): Promise<Map<string, Revision[]>> {
    this.received.push([days]);
    return new Map([...days].map(([day, dates]) => [`day ${day}`, dates.map((at) => ({ at, author: "cal", delta: day }))]));
  }
  touch(ids: Set<bigint>, at: Date): void {
    this.touched?.([ids, at]);
  }
}

let vault: TestVault;
let server: Server;
let peer: Peer;
let client: VaultClient;

beforeAll(async () => {
  vault = new TestVault();
  server = await listen({ port: 0, services: [serveVault(vault, { validateResults: true })] });
  peer = await connect(server.url);
  client = new VaultClient(peer, undefined, { validateResults: vaultResultValidators });
});

afterAll(async () => {
  peer.close();
  await server.close();
});

describe("values JSON cannot carry, over WebSocket", () => {
  it("carries a document holding every type at depth, both ways, and changes neither side's objects", async () => {
    const document = sampleDocument();
    const before = structuredClone(document);
    const back = await client.store(document);

    const [got] = vault.received.at(-1) as [Document];
    expect(typeof got.id).toBe("bigint");
    expect(got.body).toBeInstanceOf(Uint8Array);
    expect(got.created).toBeInstanceOf(Date);
    expect(got.tags).toBeInstanceOf(Set);
    expect(got.readers).toBeInstanceOf(Map);
    expect(got.readers.get("zoe")).toBeInstanceOf(Date);
    expect(got.access.get("writer")).toBeNull();
    expect(got.revisions[0]?.delta).toBe(-5n);
    expect(got.attachments["logo.png"]).toBeInstanceOf(Uint8Array);
    expect(got.meta.history).toBeInstanceOf(Set);
    expect(got.meta.history?.size).toBe(2); // two equal Dates are two Set members, and stay two
    expect(got.events[1]).toEqual({ kind: "resized", size: 10n, from: null });
    expect(got).toEqual(before);

    expect(back).toEqual(before);
    expect(back).not.toBe(document);
    expect(document).toEqual(before);
    expect(document.readers.get("zoe")).toBe(read);
    expect(document.meta.history).toBeInstanceOf(Set);
  });

  it("carries each type as a parameter of its own", async () => {
    const data = new Uint8Array(3000).map((_, i) => i % 256);
    const index = new Map([
      ["a", 1n],
      ["b", -(2n ** 70n)],
    ]);
    const tags = new Set(["x", "y"]);
    const result = await client.scalars(huge, data, created, tags, index);

    const [count, gotData, at, gotTags, gotIndex] = vault.received.at(-1)!;
    expect(count).toBe(huge);
    expect(gotData).toEqual(data);
    expect(at).toEqual(created);
    expect(gotTags).toEqual(tags);
    expect(gotIndex).toEqual(index);
    expect(result).toEqual({ count: huge, data, at: created, tags, index, sizes: new Set([1, 2.5]), moments: new Set([created, new Date(created)]) });
    expect(result.moments.size).toBe(2);
  });

  it("passes null and left-out arguments through, and tells bigint from number in a union", async () => {
    expect(await client.find(null)).toBeNull();
    expect(vault.received.at(-1)).toEqual([null, undefined, undefined]);

    const byBigInt = await client.find(5n, undefined, 9007199254740993n);
    expect(vault.received.at(-1)).toEqual([5n, undefined, 9007199254740993n]);
    expect(byBigInt?.priority).toBe(9007199254740993n);

    const byNumber = await client.find(6n, read, 2.5);
    expect(vault.received.at(-1)).toEqual([6n, read, 2.5]);
    expect(byNumber?.priority).toBe(2.5);
    expect(byNumber?.updated).toEqual(read);
  });

  it("carries a discriminated union by its tag, converting only the members that need it", async () => {
    const events = sampleDocument().events;
    const back = await client.replay(events);
    const [got] = vault.received.at(-1) as [Event[]];
    expect(got[0]).toEqual({ kind: "created", at: created });
    expect((got[0] as { at: unknown }).at).toBeInstanceOf(Date);
    expect((got[2] as { tags: unknown }).tags).toBeInstanceOf(Set);
    expect(back).toEqual([...events].reverse());
  });

  it("carries Maps keyed by numbers and by bigints as pairs, in order", async () => {
    const sizes = await client.chunkSizes(huge);
    expect([...sizes]).toEqual([
      [2, huge],
      [1, -huge],
      [0.5, 0n],
    ]);
    const days: ReadonlyMap<bigint, Date[]> = new Map([
      [20261121n, [created, read]],
      [-1n, []],
    ]);
    const calendar = await client.calendar(days);
    const [got] = vault.received.at(-1) as [ReadonlyMap<bigint, Date[]>];
    expect(got).toEqual(days);
    expect([...got.keys()]).toEqual([20261121n, -1n]);
    expect(calendar).toEqual(
      new Map([
        ["day 20261121", [{ at: created, author: "cal", delta: 20261121n }, { at: read, author: "cal", delta: 20261121n }]],
        ["day -1", []],
      ]),
    );
  });

  it("encodes the arguments of a one-way send", async () => {
    const arrived = new Promise<unknown[]>((resolve) => (vault.touched = resolve));
    client.touch(new Set([1n, huge]), created);
    expect(await arrived).toEqual([new Set([1n, huge]), created]);
  });

  it("refuses an argument that cannot be encoded before sending it", async () => {
    const error = await rejection(client.find(1n, new Date("never")));
    expect([error.type, error.message]).toEqual([
      "invalid-arguments",
      "Invalid arguments for Vault.find: since (/1) cannot be encoded: Invalid time value",
    ]);
  });

  it("refuses wire values that are not the schema's, from an untyped caller", async () => {
    const error = await rejection(peer.query("/vault", "scalars", [12, "aGk", "2026-11-21T12:00:00Z", ["a", "a"], { k: "01" }]));
    expect(error.type).toBe("invalid-arguments");
    expect((error.data as { issues: { path: string; keyword: string }[] }).issues.map((i) => `${i.path} ${i.keyword}`)).toEqual([
      "/0 type",
      "/1 pattern",
      "/3 uniqueItems",
      "/4/k pattern",
    ]);
  });
});

/** A transport that keeps a copy of every frame it sends and receives. */
function recording(inner: Transport, frames: string[]): Transport {
  return {
    send(frame) {
      frames.push(`→ ${frame}`);
      inner.send(frame);
    },
    async receive() {
      const frame = await inner.receive();
      frames.push(`← ${frame}`);
      return frame;
    },
    close: (code, reason) => inner.close(code, reason),
    get closed() {
      return inner.closed;
    },
  };
}

describe("values JSON cannot carry, on the wire", () => {
  it("travel as the schema says: decimal strings, base64, ISO strings, objects and arrays", async () => {
    const [near, far] = createLoopbackPair();
    const frames: string[] = [];
    const serving = new Peer(far, { services: [serveVault(new TestVault())] });
    const caller = new Peer(recording(near, frames), { address: "/client" });
    try {
      const result = await new VaultClient(caller).scalars(-(2n ** 63n), new Uint8Array([104, 105]), created, new Set(["a"]), new Map([["k", 7n]]));
      expect(result.count).toBe(-(2n ** 63n));
      expect(frames).toEqual([
        '→ ["query",1,"/vault","/client","scalars",["-9223372036854775808","aGk=","2026-11-21T12:00:00.000Z",["a"],{"k":"7"}]]',
        '← ["reply",1,"/client","/vault",{"count":"-9223372036854775808","data":"aGk=","at":"2026-11-21T12:00:00.000Z","tags":["a"],"index":{"k":"7"},"sizes":[1,2.5],"moments":["2026-11-21T12:00:00.000Z","2026-11-21T12:00:00.000Z"]}]',
      ]);
    } finally {
      caller.close();
      serving.close();
    }
  });
});
