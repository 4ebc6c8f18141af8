/**
 * The per-call context over loopback: what a handler gets after its declared parameters (caller, service,
 * method, format, headers as data, the peer, a signal that aborts when the call is abandoned), the headers a
 * client sends in the formats that carry them, and the `authorize` hook that may refuse a call first.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../../src/runtime/client.js";
import { codecs } from "../../../src/runtime/codecs/index.js";
import type { CallContext } from "../../../src/runtime/context.js";
import type { ServiceDescriptor } from "../../../src/runtime/descriptor.js";
import { JampError } from "../../../src/runtime/errors.js";
import { Peer, type PeerOptions } from "../../../src/runtime/peer.js";
import { bindService } from "../../../src/runtime/service.js";
import { createLoopbackPair } from "../../../src/runtime/transports/loopback.js";
import type { Transport } from "../../../src/runtime/transports/transport.js";
import { rejection } from "../../support/rejection.js";
import { isNumber, isString, until } from "./support/calculator.js";

const probeDescriptor: ServiceDescriptor = {
  name: "Probe",
  address: "/probe",
  methods: {
    look: {
      kind: "query",
      params: [
        { name: "n", optional: false, nullable: false, validate: isNumber },
        { name: "note", optional: true, nullable: false, validate: isString },
        { name: "more", optional: true, nullable: false, validate: isString },
      ],
    },
    hold: { kind: "query", params: [] },
    park: { kind: "query", params: [] },
    tell: { kind: "send", params: [{ name: "line", optional: false, nullable: false, validate: isString }] },
    flow: { kind: "stream", params: [] },
  },
};

/** Keeps every call's arguments (the context last); `hold` and `flow` wait until their signal aborts. */
class Probe {
  readonly calls: unknown[][] = [];
  readonly contexts: CallContext[] = [];
  readonly ended: string[] = [];

  look(...args: unknown[]): number {
    this.calls.push(args);
    this.contexts.push(args.at(-1) as CallContext);
    return args.length;
  }

  hold(ctx: CallContext): Promise<never> {
    this.contexts.push(ctx);
    return new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
  }

  /** Never answers, and never looks at its signal. */
  park(ctx: CallContext): Promise<never> {
    this.contexts.push(ctx);
    return new Promise(() => undefined);
  }

  tell(line: string, ctx: CallContext): void {
    this.calls.push([line, ctx]);
    this.contexts.push(ctx);
  }

  async *flow(ctx: CallContext): AsyncGenerator<number> {
    this.contexts.push(ctx);
    try {
      yield 1;
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
      this.ended.push(`aborted: ${(ctx.signal.reason as JampError).type}`);
    } finally {
      this.ended.push("finally");
    }
  }
}

const peers: Peer[] = [];
const transports: Transport[] = [];
afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
  for (const transport of transports.splice(0)) transport.close();
});

/** A server accepting every format, serving a Probe, and a client of `codec`. */
function setup(codec: string, serverOptions: PeerOptions = {}, headers?: Record<string, unknown>) {
  const [clientEnd, serverEnd] = createLoopbackPair();
  const impl = new Probe();
  const reports: JampError[] = [];
  const server = new Peer(serverEnd, {
    address: "/server",
    accept: Object.values(codecs),
    services: [bindService(probeDescriptor, impl)],
    onError: (error) => reports.push(error),
    ...serverOptions,
  });
  const client = new Peer(clientEnd, { address: "/client/ctx", codec });
  peers.push(server, client);
  const probe = createClient(client, probeDescriptor, undefined, headers === undefined ? {} : { headers });
  return { server, client, impl, probe, reports };
}

describe("the call context", () => {
  it.each([
    ["jamp", "/client/ctx", "/probe"],
    ["jamp-b", "/client/ctx", "/probe"],
    ["jsonrpc2", "", ""],
    ["jsonrpc1", "", ""],
    ["soapjr", "", ""],
  ])("comes after the declared parameters, padded, over %s", async (codec, from, to) => {
    const { server, impl, probe } = setup(codec);
    await expect(probe.query("look", [7])).resolves.toBe(4);
    const [args] = impl.calls;
    expect(args?.slice(0, 3)).toEqual([7, undefined, undefined]);
    const ctx = impl.contexts[0] as CallContext;
    expect({ ...ctx }).toMatchObject({ from, to, service: "Probe", method: "look", kind: "query", format: codec });
    expect(ctx.peer).toBe(server);
    expect(ctx.identity).toBeUndefined();
    expect(Object.keys(ctx.headers)).toEqual([]);
    expect(ctx.signal.aborted).toBe(false);
  });

  it("tells sends and streams by their kind", async () => {
    const { impl, probe } = setup("jamp");
    probe.send("tell", ["hi"]);
    await until(() => impl.contexts.length === 1);
    const items = probe.stream<number>("flow", []);
    expect(await items.next()).toEqual({ done: false, value: 1 });
    await items.return();
    expect(impl.contexts.map((ctx) => [ctx.kind, ctx.method])).toEqual([
      ["send", "tell"],
      ["stream", "flow"],
    ]);
  });

  describe("headers", () => {
    it.each(["jamp-b", "soapjr"])("reach the handler over %s, the call's over the client's", async (codec) => {
      const { impl, probe } = setup(codec, {}, { sid: "s-1", trace: "t-0" });
      await probe.query("look", [1], { headers: { trace: "t-1", page: 2 } });
      probe.send("tell", ["x"], { headers: { trace: "t-2" } });
      await until(() => impl.contexts.length === 2);
      expect(impl.contexts.map((ctx) => ({ ...ctx.headers }))).toEqual([
        { sid: "s-1", trace: "t-1", page: 2 },
        { sid: "s-1", trace: "t-2" },
      ]);
    });

    it("are data: frozen, without prototype, __proto__ and constructor plain keys", async () => {
      const { impl, probe } = setup("jamp-b");
      const headers = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "c"}') as Record<string, unknown>;
      await probe.query("look", [1], { headers });
      const seen = (impl.contexts[0] as CallContext).headers;
      expect(Object.getPrototypeOf(seen)).toBeNull();
      expect(Object.isFrozen(seen)).toBe(true);
      expect(Object.keys(seen)).toEqual(["__proto__", "constructor"]);
      expect(seen["__proto__"]).toEqual({ polluted: true });
      expect(seen["constructor"]).toBe("c");
      expect(seen["toString"]).toBeUndefined();
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    });

    it.each(["jamp", "jsonrpc2", "jsonrpc1"])(
      "are refused over %s, which has no place for them, sending nothing",
      async (codec) => {
        const { client, impl, probe } = setup(codec);
        const error = await rejection(probe.query("look", [1], { headers: { sid: "s" } }));
        expect(error.type).toBe("invalid-message");
        expect(error.message).toMatch(/has no place for headers .*connect with codec "jamp-b" or "soapjr"/);
        expect(() => probe.send("tell", ["x"], { headers: { sid: "s" } })).toThrow(/has no place for headers/);
        // Empty headers are none.
        await expect(probe.query("look", [1], { headers: {} })).resolves.toBe(4);
        expect(impl.calls).toHaveLength(1);
        expect(client.stats.framesOut).toBe(1);
      },
    );

    it("must be an object", async () => {
      const { probe } = setup("jamp-b");
      const headers = "sid=1" as unknown as Record<string, unknown>;
      const error = await rejection(probe.query("look", [1], { headers }));
      expect([error.type, error.message]).toEqual([
        "invalid-message",
        'the headers of look must be an object, got the string "sid=1"',
      ]);
    });
  });

  describe("signal", () => {
    it("aborts with connection-closed when the connection closes during the call", async () => {
      const { client, impl, probe } = setup("jamp");
      const answer = rejection(probe.query("hold", []));
      await until(() => impl.contexts.length === 1);
      client.close();
      expect((await answer).type).toBe("connection-closed");
      const { signal } = impl.contexts[0] as CallContext;
      await until(() => signal.aborted);
      expect((signal.reason as JampError).type).toBe("connection-closed");
    });

    it("is aborted when first read after the connection closed", async () => {
      const { server, impl, probe } = setup("jamp");
      void probe.query("park", []).catch(() => undefined);
      await until(() => impl.contexts.length === 1);
      server.close();
      const { signal } = impl.contexts[0] as CallContext;
      expect(signal.aborted).toBe(true);
      expect((signal.reason as JampError).type).toBe("connection-closed");
    });

    it("never aborts once the call is answered", async () => {
      const { client, impl, probe } = setup("jamp");
      await probe.query("look", [1]);
      client.close();
      await until(() => impl.contexts.length === 1);
      const { signal } = impl.contexts[0] as CallContext;
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(signal.aborted).toBe(false);
    });

    it("aborts with cancelled when the caller cancels a stream, so a waiting generator ends", async () => {
      const { impl, probe, server } = setup("jamp-b");
      const items = probe.stream<number>("flow", []);
      expect(await items.next()).toEqual({ done: false, value: 1 });
      await items.return();
      await until(() => impl.ended.length === 2);
      expect(impl.ended).toEqual(["aborted: cancelled", "finally"]);
      expect(server.stats.streams).toBe(0);
    });
  });

  describe("peer", () => {
    it("lets a handler call the caller's own services back at its address", async () => {
      const [clientEnd, serverEnd] = createLoopbackPair();
      const calculator: ServiceDescriptor = {
        name: "Calculator",
        address: "/calculator",
        methods: {
          add: {
            kind: "query",
            params: ["a", "b"].map((name) => ({ name, optional: false, nullable: false, validate: isNumber })),
          },
        },
      };
      const server = new Peer(serverEnd, {
        accept: Object.values(codecs),
        services: [
          bindService(probeDescriptor, {
            // Asks the caller to add, through the caller's own Calculator, served at its own address.
            look: (n: number, _note: undefined, _more: undefined, ctx: CallContext) =>
              createClient(ctx.peer, calculator, ctx.from).query("add", [n, 100]),
          }),
        ],
      });
      const client = new Peer(clientEnd, { address: "/client/cb", codec: "jamp-b" });
      client.serve(bindService(calculator, { add: (a: number, b: number) => a + b }, { address: client.address }));
      peers.push(server, client);
      await expect(createClient(client, probeDescriptor).query("look", [5])).resolves.toBe(105);
    });
  });
});

describe("authorize", () => {
  const sessions = new Set(["s-ok"]);
  const authorize = (ctx: CallContext): void => {
    const sid = ctx.headers["sid"];
    if (sid === undefined) throw new JampError("unauthorized", "a session id is required", { data: { header: "sid" } });
    if (typeof sid !== "string" || !sessions.has(sid)) {
      throw new JampError("unauthorized", "unknown session", { data: { header: "sid" } });
    }
    if (ctx.method === "tell") throw new JampError("forbidden", `${sid} may not tell`);
  };

  it("refuses a call before its arguments are checked and its handler runs", async () => {
    const { impl, probe } = setup("jamp-b", { authorize });
    const error = await rejection(probe.query("look", ["not a number"]));
    expect([error.type, error.message, error.data]).toEqual([
      "unauthorized",
      "a session id is required",
      { header: "sid" },
    ]);
    const unknown = await rejection(probe.query("look", [1], { headers: { sid: "s-bad" } }));
    expect(unknown.message).toBe("unknown session");
    expect(impl.calls).toEqual([]);
    await expect(probe.query("look", [1], { headers: { sid: "s-ok" } })).resolves.toBe(4);
  });

  it("may be asynchronous, and sees the context the handler would get", async () => {
    const seen: string[] = [];
    const { probe } = setup("soapjr", {
      async authorize(ctx) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(`${ctx.service}.${ctx.method} ${ctx.format} ${String(ctx.headers["sid"])}`);
      },
    });
    await expect(probe.query("look", [1], { headers: { sid: "s-1" } })).resolves.toBe(4);
    expect(seen).toEqual(["Probe.look soapjr s-1"]);
  });

  it("refuses a send with an error to the sender, and a stream with a stream-error", async () => {
    const errors: JampError[] = [];
    const [clientEnd, serverEnd] = createLoopbackPair();
    const impl = new Probe();
    const server = new Peer(serverEnd, { services: [bindService(probeDescriptor, impl)], authorize });
    const client = new Peer(clientEnd, { onError: (error) => errors.push(error) });
    peers.push(server, client);
    const probe = createClient(client, probeDescriptor);
    probe.send("tell", ["x"]);
    await until(() => errors.length === 1);
    expect(errors[0]?.type).toBe("unauthorized");
    const stream = probe.stream("flow", []);
    expect((await rejection(stream.next())).type).toBe("unauthorized");
    expect(impl.contexts).toEqual([]);
  });

  it("answers a refusal in every format with the format's own error, read back as the same error", async () => {
    for (const codec of Object.keys(codecs)) {
      const { probe } = setup(codec, {
        authorize: () => {
          throw new JampError("forbidden", "not on Sundays", { data: { header: "day" } });
        },
      });
      const error = await rejection(probe.query("look", [1]));
      const read = [codec, error.type, error.message, error.data];
      expect(read).toEqual([codec, "forbidden", "not on Sundays", { header: "day" }]);
    }
  });

  it("turns anything but a JampError into internal-error", async () => {
    const { probe } = setup("jamp", {
      authorize: () => {
        throw new Error("session store down");
      },
    });
    const error = await rejection(probe.query("look", [1]));
    // Its message stays on the server, as a handler's would (exposeInternalErrors is off by default).
    expect([error.type, error.message]).toEqual(["internal-error", "internal error"]);
  });
});
