import { execFile } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../../src/runtime/client.js";
import { jampCodec } from "../../../src/runtime/codecs/jamp.js";
import type { ServiceDescriptor } from "../../../src/runtime/descriptor.js";
import { JampError } from "../../../src/runtime/errors.js";
import type { Message } from "../../../src/runtime/message.js";
import { Peer, type PeerOptions } from "../../../src/runtime/peer.js";
import { bindService, type ServiceBinding } from "../../../src/runtime/service.js";
import { createLoopbackPair } from "../../../src/runtime/transports/loopback.js";
import type { Transport } from "../../../src/runtime/transports/transport.js";
import { Calculator, calculatorDescriptor, isString, until } from "./support/calculator.js";
import { rejection } from "../../support/rejection.js";

const peers: Peer[] = [];
const transports: Transport[] = [];

afterEach(() => {
  for (const peer of peers.splice(0)) peer.close();
  for (const transport of transports.splice(0)) transport.close();
});

interface Reported {
  readonly error: JampError;
  readonly message: Message | undefined;
}

function track(peer: Peer): Peer {
  peers.push(peer);
  return peer;
}

/** A client peer and a server peer serving a Calculator, over loopback. */
function setup(clientOptions: PeerOptions = {}, serverOptions: PeerOptions = {}) {
  const [clientEnd, serverEnd] = createLoopbackPair();
  const impl = new Calculator();
  const serverReports: Reported[] = [];
  const clientReports: Reported[] = [];
  const server = track(
    new Peer(serverEnd, {
      address: "/server",
      services: [bindService(calculatorDescriptor, impl)],
      onError: (error, message) => serverReports.push({ error, message }),
      ...serverOptions,
    }),
  );
  const client = track(
    new Peer(clientEnd, {
      address: "/client/test",
      onError: (error, message) => clientReports.push({ error, message }),
      ...clientOptions,
    }),
  );
  const calculator = createClient(client, calculatorDescriptor);
  return { client, server, calculator, impl, serverReports, clientReports };
}

/** A server peer and the raw transport end talking to it, to send hand-made frames. */
function rawSetup(serverOptions: PeerOptions = {}) {
  const [raw, serverEnd] = createLoopbackPair();
  transports.push(raw);
  const impl = new Calculator();
  const reports: Reported[] = [];
  const server = track(
    new Peer(serverEnd, {
      services: [bindService(calculatorDescriptor, impl)],
      onError: (error, message) => reports.push({ error, message }),
      ...serverOptions,
    }),
  );
  return { raw, server, impl, reports };
}

/** The rejection of `promise`, failing the test if it resolves. */

describe("Peer", () => {
  describe("queries", () => {
    it("answers a query with the handler's result", async () => {
      const { calculator, client } = setup();
      await expect(calculator.query<number>("add", [1, 2])).resolves.toBe(3);
      await expect(client.query("/calculator", "add", [20, 22])).resolves.toBe(42);
      expect(client.stats).toMatchObject({ framesOut: 2, framesIn: 2, pending: 0 });
    });

    it("answers null when the handler returns undefined", async () => {
      const { calculator } = setup();
      await expect(calculator.query("nothing", [])).resolves.toBeNull();
    });

    it("routes a query addressed by URL to the service at its path", async () => {
      const { client } = setup();
      await expect(client.query("jamp+ws://example.com/calculator", "add", [1, 1])).resolves.toBe(2);
      await expect(client.query("jamp+ws://example.com/calculator?v=1#x", "add", [2, 2])).resolves.toBe(4);
    });

    it("answers with addresses swapped and the query id echoed", async () => {
      const { raw } = rawSetup();
      raw.send('["query", "q-7", "/calculator", "/raw", "add", [2, 3]]');
      expect(JSON.parse(await raw.receive())).toEqual(["reply", "q-7", "/raw", "/calculator", 5]);
    });

    it("writes each reply exactly as the JAMP codec encodes it", async () => {
      const { raw } = rawSetup();
      const cases: [id: string | number, method: string, args: unknown[], result: unknown][] = [
        ['q "é" \\ \u2028', "echo", ["ünï\"code"], "ünï\"code"],
        [9007199254740991, "echo", [{ deep: [1, "x", null, { y: false }] }], { deep: [1, "x", null, { y: false }] }],
        [0, "nothing", [], null],
        [1, "divide", [1, 4], 0.25],
      ];
      for (const [id, method, args, result] of cases) {
        raw.send(jampCodec.encode({ kind: "query", id, to: "/calculator", from: "/raw/ä", method, args }));
        const expected = jampCodec.encode({ kind: "reply", id, to: "/raw/ä", from: "/calculator", result });
        expect(await raw.receive()).toBe(expected);
      }
    });

    it("numbers its queries from 1", async () => {
      const [clientEnd, raw] = createLoopbackPair();
      transports.push(raw);
      const client = track(new Peer(clientEnd, { address: "/me" }));
      const first = client.query("/calculator", "add", [1, 2]);
      const second = client.query("/calculator", "add", [3, 4]);
      expect(JSON.parse(await raw.receive())).toEqual(["query", 1, "/calculator", "/me", "add", [1, 2]]);
      expect(JSON.parse(await raw.receive())).toEqual(["query", 2, "/calculator", "/me", "add", [3, 4]]);
      raw.send('["reply", 2, "/me", "/calculator", 7]');
      raw.send('["reply", 1, "/me", "/calculator", 3]');
      await expect(Promise.all([first, second])).resolves.toEqual([3, 7]);
    });

    it("writes each query exactly as the JAMP codec encodes it, and one with headers not at all", async () => {
      const [clientEnd, raw] = createLoopbackPair();
      transports.push(raw);
      const client = track(new Peer(clientEnd, { address: '/mé "x"' }));
      const calls: [to: string, method: string, args: unknown[]][] = [
        ["/calculator", "add", [1, 2.5]],
        ["jamp+ws://host/ü?\u2028", 'od"d', [{ deep: [null, "é", { f: false }] }, "\\"]],
        ["/calculator", "nothing", []],
      ];
      for (const [index, [to, method, args]] of calls.entries()) {
        void client.query(to, method, args).catch(() => {});
        const expected = jampCodec.encode({ kind: "query", id: index + 1, to, from: '/mé "x"', method, args });
        expect(await raw.receive()).toBe(expected);
      }
      const error = await rejection(client.query("/calculator", "add", [1, 2], { headers: { sid: "s" } }));
      expect(error.type).toBe("invalid-message");
      expect(client.stats.framesOut).toBe(3);
    });

    it("gives every caller its own answer when 100 pipelined queries are answered in reverse", async () => {
      const { calculator, impl } = setup();
      const answers = Array.from({ length: 100 }, (_, i) => calculator.query<number>("hold", [i]));
      await until(() => impl.held.length === 100);
      impl.release(impl.held.map((_, i) => 99 - i));
      await expect(Promise.all(answers)).resolves.toEqual(Array.from({ length: 100 }, (_, i) => i));
    });

    it("gives every caller its own answer when queries are answered in random order", async () => {
      const { calculator, impl } = setup();
      const answers = Array.from({ length: 100 }, (_, i) => calculator.query<number>("hold", [i * 3]));
      await until(() => impl.held.length === 100);
      const order = impl.held.map((_, i) => i).sort(() => Math.random() - 0.5);
      impl.release(order);
      await expect(Promise.all(answers)).resolves.toEqual(Array.from({ length: 100 }, (_, i) => i * 3));
    });
  });

  describe("sends", () => {
    it("delivers a send and answers nothing on success", async () => {
      const { client, impl } = setup();
      client.send("/calculator", "log", ["first"]);
      client.send("/calculator", "log", ["second"]);
      await until(() => impl.lines.length === 2);
      expect(impl.lines).toEqual(["first", "second"]);
      // A query after the sends is answered; nothing else came back.
      await expect(client.query("/calculator", "add", [0, 0])).resolves.toBe(0);
      expect(client.stats.framesIn).toBe(1);
    });

    it("answers a failed send with an error message to the sender's address", async () => {
      const { client, clientReports, impl } = setup();
      client.send("/calculator", "log", [17]);
      await until(() => clientReports.length === 1);
      const [report] = clientReports;
      expect(report?.error.type).toBe("invalid-arguments");
      expect(report?.error.message).toBe("Invalid arguments for Calculator.log: line (/0) must be string");
      expect(report?.message).toMatchObject({ kind: "error", to: "/client/test", from: "/calculator" });
      expect(impl.calls).toBe(0);
    });

    it("answers a send to an unknown service with service-not-found", async () => {
      const { raw } = rawSetup();
      raw.send('["send", "/nowhere", "/raw", "log", ["x"]]');
      const [kind, to, from, error] = JSON.parse(await raw.receive()) as [string, string, string, { type: string }];
      expect([kind, to, from, error.type]).toEqual(["error", "/raw", "/nowhere", "service-not-found"]);
    });
  });

  describe("errors", () => {
    it("rejects with the application's own error type, message and data", async () => {
      const { calculator } = setup();
      const error = await rejection(calculator.query("divide", [1, 0]));
      expect(error.type).toBe("division-by-zero");
      expect(error.message).toBe("cannot divide by zero");
      expect(error.data).toEqual({ dividend: 1 });
    });

    it.each([
      { exposeInternalErrors: undefined, message: "internal error", told: ["disk on fire"] },
      { exposeInternalErrors: true, message: "disk on fire", told: [] },
    ])(
      "turns a plain Error into internal-error, its message sent only with exposeInternalErrors ($exposeInternalErrors), never its stack",
      async ({ exposeInternalErrors, message, told }) => {
        const { raw, reports } = rawSetup({ exposeInternalErrors });
        raw.send('["query", 1, "/calculator", "/raw", "crash", []]');
        const frame = await raw.receive();
        expect(JSON.parse(frame)).toEqual(["error-query", 1, "/raw", "/calculator", { type: "internal-error", message }]);
        expect(frame).not.toMatch(/calculator\.ts|at |stack|cause/);
        // What the caller is not told, this side's onError is.
        expect(reports.map(({ error }) => error.message)).toEqual(told);
      },
    );

    it("turns a thrown non-Error into internal-error", async () => {
      const { calculator } = setup();
      const error = await rejection(calculator.query("throwString", []));
      expect([error.type, error.message]).toEqual(["internal-error", "handler threw a non-Error value"]);
    });

    it("answers internal-error when the result cannot be encoded", async () => {
      const { calculator } = setup();
      const error = await rejection(calculator.query("bigint", []));
      expect(error.type).toBe("internal-error");
      expect(error.message).toMatch(/^the result of bigint cannot be sent: /);
    });

    it("rejects invalid arguments without running the handler", async () => {
      const { calculator, impl } = setup();
      const error = await rejection(calculator.query("add", ["1", 2]));
      expect(error.type).toBe("invalid-arguments");
      expect(error.message).toBe("Invalid arguments for Calculator.add: a (/0) must be number");
      expect(error.data).toEqual({ issues: [{ path: "/0", param: "a", keyword: "type", message: "must be number" }] });
      const missing = await rejection(calculator.query("add", [1]));
      expect(missing.message).toBe("Invalid arguments for Calculator.add: b (/1) is required");
      const extra = await rejection(calculator.query("add", [1, 2, 3]));
      expect(extra.message).toBe("Invalid arguments for Calculator.add: takes at most 2 arguments (a, b), got 3");
      expect(impl.calls).toBe(0);
    });

    it("answers service-not-found for an unknown address", async () => {
      const { client } = setup();
      const error = await rejection(client.query("/nowhere", "add", [1, 2]));
      expect([error.type, error.message]).toEqual(["service-not-found", 'no service at "/nowhere"']);
    });

    it.each(["sqrtt", "__proto__", "constructor", "toString", "hasOwnProperty", "release"])(
      "answers method-not-found for %s without running anything",
      async (method) => {
        const { client, impl } = setup();
        const error = await rejection(client.query("/calculator", method, []));
        expect(error.type).toBe("method-not-found");
        expect(error.message).toBe(`Calculator has no method ${JSON.stringify(method)}`);
        expect(impl.calls).toBe(0);
      },
    );

    it("answers a hand-written binding whose dispatch returns a plain value", async () => {
      const [a, b] = createLoopbackPair();
      const dispatch = ((_method: string, args: readonly unknown[]) => (args[0] as number) * 2) as unknown as ServiceBinding["dispatch"];
      peers.push(new Peer(b, { services: [{ descriptor: calculatorDescriptor, address: "/plain", dispatch }] }));
      const client = new Peer(a);
      peers.push(client);
      await expect(client.query("/plain", "add", [21, 0])).resolves.toBe(42);
    });

    it("answers method-not-found for a declared method the implementation lacks", async () => {
      const { client } = setup();
      const error = await rejection(client.query("/calculator", "sqrt", [4]));
      expect([error.type, error.message]).toEqual([
        "method-not-found",
        "Calculator.sqrt is declared but not implemented",
      ]);
    });
  });

  describe("timeouts and cancellation", () => {
    it("rejects with timeout and counts the late reply", async () => {
      const { calculator, client, impl } = setup();
      const error = await rejection(calculator.query("hold", [1], { timeout: 20 }));
      expect([error.type, error.message]).toEqual(["timeout", "query hold to /calculator timed out after 20 ms"]);
      impl.release();
      await until(() => client.stats.lateReplies === 1);
      expect(client.stats).toMatchObject({ dropped: 0, pending: 0 });
    });

    it("applies the peer's default timeout", async () => {
      const { calculator } = setup({ timeout: 15 });
      expect((await rejection(calculator.query("hold", [1]))).type).toBe("timeout");
    });

    it("times out queries of different limits each at its own, whatever order they were sent in", async () => {
      const { calculator, client } = setup();
      const expired: number[] = [];
      const calls = [60, 20, 40, 20].map((timeout) =>
        rejection(calculator.query("hold", [timeout], { timeout })).then((error) => {
          expired.push(timeout);
          return error.message;
        }),
      );
      expect(await Promise.all(calls)).toEqual(
        [60, 20, 40, 20].map((timeout) => `query hold to /calculator timed out after ${timeout} ms`),
      );
      expect(expired).toEqual([20, 20, 40, 60]);
      expect(client.stats.pending).toBe(0);
    });

    it("times out a query sent after others of its limit settled or timed out", async () => {
      const { calculator, impl } = setup();
      const first = calculator.query("hold", [1], { timeout: 40 });
      await until(() => impl.held.length === 1);
      const second = rejection(calculator.query("hold", [2], { timeout: 40 }));
      await until(() => impl.held.length === 2);
      impl.release([0]);
      await expect(first).resolves.toBe(1);
      expect((await second).type).toBe("timeout");
      // The limit's timer went idle; a new query sets it again.
      expect((await rejection(calculator.query("hold", [3], { timeout: 40 }))).type).toBe("timeout");
      await expect(calculator.query("add", [1, 2], { timeout: 40 })).resolves.toBe(3);
    });

    it("leaves no timer that keeps the process alive once its queries settled", async () => {
      // With the default 30 s limit, a timer left referenced would hold the process past execFile's timeout.
      const runtime = pathToFileURL(path.join(import.meta.dirname, "../../../src/runtime/index.ts")).href;
      const script = `
        import { Peer, bindService, createLoopbackPair } from ${JSON.stringify(runtime)};
        const descriptor = { name: "Adder", address: "/adder", methods: { add: { kind: "query", params: [
          { name: "a", optional: false, nullable: false, validate: () => true },
          { name: "b", optional: false, nullable: false, validate: () => true } ] } } };
        const [a, b] = createLoopbackPair();
        new Peer(b, { services: [bindService(descriptor, { add: async (x, y) => x + y })] });
        const client = new Peer(a);
        console.log(await client.query("/adder", "add", [1, 2]));
      `;
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ["--no-warnings", "--import", import.meta.resolve("tsx"), "--input-type=module", "--eval", script],
          { timeout: 15_000 },
          (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
        ),
      );
      expect(output.trim()).toBe("3");
    }, 20_000);

    it("waits without limit when the timeout is 0", async () => {
      const { calculator, impl } = setup({ timeout: 5 });
      const answer = calculator.query("hold", [8], { timeout: 0 });
      await new Promise((resolve) => setTimeout(resolve, 30));
      impl.release();
      await expect(answer).resolves.toBe(8);
    });

    it("rejects at once, sending nothing, when the signal is already aborted", async () => {
      const { calculator, client } = setup();
      const error = await rejection(
        calculator.query("add", [1, 2], { signal: AbortSignal.abort(new Error("user left")) }),
      );
      expect(error.type).toBe("cancelled");
      expect((error.cause as Error).message).toBe("user left");
      expect(client.stats.framesOut).toBe(0);
    });

    it("rejects with cancelled when the signal aborts during the call, and counts the late reply", async () => {
      const { calculator, client, impl } = setup();
      const controller = new AbortController();
      const answer = calculator.query("hold", [1], { signal: controller.signal });
      await until(() => impl.held.length === 1);
      controller.abort();
      const error = await rejection(answer);
      expect([error.type, error.message]).toEqual(["cancelled", "query hold to /calculator was cancelled"]);
      impl.release();
      await until(() => client.stats.lateReplies === 1);
    });

    it("refuses queries past maxPending with limit-exceeded", async () => {
      const { calculator, impl } = setup({ maxPending: 2 });
      const first = calculator.query("hold", [1]);
      const second = calculator.query("hold", [2]);
      const error = await rejection(calculator.query("hold", [3]));
      expect(error.type).toBe("limit-exceeded");
      await until(() => impl.held.length === 2);
      impl.release();
      await expect(Promise.all([first, second])).resolves.toEqual([1, 2]);
      await expect(calculator.query("add", [1, 1])).resolves.toBe(2);
    });
  });

  describe("closing", () => {
    it("rejects every pending query with connection-closed when the peer closes", async () => {
      const { calculator, client, impl } = setup();
      const answers = Array.from({ length: 5 }, (_, i) => rejection(calculator.query("hold", [i])));
      await until(() => impl.held.length === 5);
      client.close();
      for (const error of await Promise.all(answers)) expect(error.type).toBe("connection-closed");
      expect(client.stats.pending).toBe(0);
      expect((await client.closed).type).toBe("connection-closed");
    });

    it("rejects every pending query when the other end closes", async () => {
      const { calculator, client, server, impl } = setup();
      const answers = Array.from({ length: 5 }, (_, i) => rejection(calculator.query("hold", [i])));
      await until(() => impl.held.length === 5);
      server.close(1001, "going away");
      const errors = await Promise.all(answers);
      for (const error of errors) expect(error.type).toBe("connection-closed");
      expect(errors[0]?.message).toContain("closed by the other end");
      const reason = await client.closed;
      expect(reason.data).toEqual({ code: 1001, reason: "going away" });
    });

    it("refuses queries and sends once closed", async () => {
      const { client } = setup();
      client.close();
      expect((await rejection(client.query("/calculator", "add", [1, 2]))).type).toBe("connection-closed");
      expect(() => client.send("/calculator", "log", ["x"])).toThrow(JampError);
    });

    it("drops the answer of a handler that finishes after the close", async () => {
      const { calculator, server, impl, serverReports } = setup();
      void calculator.query("hold", [1]).catch(() => undefined);
      await until(() => impl.held.length === 1);
      server.close();
      impl.release();
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(server.stats.framesOut).toBe(0);
      expect(serverReports).toEqual([]);
    });
  });

  describe("malformed frames", () => {
    it("answers a query it cannot read with error-query invalid-message when it recovered id and sender", async () => {
      const { raw, server, reports } = rawSetup();
      raw.send('["query", 7, "/calculator", "/raw", "add", "not an array"]');
      const [kind, id, to, from, error] = JSON.parse(await raw.receive()) as [
        string,
        number,
        string,
        string,
        { type: string; message: string },
      ];
      expect([kind, id, to, from, error.type]).toEqual(["error-query", 7, "/raw", "/calculator", "invalid-message"]);
      expect(error.message).toContain("slot 5 (args) must be an array");
      expect(server.stats.malformed).toBe(1);
      expect(reports.map((report) => report.error.type)).toEqual(["invalid-message"]);
    });

    it("answers with an error message when it recovered only the sender", async () => {
      const { raw } = rawSetup();
      raw.send('["query", 1.5, "/calculator", "/raw", "add", [1, 2]]');
      const [kind, to, from, error] = JSON.parse(await raw.receive()) as [string, string, string, { type: string }];
      expect([kind, to, from, error.type]).toEqual(["error", "/raw", "/calculator", "invalid-message"]);
      raw.send('["send", "/calculator", "/raw", 5, []]');
      expect(JSON.parse(await raw.receive())).toMatchObject([
        "error",
        "/raw",
        "/calculator",
        { type: "invalid-message" },
      ]);
    });

    it("drops frames that name no sender, and broken answers, without replying", async () => {
      const { raw, server, reports } = rawSetup();
      for (const frame of [
        "not json",
        "null",
        "{}",
        "[]",
        '["publish", 1]',
        '["reply", 3, "/a"]',
        '["error", "/a", "/b", "boom"]',
      ]) {
        raw.send(frame);
      }
      // The fence: the first frame to come back must be the answer to this query.
      raw.send('["query", 99, "/calculator", "/raw", "add", [1, 1]]');
      expect(JSON.parse(await raw.receive())).toEqual(["reply", 99, "/raw", "/calculator", 2]);
      expect(server.stats).toMatchObject({ malformed: 7, framesIn: 8, framesOut: 1 });
      expect(reports).toHaveLength(7);
      expect(reports.every((report) => report.error.type === "invalid-message")).toBe(true);
    });

    it("keeps serving after a malformed frame", async () => {
      const { raw } = rawSetup();
      raw.send("\u0000garbage");
      raw.send('["query", 1, "/calculator", "/raw", "add", [2, 2]]');
      expect(JSON.parse(await raw.receive())).toEqual(["reply", 1, "/raw", "/calculator", 4]);
    });

    it("drops and counts a reply whose id is unknown", async () => {
      const [clientEnd, raw] = createLoopbackPair();
      transports.push(raw);
      const reports: Reported[] = [];
      const client = track(
        new Peer(clientEnd, { address: "/me", onError: (error, message) => reports.push({ error, message }) }),
      );
      raw.send('["reply", 41, "/me", "/calculator", 1]');
      raw.send('["error-query", 42, "/me", "/calculator", {"type": "x", "message": "y"}]');
      await until(() => client.stats.dropped === 2);
      expect(client.stats).toMatchObject({ framesIn: 2, framesOut: 0, lateReplies: 0, malformed: 0 });
      expect(reports.map((report) => report.error.message)).toEqual([
        "dropped an answer to unknown query 41",
        "dropped an answer to unknown query 42",
      ]);
    });

    it("fails a query at once when its reply is garbled", async () => {
      const [clientEnd, raw] = createLoopbackPair();
      transports.push(raw);
      const client = track(new Peer(clientEnd, { address: "/me" }));
      const answer = rejection(client.query("/calculator", "add", [1, 2]));
      await raw.receive();
      raw.send('["reply", 1, "/me", "/calculator"]');
      const error = await answer;
      expect(error.type).toBe("invalid-message");
      expect(error.message).toContain("has 5 slots");
    });

    it("survives an onError that throws", async () => {
      const { raw } = rawSetup({
        onError: () => {
          throw new Error("bad hook");
        },
      });
      raw.send("junk");
      raw.send('["query", 1, "/calculator", "/raw", "add", [1, 2]]');
      expect(JSON.parse(await raw.receive())).toEqual(["reply", 1, "/raw", "/calculator", 3]);
    });

    it("reports error messages it receives", async () => {
      const [clientEnd, raw] = createLoopbackPair();
      transports.push(raw);
      const reports: Reported[] = [];
      track(new Peer(clientEnd, { onError: (error, message) => reports.push({ error, message }) }));
      raw.send(
        '["error", "/me", "/calculator", {"type": "service-unavailable", "message": "down for maintenance", "data": 5}]',
      );
      await until(() => reports.length === 1);
      expect(reports[0]?.error).toMatchObject({
        type: "service-unavailable",
        message: "down for maintenance",
        data: 5,
      });
      expect(reports[0]?.message?.kind).toBe("error");
    });
  });

  describe("revival", () => {
    it("revives Dates in parameters and results", async () => {
      const { calculator, impl } = setup();
      const when = new Date("2024-02-28T12:00:00.000Z");
      const result = await calculator.query<Date>("shift", [when, 2]);
      expect(result).toBeInstanceOf(Date);
      expect(result.toISOString()).toBe("2024-03-01T12:00:00.000Z");
      expect(impl.received[0]).toBeInstanceOf(Date);
      expect((impl.received[0] as Date).getTime()).toBe(when.getTime());
    });

    it("validates a Date parameter in its wire form", async () => {
      const { client, impl } = setup();
      const error = await rejection(client.query("/calculator", "shift", ["yesterday", 1]));
      expect(error.message).toBe('Invalid arguments for Calculator.shift: when (/0) must match format "date-time"');
      expect(impl.calls).toBe(0);
    });
  });

  describe("symmetry", () => {
    it("lets the accepting side query a service the connecting side serves", async () => {
      const { client, server } = setup();
      const notes: ServiceDescriptor = {
        name: "Notes",
        address: "/notes",
        methods: {
          shout: {
            kind: "query",
            params: [{ name: "text", optional: false, nullable: false, validate: isString }],
            result: isString,
          },
        },
      };
      client.serve(bindService(notes, { shout: (text: string) => `${text.toUpperCase()}!` }));
      await expect(server.query("/notes", "shout", ["hi"])).resolves.toBe("HI!");
    });

    it("refuses to bind two services at one address", () => {
      const { server } = setup();
      expect(() => server.serve(bindService(calculatorDescriptor, new Calculator()))).toThrow(
        /already bound at \/calculator/,
      );
    });
  });
});
