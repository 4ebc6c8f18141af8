/**
 * The peer with several wire formats, over loopback: each frame recognised and answered in its own format,
 * batches, calls by service name and by parameter name, and clients speaking each codec.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../../src/runtime/client.js";
import type { Codec } from "../../../src/runtime/codecs/codec.js";
import { codecs, jampCodec } from "../../../src/runtime/codecs/index.js";
import type { ServiceDescriptor } from "../../../src/runtime/descriptor.js";
import type { JampError } from "../../../src/runtime/errors.js";
import type { Message } from "../../../src/runtime/message.js";
import { Peer, type PeerOptions } from "../../../src/runtime/peer.js";
import { bindService } from "../../../src/runtime/service.js";
import { createLoopbackPair } from "../../../src/runtime/transports/loopback.js";
import type { Transport } from "../../../src/runtime/transports/transport.js";
import { rejection } from "../../support/rejection.js";
import { Calculator, calculatorDescriptor, isNumber, until } from "./support/calculator.js";

const peers: Peer[] = [];
const transports: Transport[] = [];

afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
  for (const transport of transports.splice(0)) transport.close();
});

/** A server peer accepting every registered format, and the raw transport end talking to it. */
function rawSetup(options: PeerOptions = {}) {
  const [raw, serverEnd] = createLoopbackPair();
  transports.push(raw);
  const impl = new Calculator();
  const reports: { error: JampError; message: Message | undefined }[] = [];
  const server = new Peer(serverEnd, {
    address: "/server",
    accept: Object.values(codecs),
    services: [bindService(calculatorDescriptor, impl)],
    onError: (error, message) => reports.push({ error, message }),
    ...options,
  });
  peers.push(server);
  const next = async (): Promise<unknown> => JSON.parse(await raw.receive());
  /** Sends a request that must be the next thing answered: proves nothing was answered before it. */
  const probe = async (): Promise<void> => {
    raw.send('{"jsonrpc":"2.0","method":"Calculator.add","params":[0,0],"id":"probe"}');
    expect(await next()).toEqual({ jsonrpc: "2.0", result: 0, id: "probe" });
  };
  return { raw, server, impl, reports, next, probe };
}

/** A client peer speaking `codec`, with a Calculator client, talking to a server accepting every format. */
function clientSetup(codec: Codec | string, serverOptions: PeerOptions = {}) {
  const [clientEnd, serverEnd] = createLoopbackPair();
  const impl = new Calculator();
  const serverReports: JampError[] = [];
  const clientReports: JampError[] = [];
  const server = new Peer(serverEnd, {
    accept: Object.values(codecs),
    services: [bindService(calculatorDescriptor, impl)],
    onError: (error) => serverReports.push(error),
    ...serverOptions,
  });
  const client = new Peer(clientEnd, { codec, onError: (error) => clientReports.push(error) });
  peers.push(server, client);
  return { client, server, impl, calculator: createClient(client, calculatorDescriptor), serverReports, clientReports };
}

describe("Peer with several formats", () => {
  it("answers each frame in its own format, interleaved on one connection", async () => {
    const { raw, next } = rawSetup();
    raw.send('["query", 1, "/calculator", "/raw", "add", [1, 2]]');
    expect(await next()).toEqual(["reply", 1, "/raw", "/calculator", 3]);
    raw.send('["query", {}, "/raw", 2, "/calculator", "add", 2, 3]');
    expect(await next()).toEqual(["reply", {}, "/raw", 2, 5]);
    raw.send('{"jsonrpc": "2.0", "method": "Calculator.add", "params": [3, 4], "id": "three"}');
    expect(await next()).toEqual({ jsonrpc: "2.0", result: 7, id: "three" });
    raw.send('{"method": "Calculator.add", "params": [4, 5], "id": 4}');
    expect(await next()).toEqual({ result: 9, error: null, id: 4 });
    raw.send(
      '{"HEAD": {"service_type": "Calculator", "action_type": "add", "request_id": 5}, "BODY": {"b": 6, "a": 5}}',
    );
    expect(await next()).toEqual({ HEAD: { result: 1, request_id: 5 }, BODY: { value: 11 } });
  });

  it("answers errors in each format's own terms", async () => {
    const { raw, next } = rawSetup();
    raw.send('["query", {}, "/raw", 1, "/nowhere", "add"]');
    expect(await next()).toMatchObject(["error", {}, "/raw", 1, { code: "service_not_found" }]);
    raw.send('{"jsonrpc": "2.0", "method": "Calculator.divide", "params": [1, 0], "id": 2}');
    expect(await next()).toEqual({
      jsonrpc: "2.0",
      error: {
        code: -32000,
        message: "cannot divide by zero",
        data: { type: "division-by-zero", data: { dividend: 1 } },
      },
      id: 2,
    });
    raw.send('{"method": "Nowhere.add", "params": [], "id": 3}');
    expect(await next()).toMatchObject({
      result: null,
      error: { code: -32601, data: { type: "service-not-found" } },
      id: 3,
    });
    raw.send('{"HEAD": {"service_type": "Calculator", "action_type": "add"}, "BODY": {"a": "x"}}');
    expect(await next()).toMatchObject({
      HEAD: { result: 0, errors: { BODY: { a: { code: 400 }, b: { code: 400, message: "b (/1) is required" } } } },
      BODY: {},
    });
  });

  describe("JSON-RPC calls", () => {
    it("route Interface.method to the service of that name, whatever its address", async () => {
      const { raw, next } = rawSetup({
        services: [bindService(calculatorDescriptor, new Calculator(), { address: "/elsewhere" })],
      });
      raw.send('{"jsonrpc": "2.0", "method": "Calculator.add", "params": [1, 1], "id": 1}');
      expect(await next()).toEqual({ jsonrpc: "2.0", result: 2, id: 1 });
    });

    it('route a bare method name to the service bound at address ""', async () => {
      const { raw, next } = rawSetup({
        services: [
          bindService(calculatorDescriptor, new Calculator()),
          bindService(calculatorDescriptor, new Calculator(), { address: "" }),
        ],
      });
      raw.send('{"jsonrpc": "2.0", "method": "add", "params": [2, 2], "id": 1}');
      expect(await next()).toEqual({ jsonrpc: "2.0", result: 4, id: 1 });
      // Two services named Calculator now: the name reaches neither.
      raw.send('{"jsonrpc": "2.0", "method": "Calculator.add", "params": [2, 2], "id": 2}');
      expect(await next()).toMatchObject({
        error: { code: -32601, message: 'two services are named "Calculator": address them instead' },
      });
    });

    it("answer unknown services and methods with -32601", async () => {
      const { raw, next } = rawSetup();
      for (const method of ["foo.get", "rpc.foo", "Calculator.sqrtt", "Calculator.__proto__", "add"]) {
        raw.send(JSON.stringify({ jsonrpc: "2.0", method, id: method }));
        expect(await next()).toMatchObject({ error: { code: -32601 }, id: method });
      }
    });

    it("put arguments given by name in place, refusing unknown and missing names with -32602", async () => {
      const { raw, next, impl } = rawSetup();
      raw.send('{"jsonrpc": "2.0", "method": "Calculator.greet", "params": {"suffix": "!", "name": "Ada"}, "id": 1}');
      expect(await next()).toEqual({ jsonrpc: "2.0", result: "Hello, Ada!", id: 1 });
      // Each parameter in its place, one left out padded, then the call's context.
      expect(impl.received).toEqual([
        ["Ada", undefined, "!", expect.objectContaining({ method: "greet", format: "jsonrpc2", kind: "query" })],
      ]);
      raw.send('{"jsonrpc": "2.0", "method": "Calculator.add", "params": {"a": 1, "c": 2, "__proto__": 3}, "id": 2}');
      expect(await next()).toMatchObject({
        error: {
          code: -32602,
          data: {
            type: "invalid-arguments",
            data: {
              issues: [
                { path: "/c", param: "c", keyword: "additionalProperties", message: "is not a parameter (a, b)" },
                { path: "/__proto__", param: "__proto__", keyword: "additionalProperties" },
              ],
            },
          },
        },
        id: 2,
      });
      raw.send('{"jsonrpc": "2.0", "method": "Calculator.add", "params": {"b": 1}, "id": 3}');
      expect(await next()).toMatchObject({
        error: { code: -32602, message: "Invalid arguments for Calculator.add: a (/0) is required" },
        id: 3,
      });
      expect(impl.calls).toBe(1);
    });

    it("never answer a notification, even a failed one, and tell onError instead", async () => {
      const { raw, impl, reports, probe } = rawSetup();
      raw.send('{"jsonrpc": "2.0", "method": "Calculator.log", "params": ["hello"]}');
      raw.send('{"jsonrpc": "2.0", "method": "Calculator.log", "params": [17]}');
      raw.send('{"jsonrpc": "2.0", "method": "foobar"}');
      raw.send('{"method": "Calculator.log", "params": [18], "id": null}');
      await probe();
      expect(impl.lines).toEqual(["hello"]);
      expect(reports.map((r) => [r.error.type, r.message?.kind])).toEqual([
        ["invalid-arguments", "send"],
        ["service-not-found", "send"],
        ["invalid-arguments", "send"],
      ]);
    });
  });

  describe("batches", () => {
    it("answer a mixed batch with one array, in the order of its entries", async () => {
      const { raw, next, impl } = rawSetup();
      raw.send(
        '[{"jsonrpc": "2.0", "method": "Calculator.hold", "params": [1], "id": "slow"}, 1,' +
          '{"jsonrpc": "2.0", "method": "Calculator.log", "params": ["x"]}, {"jsonrpc": "2.0", "method": "Calculator.add", "params": [1, 2], "id": 2}]',
      );
      await until(() => impl.held.length === 1);
      impl.release();
      expect(await next()).toEqual([
        { jsonrpc: "2.0", result: 1, id: "slow" },
        { jsonrpc: "2.0", error: expect.objectContaining({ code: -32600 }), id: null },
        { jsonrpc: "2.0", result: 3, id: 2 },
      ]);
      expect(impl.lines).toEqual(["x"]);
    });

    it("answer a batch of notifications with nothing at all", async () => {
      const { raw, impl, probe } = rawSetup();
      raw.send(
        '[{"jsonrpc": "2.0", "method": "Calculator.log", "params": ["a"]}, {"jsonrpc": "2.0", "method": "nothing.here"}]',
      );
      await probe();
      expect(impl.lines).toEqual(["a"]);
    });

    it("answer an empty batch with one Invalid Request object", async () => {
      const { raw, next } = rawSetup();
      raw.send("[]");
      expect(await next()).toMatchObject({ jsonrpc: "2.0", error: { code: -32600 }, id: null });
    });

    it("send nothing once the peer is closed", async () => {
      const { raw, impl, server } = rawSetup();
      raw.send('[{"jsonrpc": "2.0", "method": "Calculator.hold", "params": [1], "id": 1}]');
      await until(() => impl.held.length === 1);
      server.close();
      impl.release();
      await expect(raw.receive()).rejects.toMatchObject({ type: "connection-closed" });
    });
  });

  it("answers a frame no format recognises with the first format in accept that answers such frames", async () => {
    const { raw, next, server } = rawSetup({ accept: ["jamp", "soapjr", "jsonrpc2"] });
    raw.send("not JSON");
    expect(await next()).toMatchObject({
      HEAD: { result: 0, errors: { ENVELOPE: { json: { code: 400 } } } },
      BODY: {},
    });
    raw.send('{"foo": "boo"}');
    expect(await next()).toMatchObject({ HEAD: { result: 0 } });
    expect(server.stats.malformed).toBe(2);
  });

  it("drops a frame no format recognises when none of them answers such frames", async () => {
    const { raw, server, next } = rawSetup({ accept: ["jamp", "jamp-b"] });
    raw.send("7");
    raw.send('{"jsonrpc": "2.0", "method": "Calculator.add", "params": [1, 1], "id": 1}');
    raw.send('["query", 2, "/calculator", "/raw", "add", [1, 1]]');
    expect(await next()).toEqual(["reply", 2, "/raw", "/calculator", 2]);
    expect(server.stats.malformed).toBe(2);
  });

  it("answers a stream request, which it cannot serve yet, with a stream-error", async () => {
    const { raw, next } = rawSetup();
    raw.send('["stream", {}, "/raw", 3, 128, "/calculator", "count", 3]');
    expect(await next()).toMatchObject(["stream-error", {}, "/raw", 3, { code: "method_not_found" }]);
  });

  it("ignores a cancel or credit of a stream it does not serve, which may cross the stream's end", async () => {
    const { raw, server, probe, reports } = rawSetup();
    raw.send('["stream-cancel", {}, "/raw", 3]');
    raw.send('["stream-credit", {}, "/raw", 3, 16]');
    await probe();
    expect(server.stats.dropped).toBe(0);
    expect(reports).toEqual([]);
  });

  it("drops, counts and reports an item of a stream it never opened", async () => {
    const { raw, server, probe, reports } = rawSetup();
    raw.send('["stream-result", {}, "/raw", 3, [1]]');
    await probe();
    expect(server.stats.dropped).toBe(1);
    expect(reports[0]?.error.message).toBe("dropped a stream-result of unknown stream 3");
  });

  it.each(["jamp", "jamp-b", "jsonrpc2", "jsonrpc1", "soapjr"])("serves a %s client, errors and all", async (codec) => {
    const { calculator } = clientSetup(codec);
    await expect(calculator.query<number>("add", [1, 2])).resolves.toBe(3);
    await expect(calculator.query("nothing", [])).resolves.toBeNull();
    const error = await rejection(calculator.query("divide", [1, 0]));
    expect([error.type, error.message, error.data]).toEqual([
      "division-by-zero",
      "cannot divide by zero",
      { dividend: 1 },
    ]);
    const invalid = await rejection(calculator.query("add", ["1", 2]));
    expect(invalid.type).toBe("invalid-arguments");
    expect(invalid.data).toEqual({ issues: [{ path: "/0", param: "a", keyword: "type", message: "must be number" }] });
    const missing = await rejection(calculator.query("sqrt", [4]));
    expect(missing.type).toBe("method-not-found");
    const shifted = await calculator.query<Date>("shift", [new Date("2024-02-28T00:00:00.000Z"), 1]);
    expect(shifted).toEqual(new Date("2024-02-29T00:00:00.000Z"));
  });

  it.each(["jamp", "jamp-b", "jsonrpc2", "jsonrpc1", "soapjr"])("delivers a %s client's sends", async (codec) => {
    const { calculator, impl } = clientSetup(codec);
    calculator.send("log", ["one"]);
    calculator.send("log", ["two"]);
    await until(() => impl.lines.length === 2);
    expect(impl.lines).toEqual(["one", "two"]);
  });

  it("tells a SOAPjr client of a failed send, which SOAPjr answers like any request", async () => {
    const { calculator, clientReports } = clientSetup("soapjr");
    calculator.send("log", [17]);
    await until(() => clientReports.length === 1);
    expect(clientReports[0]?.type).toBe("invalid-arguments");
  });

  it("tells the server, not the JAMP/B client, of the client's failed send", async () => {
    const { calculator, serverReports, clientReports } = clientSetup("jamp-b");
    calculator.send("log", [17]);
    await until(() => serverReports.length === 1);
    expect(serverReports[0]?.type).toBe("invalid-arguments");
    await expect(calculator.query("add", [1, 1])).resolves.toBe(2);
    expect(clientReports).toEqual([]);
  });

  it("calls the other side in the format it last spoke", async () => {
    const echo: ServiceDescriptor = {
      name: "Echo",
      address: "/echo",
      methods: {
        echo: {
          kind: "query",
          params: [{ name: "n", optional: false, nullable: false, validate: isNumber }],
          result: isNumber,
        },
      },
    };
    const { client, server } = clientSetup("jsonrpc2");
    client.serve(bindService(echo, { echo: (n: number) => n * 2 }));
    await expect(createClient(client, calculatorDescriptor).query("add", [1, 2])).resolves.toBe(3);
    await expect(createClient(server, echo).query("echo", [21])).resolves.toBe(42);
  });

  it("still takes a plain codec as its only format, and refuses one among others", async () => {
    const plain: Codec = { name: "plain-jamp", encode: jampCodec.encode, decode: jampCodec.decode };
    const { calculator } = clientSetup(plain, { codec: plain, accept: undefined });
    await expect(calculator.query("add", [2, 2])).resolves.toBe(4);
    const [end] = createLoopbackPair();
    expect(() => new Peer(end, { accept: [plain, "jsonrpc2"] })).toThrow(/cannot be told apart from others/);
    expect(() => new Peer(end, { accept: [] })).toThrow(/at least one codec/);
    expect(() => new Peer(end, { codec: "xml" })).toThrow(/unknown codec "xml"/);
    end.close();
  });
});
