/**
 * A peer made from an opener, over in-memory transports: its states, what a drop does to calls and
 * streams in flight, reconnecting with backoff, giving up, and closing while reconnecting. The same over
 * real sockets and a killed server process is in test/e2e/reconnect.test.ts.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { OpenContext, PeerStateEvent, TransportOpener } from "../../../src/runtime/connection.js";
import type { ServiceDescriptor } from "../../../src/runtime/descriptor.js";
import { JampError } from "../../../src/runtime/errors.js";
import { Peer, type PeerOptions } from "../../../src/runtime/peer.js";
import { bindService } from "../../../src/runtime/service.js";
import { createLoopbackPair } from "../../../src/runtime/transports/loopback.js";
import type { Transport } from "../../../src/runtime/transports/transport.js";
import { Calculator, calculatorDescriptor, isNumber, until } from "./support/calculator.js";
import { rejection } from "../../support/rejection.js";

const peers: Peer[] = [];
afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
});

const counterDescriptor: ServiceDescriptor = {
  name: "Counter",
  address: "/counter",
  methods: { count: { kind: "stream", params: [], item: isNumber } },
};

/** Counts for ever, a number per credit; `stopped` once its generator was returned. */
class Counter {
  stopped = 0;
  async *count(): AsyncGenerator<number> {
    try {
      for (let n = 1; ; n++) yield n;
    } finally {
      this.stopped++;
    }
  }
}

/**
 * The other side: each accepted connection is a server peer serving a Calculator and a Counter. `refuse`
 * makes the opener fail; `flap` makes it accept and hang up at once.
 */
function switchboard() {
  const impl = new Calculator();
  const counter = new Counter();
  const servers: Peer[] = [];
  const contexts: OpenContext[] = [];
  const board = {
    impl,
    counter,
    servers,
    contexts,
    refuse: false,
    flap: false,
    /** The server peer of the newest connection. */
    get server(): Peer {
      return servers.at(-1) as Peer;
    },
    /** Drops the newest connection, as a server that dies would. */
    drop(): void {
      board.server.close(1006, "gone");
    },
    open: (async (context) => {
      contexts.push(context);
      await Promise.resolve();
      if (board.refuse) throw new JampError("connection-closed", "cannot connect to loop://test: refused");
      const [client, server] = createLoopbackPair();
      const peer = new Peer(server, {
        address: "/server",
        services: [bindService(calculatorDescriptor, impl), bindService(counterDescriptor, counter)],
      });
      servers.push(peer);
      peers.push(peer);
      if (board.flap) setTimeout(() => peer.close(1011, "flapping"), 0);
      return client;
    }) as TransportOpener,
  };
  return board;
}

/** A client peer made from `board`'s opener, recording its state events. */
function client(board: ReturnType<typeof switchboard>, options: PeerOptions = {}) {
  const events: PeerStateEvent[] = [];
  const peer = new Peer(board.open, { url: "loop://test", reconnect: { initialDelay: 1, jitter: 0 }, ...options });
  peers.push(peer);
  peer.onState((event) => events.push(event));
  return { peer, events, states: () => events.map((event) => event.state) };
}

describe("a peer made from an opener", () => {
  it("starts connecting and refuses calls until open, without sending them", async () => {
    const board = switchboard();
    const { peer, states } = client(board);
    expect(peer.state).toBe("connecting");
    expect(() => peer.send("/calculator", "log", ["x"])).toThrow(/not open yet/);
    const early = await rejection(peer.query("/calculator", "add", [1, 2]));
    expect(early.type).toBe("connection-closed");
    expect(early.message).toBe("the connection to loop://test is not open yet (connecting)");
    await until(() => peer.state === "open");
    expect(states()).toEqual(["open"]);
    expect(await peer.query("/calculator", "add", [1, 2])).toBe(3);
    expect(board.impl.calls).toBe(1);
  });

  it("after a drop, rejects what was in flight at once, refuses new calls, and is the same peer once back", async () => {
    const board = switchboard();
    const served = new Calculator();
    const { peer, events, states } = client(board, {
      reconnect: { initialDelay: 1, jitter: 0, resetAfter: 0 }, // the first connection counts as one that lasted
      address: "/client/me",
      services: [bindService(calculatorDescriptor, served)],
    });
    await until(() => peer.state === "open");
    const held = Array.from({ length: 5 }, (_, i) => rejection(peer.query("/calculator", "hold", [i])));
    const stream = peer.stream("/counter", "count", [], { credit: 2 });
    expect(await stream.next()).toEqual({ done: false, value: 1 });
    await until(() => board.impl.held.length === 5);
    board.refuse = true;
    board.drop();
    for (const error of await Promise.all(held)) {
      expect(error.type).toBe("connection-closed");
      expect(error.message).toContain("closed by the other end");
    }
    await expect(stream.next()).rejects.toMatchObject({ type: "connection-closed" });
    expect(peer.stats).toMatchObject({ pending: 0, streams: 0 });
    await until(() => peer.state === "reconnecting");
    const meanwhile = await rejection(peer.query("/calculator", "add", [1, 2]));
    expect(meanwhile.type).toBe("connection-closed");
    expect(meanwhile.message).toMatch(/^the connection to loop:\/\/test is down \(reconnecting; last: /);
    expect(() => peer.stream("/counter", "count", [])).toThrow(JampError);
    expect(board.impl.calls).toBe(5);
    await until(() => events.length === 3); // the first attempt was refused

    board.refuse = false;
    await until(() => peer.state === "open");
    expect(await peer.query("/calculator", "add", [2, 3])).toBe(5);
    // The other side reaches the bindings this peer serves, at the same address as before.
    expect(await board.server.query("/calculator", "add", [20, 22])).toBe(42);
    expect(served.calls).toBe(1);
    expect(peer.address).toBe("/client/me");
    expect(states()).toEqual(["open", "reconnecting", "reconnecting", "open"]);
    expect(events[1]).toMatchObject({ attempt: 1, delay: 1, reason: { type: "connection-closed" } });
    expect(events[2]).toMatchObject({ attempt: 2, delay: 2, reason: { message: "cannot connect to loop://test: refused" } });
    expect(board.contexts.map((context) => context.attempt)).toEqual([1, 1, 2]);
  });

  it("tells the opener, on every attempt, the peer's address and the addresses it serves now", async () => {
    const board = switchboard();
    const { peer } = client(board, {
      address: "/client/me",
      services: [bindService(calculatorDescriptor, new Calculator())],
      reconnect: { initialDelay: 1, resetAfter: 0 },
    });
    await until(() => peer.state === "open");
    peer.serve(bindService(counterDescriptor, new Counter()));
    board.drop();
    await until(() => peer.state === "open" && board.contexts.length === 2);
    expect(board.contexts.map(({ address, served }) => ({ address, served }))).toEqual([
      { address: "/client/me", served: ["/calculator"] },
      { address: "/client/me", served: ["/calculator", "/counter"] },
    ]);
  });

  it("never sends an answer to a call of a lost connection on the next one", async () => {
    const board = switchboard();
    const served = new Calculator();
    const { peer } = client(board, { services: [bindService(calculatorDescriptor, served)] });
    await until(() => peer.state === "open");
    const first = board.server;
    void first.query("/calculator", "hold", [7]).catch(() => undefined);
    await until(() => served.held.length === 1);
    board.drop();
    await until(() => peer.state === "open" && board.servers.length === 2);
    served.release();
    // A round trip after the release: the stale reply would have arrived before this answer.
    expect(await peer.query("/calculator", "add", [1, 1])).toBe(2);
    expect(board.server.stats).toMatchObject({ framesIn: 1, dropped: 0 });
  });

  it("settles a frame handed to handle() with no answer when its connection is lost before the answer", async () => {
    const impl = new Calculator();
    const [end] = createLoopbackPair();
    const peer = new Peer(end, { services: [bindService(calculatorDescriptor, impl)] });
    const answers = peer.handle('["query", 1, "/calculator", "/caller", "hold", [5]]');
    const failed = peer.handle('["query", 2, "/calculator", "/caller", "crash", []]');
    await until(() => impl.held.length === 1);
    // A call that failed before the loss is answered; one still running when it happens is not.
    expect(await failed).toEqual(['["error-query",2,"/caller","/calculator",{"type":"internal-error","message":"internal error"}]']);
    peer.close();
    impl.release();
    expect(await answers).toEqual([]);
  });

  it("retries its first connection as the schedule says", async () => {
    const board = switchboard();
    board.refuse = true;
    const { peer, events, states } = client(board, { reconnect: { initialDelay: 1, factor: 3, jitter: 0 } });
    await until(() => events.length === 2);
    board.refuse = false;
    await until(() => peer.state === "open");
    expect(states()).toEqual(["connecting", "connecting", "open"]);
    expect(events.slice(0, 2)).toMatchObject([
      { attempt: 2, delay: 1 },
      { attempt: 3, delay: 3 },
    ]);
  });

  it("gives up after maxAttempts and closes for good with a reason naming the URL", async () => {
    const board = switchboard();
    const { peer, events, states } = client(board, { reconnect: { initialDelay: 1, jitter: 0, maxAttempts: 3, resetAfter: 0 } });
    await until(() => peer.state === "open");
    board.refuse = true;
    board.drop();
    const reason = await peer.closed;
    expect(reason.type).toBe("connection-closed");
    expect(reason.message).toBe(
      "gave up reconnecting to loop://test after 3 attempts: cannot connect to loop://test: refused",
    );
    expect(reason.data).toEqual({ url: "loop://test", attempts: 3 });
    expect(states()).toEqual(["open", "reconnecting", "reconnecting", "reconnecting", "closed"]);
    expect(events.at(-1)?.reason).toBe(reason);
    expect(board.contexts).toHaveLength(4);
    expect((await rejection(peer.query("/calculator", "add", [1, 2]))).message).toContain("the peer is closed: gave up");
  });

  it("retries ever more slowly a server that accepts and hangs up at once", async () => {
    const board = switchboard();
    board.flap = true;
    const { peer, events } = client(board, { reconnect: { initialDelay: 1, factor: 2, maxDelay: 8, jitter: 0, maxAttempts: 6 } });
    const reason = await peer.closed;
    expect(events.filter((e) => e.state === "reconnecting").map((e) => e.delay)).toEqual([1, 2, 4, 8, 8]);
    expect(reason.message).toMatch(/^gave up reconnecting to loop:\/\/test after 6 attempts: /);
    expect(board.contexts).toHaveLength(6);
  });

  it("starts the schedule afresh after a connection that lasted resetAfter", async () => {
    const board = switchboard();
    board.flap = true;
    const { peer, events } = client(board, { reconnect: { initialDelay: 1, jitter: 0, resetAfter: 0 } });
    await until(() => events.filter((e) => e.state === "reconnecting").length >= 4);
    peer.close();
    expect(new Set(events.filter((e) => e.state === "reconnecting").map((e) => e.delay))).toEqual(new Set([1]));
  });

  it("closes for good at the first drop with reconnect: false", async () => {
    const board = switchboard();
    const { peer, states } = client(board, { reconnect: false });
    await until(() => peer.state === "open");
    board.drop();
    const reason = await peer.closed;
    expect(reason.message).toContain("closed by the other end");
    expect(states()).toEqual(["open", "closed"]);
    expect(board.contexts).toHaveLength(1);
  });

  it("stops reconnecting at once when closed between attempts", async () => {
    const board = switchboard();
    const { peer, states } = client(board, { reconnect: { initialDelay: 30, jitter: 0 } });
    await until(() => peer.state === "open");
    board.drop();
    await until(() => peer.state === "reconnecting");
    peer.close();
    expect(peer.state).toBe("closed");
    expect((await peer.closed).message).toBe("the peer was closed locally (code 1000)");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(board.contexts).toHaveLength(1);
    expect(states()).toEqual(["open", "reconnecting", "closed"]);
  });

  it("abandons an attempt under way when closed, and closes a transport it yields anyway", async () => {
    let yielded: Transport | undefined;
    let otherEnd: Transport | undefined;
    const signals: AbortSignal[] = [];
    let release!: () => void;
    const late = new Promise<void>((resolve) => (release = resolve));
    const peer = new Peer(async ({ signal }) => {
      signals.push(signal);
      await late; // an opener that does not listen to its signal
      [yielded, otherEnd] = createLoopbackPair();
      return yielded;
    });
    peers.push(peer);
    peer.close();
    expect(signals[0]?.aborted).toBe(true);
    release();
    await until(() => otherEnd !== undefined);
    expect((await (otherEnd as Transport).closed).message).toContain("closed by the other end");
    expect(peer.state).toBe("closed");
  });

  it("tells every listener, reports one that throws, and stops telling one unsubscribed", async () => {
    const board = switchboard();
    const reported: JampError[] = [];
    const peer = new Peer(board.open, { onError: (error) => reported.push(error) });
    peers.push(peer);
    const seen: string[] = [];
    peer.onState(() => {
      throw new Error("listener bug");
    });
    const stop = peer.onState((event) => seen.push(`a:${event.state}`));
    peer.onState((event) => seen.push(`b:${event.state}`));
    await until(() => peer.state === "open");
    stop();
    peer.close();
    expect(seen).toEqual(["a:open", "b:open", "b:closed"]);
    expect(reported.map((error) => error.message)).toEqual(["listener bug", "listener bug"]);
  });

  it("refuses reconnect options for a peer made from a transport, and options out of range", () => {
    const [end] = createLoopbackPair();
    expect(() => new Peer(end, { reconnect: { maxAttempts: 3 } })).toThrow(TypeError);
    expect(() => new Peer(end, { reconnect: true })).toThrow(/reconnect needs a transport opener/);
    expect(() => new Peer(switchboard().open, { reconnect: { jitter: -1 } })).toThrow(RangeError);
    const peer = new Peer(end, { reconnect: false });
    expect(peer.state).toBe("open");
    peer.close();
  });
});
