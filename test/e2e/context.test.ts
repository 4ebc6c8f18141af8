/**
 * The per-call context through generated code, over real WebSockets on 127.0.0.1: headers from a generated
 * client to a generated server's handler, an `authorize` hook on `listen` refusing calls in every format,
 * a handler calling its caller back through `ctx.peer`, and a stream handler woken by its signal when the
 * caller breaks out of its loop or the connection closes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Entry } from "../../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import type { Tick } from "../../fixtures/kind-stream/ticker.js";
import { serveTicker, TickerClient, TickerSkeleton } from "../../fixtures/kind-stream/expected/index.js";
import { codecs, connect, JampError, listen, type CallContext, type Peer, type Server } from "jamp-gen/runtime";
import { rejection } from "../support/rejection.js";

const at = new Date(Date.UTC(2026, 10, 21, 12, 0, 0));
const sessions = new Map([["s-ada", "ada"]]);

/** Takes the context where it needs it: every call is recorded with what the context said. */
class ContextCalculator extends CalculatorSkeleton {
  readonly seen: string[] = [];

  async add(a: number, b: number, ctx: CallContext): Promise<number> {
    this.seen.push(`${ctx.format} ${ctx.service}.${ctx.method} sid=${String(ctx.headers["sid"])}`);
    return a + b;
  }
  async divide(a: number, b: number): Promise<number> {
    return a / b;
  }
  /** Asks the caller's own calculator for the sum it reports: a call back on the same connection. */
  async history(limit: number | undefined, ctx: CallContext): Promise<Entry[]> {
    const result = await new CalculatorClient(ctx.peer, ctx.from).add(1, 2);
    return [{ op: "add", a: 1, b: limit ?? 2, result, at }];
  }
  reset(): void {}
}

/** Counts as long as its caller reads; reports how its generator ended. */
class WaitingTicker extends TickerSkeleton {
  stopped: Promise<string> = new Promise(() => undefined);
  #stop: (why: string) => void = () => undefined;

  async *ticks(symbol: string, since: Date, limit: number | undefined, ctx: CallContext): AsyncGenerator<Tick> {
    const { signal } = ctx;
    this.stopped = new Promise((resolve) => (this.#stop = resolve));
    try {
      yield { symbol, price: limit ?? 1, at: since };
      // Nothing more comes until the signal aborts: only it can end this wait.
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
    } finally {
      this.#stop(`${(signal.reason as JampError).type} sid=${String(ctx.headers["sid"])}`);
    }
  }
  async *count(): AsyncGenerator<number> {}
  async latest(): Promise<Tick | null> {
    return null;
  }
}

const impl = new ContextCalculator();
const ticker = new WaitingTicker();
let server: Server;
const peers: Peer[] = [];

beforeAll(async () => {
  server = await listen({
    port: 0,
    services: [serveCalculator(impl), serveTicker(ticker)],
    authorize(ctx) {
      if (ctx.method === "divide") {
        const sid = ctx.headers["sid"];
        if (typeof sid !== "string") throw new JampError("unauthorized", "sign in first", { data: { header: "sid" } });
        if (!sessions.has(sid)) throw new JampError("unauthorized", "unknown session", { data: { header: "sid" } });
        throw new JampError("forbidden", `${sessions.get(sid)} may not divide`);
      }
    },
  });
});
afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
});
afterAll(async () => {
  await server.close();
});

async function open(codec: string): Promise<Peer> {
  const peer = await connect(server.url, { codec });
  peers.push(peer);
  return peer;
}

describe("headers and the context", () => {
  it.each(["jamp-b", "soapjr"])("reach the handler from a generated client over %s", async (codec) => {
    impl.seen.length = 0;
    const calc = new CalculatorClient(await open(codec), undefined, { headers: { sid: "s-ada" } });
    expect(await calc.add(1, 2)).toBe(3);
    expect(await calc.add(3, 4, { headers: { sid: "s-bob" } })).toBe(7);
    expect(impl.seen).toEqual([`${codec} Calculator.add sid=s-ada`, `${codec} Calculator.add sid=s-bob`]);
  });

  it.each(Object.keys(codecs))("lets authorize refuse a call over %s, type, message and data kept", async (codec) => {
    const calc = new CalculatorClient(await open(codec));
    const error = await rejection(calc.divide(1, 2));
    expect([error.type, error.message, error.data]).toEqual(["unauthorized", "sign in first", { header: "sid" }]);
    expect(await calc.add(1, 1)).toBe(2);
  });

  it.each(["jamp-b", "soapjr"])("tells unauthorized from forbidden over %s", async (codec) => {
    const calc = new CalculatorClient(await open(codec));
    const unknown = await rejection(calc.divide(1, 2, { headers: { sid: "s-eve" } }));
    expect([unknown.type, unknown.message]).toEqual(["unauthorized", "unknown session"]);
    const refused = await rejection(calc.divide(1, 2, { headers: { sid: "s-ada" } }));
    expect([refused.type, refused.message]).toEqual(["forbidden", "ada may not divide"]);
  });

  it.each(["jamp", "jamp-b", "jsonrpc2"])("lets a handler call its caller back, over %s", async (codec) => {
    const peer = await open(codec);
    // The caller's own calculator, at its own address (what `ctx.from` names) and by its name.
    const own = {
      add: async (a: number, b: number) => 100 * (a + b),
      divide: async () => 0,
      history: async () => [],
      reset() {},
    };
    peer.serve(serveCalculator(own, { address: peer.address }));
    const [entry] = await new CalculatorClient(peer).history();
    expect(entry?.result).toBe(300);
  });
});

describe("the signal of a stream handler", () => {
  it("aborts with cancelled when the caller breaks out of its loop, headers carried by the stream", async () => {
    const client = new TickerClient(await open("jamp-b"));
    for await (const tick of client.ticks("ACME", at, 5, { headers: { sid: "s-ada" } })) {
      expect(tick).toEqual({ symbol: "ACME", price: 5, at });
      break;
    }
    expect(await ticker.stopped).toBe("cancelled sid=s-ada");
  });

  it("aborts with connection-closed when the connection closes", async () => {
    const peer = await open("jamp");
    const items = new TickerClient(peer).ticks("ACME", at)[Symbol.asyncIterator]();
    expect((await items.next()).value).toEqual({ symbol: "ACME", price: 1, at });
    peer.close();
    expect(await ticker.stopped).toBe("connection-closed sid=undefined");
  });
});
