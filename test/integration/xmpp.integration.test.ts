/**
 * JAMP over a real Prosody (started once per run by `prosody.global-setup.ts`): bob serves the generated
 * Calculator and Ticker at bob@localhost/calc with `listenXmpp`; alice calls them through `connectXmpp`,
 * in every codec, each frame a XEP-0432 payload. Also: disco#info, stanza errors for offline and unknown
 * recipients, login failures, the cases of PROTOCOLS.md 4.5 sent raw by an ordinary @xmpp/client user,
 * 1,000 pipelined queries, and the stanzas seen converted to JSON and back (PROTOCOLS.md 5.4).
 */
import { xml } from "@xmpp/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Entry } from "../../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import type { Tick } from "../../fixtures/kind-stream/ticker.js";
import { serveTicker, TickerClient, TickerSkeleton } from "../../fixtures/kind-stream/expected/index.js";
import { JampError, Peer } from "jamp-gen/runtime";
import {
  connectXmpp,
  jsonToXml,
  listenXmpp,
  parseXml,
  xmlToJson,
  type XmlElement,
  type XmppListener,
  type XmppTransport,
} from "../../src/runtime/xmpp/index.js";
import { canonicalXml } from "../support/xml.js";
import { rejection } from "../support/rejection.js";
import { account, conditionOf, login, payloadsOf, prosody, rawUser, type RawUser } from "./xmpp-support.js";

class TestCalculator extends CalculatorSkeleton {
  entries: Entry[] = [];
  async add(a: number, b: number): Promise<number> {
    this.entries.unshift({ op: "add", a, b, result: a + b, at: new Date(Date.UTC(2026, 0, 1)) });
    return a + b;
  }
  async divide(a: number, b: number): Promise<number> {
    if (b === 0) throw new JampError("division-by-zero", `cannot divide ${a} by zero`);
    return a / b;
  }
  async history(limit?: number): Promise<Entry[]> {
    return this.entries.slice(0, limit ?? this.entries.length);
  }
  reset(): void {
    this.entries = [];
  }
}

class TestTicker extends TickerSkeleton {
  finished = 0;
  async *ticks(symbol: string, since: Date, limit?: number): AsyncGenerator<Tick> {
    for (let i = 0; i < (limit ?? 3); i++) yield { symbol, price: i, at: new Date(since.getTime() + i * 1000) };
  }
  async *count(to: number): AsyncGenerator<number> {
    try {
      for (let i = 1; i <= to; i++) yield i;
    } finally {
      this.finished++;
    }
  }
  async latest(symbol: string): Promise<Tick | null> {
    return { symbol, price: 1, at: new Date(Date.UTC(2026, 0, 1)) };
  }
}

const service = `${account("bob").jid}/calc`;
const calculator = new TestCalculator();
const ticker = new TestTicker();
const serviceErrors: JampError[] = [];
let listener: XmppListener;
/** Every stanza the ordinary users saw, for the conversion round trips at the end. */
const seen: string[] = [];

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

beforeAll(async () => {
  listener = await listenXmpp(prosody.service, {
    ...login("bob", service),
    services: [serveCalculator(calculator), serveTicker(ticker)],
    onError: (error) => serviceErrors.push(error),
  });
});

afterAll(async () => {
  await listener.close();
});

describe.each(["jamp", "jamp-b", "jsonrpc2", "jsonrpc1", "soapjr"])(
  "the generated clients over XMPP, in %s",
  (codec) => {
    let transport: XmppTransport;
    let peer: Peer;
    let calc: CalculatorClient;

    beforeAll(async () => {
      transport = await connectXmpp(prosody.service, { ...login("alice"), to: service });
      peer = new Peer(transport, { codec });
      calc = new CalculatorClient(peer);
    });
    afterAll(() => peer.close());

    it("answers a query", async () => {
      expect(await calc.add(2, 3)).toBe(5);
    });

    it("delivers a one-way send", async () => {
      await calc.add(1, 1);
      expect(calculator.entries.length).toBeGreaterThan(0);
      calc.reset();
      await until(() => calculator.entries.length === 0);
    });

    it("rejects with the application's error", async () => {
      const error = await rejection(calc.divide(1, 0));
      expect(error).toBeInstanceOf(JampError);
      expect(error).toMatchObject({ type: "division-by-zero", message: "cannot divide 1 by zero" });
    });

    it("carries text XML must escape, and characters it cannot carry at all, unchanged", async () => {
      const symbol = `a < b && c > d ]]> </json> "q" \uFFFE\uFFFF \u0001 \uD800`;
      const latest = await new TickerClient(peer).latest(symbol);
      expect(latest?.symbol).toBe(symbol);
      expect(latest?.at).toEqual(new Date(Date.UTC(2026, 0, 1)));
    });
  },
);

describe.each(["jamp", "jamp-b"])("streams over XMPP, in %s", (codec) => {
  let peer: Peer;
  let client: TickerClient;

  beforeAll(async () => {
    peer = new Peer(await connectXmpp(prosody.service, { ...login("alice"), to: service }), { codec });
    client = new TickerClient(peer);
  });
  afterAll(() => peer.close());

  it("delivers the items in order, revived, then ends", async () => {
    const got: number[] = [];
    for await (const n of client.count(40)) got.push(n);
    expect(got).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const ticks: Tick[] = [];
    for await (const tick of client.ticks("X", new Date(Date.UTC(2026, 0, 1)), 3)) ticks.push(tick);
    expect(ticks.map((t) => t.at.toISOString())).toEqual([
      "2026-01-01T00:00:00.000Z",
      "2026-01-01T00:00:01.000Z",
      "2026-01-01T00:00:02.000Z",
    ]);
  });

  it("cancels the service's generator when the caller stops reading", async () => {
    const before = ticker.finished;
    for await (const n of client.count(1_000_000)) if (n === 3) break;
    await until(() => ticker.finished === before + 1);
  });
});

describe("JIDs and stanza errors", () => {
  it("reaches a service at its bare JID; answers come from its full JID", async () => {
    const peer = new Peer(await connectXmpp(prosody.service, { ...login("alice"), to: account("bob").jid }));
    try {
      expect(await new CalculatorClient(peer).add(20, 22)).toBe(42);
    } finally {
      peer.close();
    }
  });

  it.each([
    ["an offline account", "carol@localhost"],
    ["an unknown account", "nobody@localhost"],
    ["an offline resource of an account without sessions", "carol@localhost/gone"],
  ])("rejects a query to %s with service-not-found, at once", async (_, to) => {
    const peer = new Peer(await connectXmpp(prosody.service, { ...login("alice"), to }), { timeout: 20_000 });
    try {
      const started = Date.now();
      const error = await rejection(new CalculatorClient(peer).add(1, 2));
      expect(error).toMatchObject({
        type: "service-not-found",
        data: { jid: expect.stringContaining(to.split("/")[0] as string), condition: "service-unavailable" },
      });
      expect(error.message).toMatch(/service-unavailable/);
      expect(Date.now() - started).toBeLessThan(10_000);
      // The channel stays usable: the stanza error failed one query, not the connection.
      expect(peer.stats.pending).toBe(0);
    } finally {
      peer.close();
    }
  });

  it("fails a query to a service that went offline", async () => {
    const gone = await listenXmpp(prosody.service, { ...login("frank"), services: [serveCalculator(calculator)] });
    const peer = new Peer(await connectXmpp(prosody.service, { ...login("alice"), to: gone.jid }));
    try {
      const calc = new CalculatorClient(peer);
      expect(await calc.add(1, 1)).toBe(2);
      await gone.close();
      expect(await rejection(calc.add(1, 2))).toMatchObject({ type: "service-not-found" });
    } finally {
      peer.close();
    }
  });

  it("serves only the JIDs a service allows", async () => {
    const only = await listenXmpp(prosody.service, {
      ...login("frank"),
      services: [serveCalculator(calculator)],
      allow: (jid) => jid.startsWith(`${account("alice").jid}/`),
    });
    const [allowed, refused] = await Promise.all(
      ["alice", "dave"].map(
        async (user) => new Peer(await connectXmpp(prosody.service, { ...login(user), to: only.jid })),
      ),
    );
    try {
      expect(await new CalculatorClient(allowed as Peer).add(2, 2)).toBe(4);
      expect(await rejection(new CalculatorClient(refused as Peer).add(2, 2))).toMatchObject({
        type: "service-not-found",
        data: { condition: "forbidden" },
      });
      expect(only.peers.size).toBe(1);
    } finally {
      allowed?.close();
      refused?.close();
      await only.close();
    }
  });

  it("refuses a frame too big for a stanza without losing the connection", async () => {
    const peer = new Peer(await connectXmpp(prosody.service, { ...login("alice"), to: service, maxStanzaSize: 4096 }));
    try {
      const client = new TickerClient(peer);
      expect(await rejection(client.latest("x".repeat(5000)))).toMatchObject({ type: "limit-exceeded" });
      expect((await client.latest("small"))?.symbol).toBe("small");
    } finally {
      peer.close();
    }
  });
});

describe("logging in", () => {
  it("names the JID when the password is wrong", async () => {
    const jid = `${account("alice").jid}/wrong`;
    const error = await rejection(
      connectXmpp(prosody.service, { jid, password: "wrong", mechanism: "PLAIN", to: service }),
    );
    expect(error).toMatchObject({ type: "connection-closed", data: { jid, condition: "not-authorized" } });
    expect(error.message).toContain(jid);
    expect(error.message).toMatch(/refused the password or the account/);
  });

  it("names the JID when the account does not exist", async () => {
    const error = await rejection(
      connectXmpp(prosody.service, { jid: "nobody@localhost", password: "x", mechanism: "PLAIN", to: service }),
    );
    expect(error).toMatchObject({ type: "connection-closed", data: { condition: "not-authorized" } });
    expect(error.message).toContain("nobody@localhost");
  });

  it("names the JID when the server cannot be reached", async () => {
    const error = await rejection(
      connectXmpp("xmpp://127.0.0.1:1", { ...login("alice", "alice@localhost/x"), to: service, connectTimeout: 3000 }),
    );
    expect(error).toMatchObject({ type: "connection-closed", data: { jid: "alice@localhost/x" } });
    expect(error.message).toMatch(/cannot log in to xmpp:\/\/127\.0\.0\.1:1 as alice@localhost\/x/);
  });

  it("refuses an unknown codec before connecting", async () => {
    await expect(connectXmpp(prosody.service, { ...login("alice"), to: service, codecs: ["nope"] })).rejects.toThrow(
      /unknown codec "nope"/,
    );
  });

  it("logs in with the client's default mechanism (SCRAM-SHA-1) too", async () => {
    const transport = await connectXmpp(prosody.service, {
      jid: `${account("alice").jid}/scram`,
      password: account("alice").password,
      to: service,
    });
    const peer = new Peer(transport);
    try {
      expect(await new CalculatorClient(peer).add(3, 4)).toBe(7);
    } finally {
      peer.close();
    }
  });
});

describe("service discovery", () => {
  it("advertises XEP-0432 and the datatype of every codec served (X-9)", async () => {
    const transport = await connectXmpp(prosody.service, { ...login("alice"), to: service });
    try {
      const found = await transport.discover();
      expect(found.features).toEqual(
        expect.arrayContaining([
          "http://jabber.org/protocol/disco#info",
          "urn:xmpp:json-msg:0",
          "urn:xmpp:json-msg:0#urn:x-jamp-gen:jamp",
          "urn:xmpp:json-msg:0#urn:x-jamp-gen:jamp-b",
          "urn:xmpp:json-msg:0#urn:x-jamp-gen:jsonrpc2",
          "urn:xmpp:json-msg:0#urn:x-jamp-gen:jsonrpc1",
          "urn:xmpp:json-msg:0#urn:x-jamp-gen:soapjr",
        ]),
      );
      expect(found.codecs).toEqual(["jamp", "jamp-b", "jsonrpc2", "jsonrpc1", "soapjr"]);
    } finally {
      transport.close();
    }
  });

  it("advertises only what a service accepts, and a client can check before calling", async () => {
    const rpc = await listenXmpp(prosody.service, {
      ...login("frank"),
      accept: ["jsonrpc2"],
      services: [serveCalculator(calculator)],
    });
    try {
      const checked = await connectXmpp(prosody.service, { ...login("alice"), to: rpc.jid, check: "jsonrpc2" });
      const peer = new Peer(checked, { codec: "jsonrpc2" });
      expect(await new CalculatorClient(peer).add(5, 6)).toBe(11);
      peer.close();
      const error = await rejection(connectXmpp(prosody.service, { ...login("alice"), to: rpc.jid, check: "jamp" }));
      expect(error).toMatchObject({ type: "service-not-found" });
      expect(error.message).toContain("urn:x-jamp-gen:jamp");
      // A frame in a codec the service does not accept bounces: feature-not-implemented.
      const unchecked = new Peer(await connectXmpp(prosody.service, { ...login("alice"), to: rpc.jid }));
      expect(await rejection(new CalculatorClient(unchecked).add(1, 2))).toMatchObject({
        type: "service-not-found",
        data: { condition: "feature-not-implemented" },
      });
      unchecked.close();
    } finally {
      await rpc.close();
    }
  });

  it("cannot ask an account's bare JID: its server answers, to contacts only", async () => {
    const transport = await connectXmpp(prosody.service, { ...login("alice"), to: account("bob").jid });
    try {
      expect(await rejection(transport.discover())).toMatchObject({
        type: "service-not-found",
        data: { condition: "service-unavailable" },
      });
    } finally {
      transport.close();
    }
  });
});

describe("XEP-0432 messages from an ordinary XMPP client (PROTOCOLS.md 4.5)", () => {
  let raw: RawUser;
  let counter = 0;

  beforeAll(async () => {
    raw = await rawUser("alice", `raw-${Math.random().toString(36).slice(2, 8)}`);
  });
  afterAll(async () => {
    seen.push(...raw.log.map(String));
    await raw.stop();
  });

  /** Sends a message of `payloads` (XML text) to the service; resolves with its id. */
  async function send(...payloads: string[]): Promise<string> {
    const id = `raw-${++counter}`;
    await raw.entity.send(xml("message", { to: service, id }, ...payloads.map((p) => parseLtx(p))));
    return id;
  }

  function payload(datatype: string | undefined, json: string): string {
    const attr = datatype === undefined ? "" : ` datatype="${datatype}"`;
    return `<payload xmlns="urn:xmpp:json-msg:0"${attr}><json xmlns="urn:xmpp:json:0">${json}</json></payload>`;
  }

  const request = (id: number): string =>
    JSON.stringify({ jsonrpc: "2.0", method: "Calculator.add", params: [id, 1], id });

  it("answers a JSON-RPC request in a payload with a payload of the same datatype, to the full JID (X-1)", async () => {
    const id = await send(payload("urn:x-jamp-gen:jsonrpc2", request(7)));
    const answer = await raw.next((s) => s.name === "message" && payloadsOf(s).length > 0);
    expect(answer.attrs["from"]).toBe(service);
    expect(answer.attrs["to"]).toBe(raw.jid);
    expect(answer.attrs["id"]).not.toBe(id);
    expect(payloadsOf(answer)).toEqual([
      { datatype: "urn:x-jamp-gen:jsonrpc2", value: { jsonrpc: "2.0", result: 8, id: 7 } },
    ]);
  });

  it("delivers two payloads of one message, in order (X-7)", async () => {
    const jamp = JSON.stringify(["query", 1, "/calculator", "/raw", "add", [10, 1]]);
    await send(payload("urn:x-jamp-gen:jamp", jamp), payload("urn:x-jamp-gen:jsonrpc2", request(2)));
    const first = await raw.next((s) => s.name === "message" && payloadsOf(s).length > 0);
    const second = await raw.next((s) => s.name === "message" && payloadsOf(s).length > 0);
    expect(payloadsOf(first)).toEqual([
      { datatype: "urn:x-jamp-gen:jamp", value: ["reply", 1, "/raw", "/calculator", 11] },
    ]);
    expect(payloadsOf(second)[0]?.value).toEqual({ jsonrpc: "2.0", result: 3, id: 2 });
  });

  it.each([
    ["an empty container (X-4)", payload("urn:x-jamp-gen:jsonrpc2", ""), "bad-request"],
    ["invalid JSON (X-5)", payload("urn:x-jamp-gen:jsonrpc2", "{ nope"), "bad-request"],
    ["no datatype (X-6)", payload(undefined, request(1)), "bad-request"],
    ["a datatype not listened for (X-8)", payload("urn:x-jamp-gen:jsonrpc2x", request(1)), "feature-not-implemented"],
    ["a scalar, which no codec's frame is (X-10)", payload("urn:x-jamp-gen:jsonrpc2", "3"), "bad-request"],
    ["a frame of another codec than its datatype says", payload("urn:x-jamp-gen:jamp", request(1)), "bad-request"],
  ])("answers %s with a stanza error, delivering nothing", async (_, xmlPayload, condition) => {
    const before = serviceErrors.length;
    const id = await send(xmlPayload);
    const error = await raw.next((s) => s.attrs["type"] === "error" && s.attrs["id"] === id);
    expect(conditionOf(error)).toBe(condition);
    expect(error.attrs["from"]).toBe(service);
    expect(serviceErrors.length).toBe(before + 1);
  });

  it("answers disco#info (X-9)", async () => {
    const query = await raw.entity.iqCaller.get(xml("query", "http://jabber.org/protocol/disco#info"), service);
    const features = (query?.getChildren("feature") ?? []).map((f) => f.attrs["var"]);
    expect(features).toContain("urn:xmpp:json-msg:0#urn:x-jamp-gen:jsonrpc2");
  });

  it("ignores messages without payloads", async () => {
    const before = serviceErrors.length;
    await raw.entity.send(xml("message", { to: service, type: "chat" }, xml("body", {}, "hello")));
    await send(payload("urn:x-jamp-gen:jsonrpc2", request(9)));
    expect(payloadsOf(await raw.next((s) => payloadsOf(s).length > 0))[0]?.value).toMatchObject({ id: 9 });
    expect(serviceErrors.length).toBe(before);
  });
});

describe("1,000 pipelined queries", () => {
  it("are all answered, in bounded time", async () => {
    const peer = new Peer(await connectXmpp(prosody.service, { ...login("alice"), to: service }));
    try {
      const calc = new CalculatorClient(peer);
      const started = performance.now();
      const sums = await Promise.all(Array.from({ length: 1000 }, (_, i) => calc.add(i, i)));
      const elapsed = performance.now() - started;
      expect(sums).toEqual(Array.from({ length: 1000 }, (_, i) => 2 * i));
      console.log(`1,000 pipelined queries over XMPP (Prosody on loopback): ${elapsed.toFixed(0)} ms`);
    } finally {
      peer.close();
    }
  }, 60_000);
});

describe("the stanzas seen, as JSON and back (PROTOCOLS.md 5.4)", () => {
  it("converts every stanza received to JSON and back to the same XML", () => {
    expect(seen.length).toBeGreaterThan(10);
    for (const stanza of seen) {
      expect(canonicalXml(jsonToXml(xmlToJson(stanza))), stanza).toEqual(canonicalXml(stanza));
    }
  });
});

/** An ltx element from XML text, for payloads written by hand. */
function parseLtx(text: string): ReturnType<typeof xml> {
  const build = (e: XmlElement): ReturnType<typeof xml> =>
    xml(e.name, { ...e.attrs }, ...e.children.map((c) => (typeof c === "string" ? c : build(c))));
  return build(parseXml(text));
}
