import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../../src/runtime/client.js";
import { Peer } from "../../../src/runtime/peer.js";
import { createLoopbackPair } from "../../../src/runtime/transports/loopback.js";
import type { Transport } from "../../../src/runtime/transports/transport.js";
import type { ClientDescriptor, ResultValidators } from "../../../src/runtime/descriptor.js";
import { calculatorDescriptor } from "./support/calculator.js";
import { ledgerDescriptor } from "./support/ledger.js";
import { rejection } from "../../support/rejection.js";

const ends: Transport[] = [];

afterEach(() => {
  for (const end of ends.splice(0)) end.close();
});

/** A client whose frames the test reads, and answers, by hand. */
function setup(options: { validateResults?: boolean | ResultValidators } = {}, descriptor: ClientDescriptor = calculatorDescriptor) {
  const [clientEnd, raw] = createLoopbackPair();
  ends.push(clientEnd, raw);
  const peer = new Peer(clientEnd, { address: "/me" });
  return { raw, client: createClient(peer, descriptor, undefined, options) };
}

/** The calculator as a generated client reads it: no validators in the descriptor, they come apart. */
const calculatorClient: ClientDescriptor = {
  name: "Calculator",
  address: "/calculator",
  methods: Object.fromEntries(Object.entries(calculatorDescriptor.methods).map(([name, m]) => [name, { params: m.params, reviveResult: m.reviveResult }])),
  resultValidators: "calculatorResultValidators",
};
const calculatorResults: ResultValidators = Object.fromEntries(
  Object.entries(calculatorDescriptor.methods).map(([name, m]) => [name, { result: m.result }]),
);


describe("createClient", () => {
  it("leaves out trailing undefined arguments and sends the others as null", async () => {
    const { raw, client } = setup();
    void client.query("greet", ["Ann", undefined, undefined]).catch(() => undefined);
    void client.query("greet", ["Ann", undefined, "!"]).catch(() => undefined);
    expect(JSON.parse(await raw.receive())).toEqual(["query", 1, "/calculator", "/me", "greet", ["Ann"]]);
    expect(JSON.parse(await raw.receive())).toEqual(["query", 2, "/calculator", "/me", "greet", ["Ann", null, "!"]]);
  });

  it("sends to the address it was given", async () => {
    const [clientEnd, raw] = createLoopbackPair();
    ends.push(clientEnd, raw);
    const client = createClient(new Peer(clientEnd, { address: "/me" }), calculatorDescriptor, "/calc/v2");
    client.send("log", ["hello"]);
    expect(JSON.parse(await raw.receive())).toEqual(["send", "/calc/v2", "/me", "log", ["hello"]]);
  });

  it("revives the result", async () => {
    const { raw, client } = setup();
    const answer = client.query<Date>("shift", [new Date(0), 1]);
    await raw.receive();
    raw.send('["reply", 1, "/me", "/calculator", "2024-02-29T08:30:00.000Z"]');
    expect((await answer).toISOString()).toBe("2024-02-29T08:30:00.000Z");
  });

  it("rejects a result that breaks the contract with invalid-message when validating", async () => {
    const { raw, client } = setup({ validateResults: true });
    const answer = rejection(client.query("add", [1, 2]));
    await raw.receive();
    raw.send('["reply", 1, "/me", "/calculator", "three"]');
    const error = await answer;
    expect([error.type, error.message]).toEqual([
      "invalid-message",
      "Invalid result from Calculator.add: result must be number",
    ]);
    expect(error.data).toEqual({ issues: [{ path: "", keyword: "type", message: "must be number" }] });
  });

  it("checks results with the validators it is given, where its descriptor carries none", async () => {
    const { raw, client } = setup({ validateResults: calculatorResults }, calculatorClient);
    const answer = rejection(client.query("add", [1, 2]));
    await raw.receive();
    raw.send('["reply", 1, "/me", "/calculator", "three"]');
    expect((await answer).message).toBe("Invalid result from Calculator.add: result must be number");
    // Without them, a result goes through as it came.
    const unchecked = setup({}, calculatorClient);
    const passed = unchecked.client.query("add", [1, 2]);
    await unchecked.raw.receive();
    unchecked.raw.send('["reply", 1, "/me", "/calculator", "three"]');
    await expect(passed).resolves.toBe("three");
  });

  it("refuses validateResults: true on a descriptor without validators, naming the ones to pass", () => {
    expect(() => setup({ validateResults: true }, calculatorClient)).toThrow(
      new TypeError("validateResults: Calculator's client descriptor carries no validators; pass calculatorResultValidators from its .validate module instead of true"),
    );
  });

  it("passes an unchecked result through when not validating", async () => {
    const { raw, client } = setup();
    const answer = client.query("add", [1, 2]);
    await raw.receive();
    raw.send('["reply", 1, "/me", "/calculator", "three"]');
    await expect(answer).resolves.toBe("three");
  });

  it("refuses methods the descriptor lacks without sending anything", async () => {
    const { client } = setup();
    expect((await rejection(client.query("toString", []))).type).toBe("method-not-found");
    expect(() => client.send("__proto__", [])).toThrow(/Calculator has no method "__proto__"/);
  });
});

describe("createClient encoding", () => {
  function ledger() {
    const [clientEnd, raw] = createLoopbackPair();
    ends.push(clientEnd, raw);
    return { raw, client: createClient(new Peer(clientEnd, { address: "/me" }), ledgerDescriptor) };
  }

  it("encodes arguments into their wire form without changing the caller's values", async () => {
    const { raw, client } = ledger();
    const amounts = [1n, 2n ** 60n];
    void client.query("total", [amounts, 10n]).catch(() => undefined);
    expect(await raw.receive()).toBe('["query",1,"/ledger","/me","total",[["1","1152921504606846976"],"10"]]');
    expect(amounts).toEqual([1n, 2n ** 60n]);
  });

  it("leaves null and left-out arguments to the usual rules", async () => {
    const { raw, client } = ledger();
    void client.query("total", [[], null]).catch(() => undefined);
    void client.query("total", [[], undefined]).catch(() => undefined);
    expect(JSON.parse(await raw.receive())).toEqual(["query", 1, "/ledger", "/me", "total", [[], null]]);
    expect(JSON.parse(await raw.receive())).toEqual(["query", 2, "/ledger", "/me", "total", [[]]]);
  });

  it("encodes the arguments of a send", async () => {
    const { raw, client } = ledger();
    client.send("stamp", [new Date("2024-02-29T08:30:00Z")]);
    expect(JSON.parse(await raw.receive())).toEqual(["send", "/ledger", "/me", "stamp", ["2024-02-29T08:30:00.000Z"]]);
  });

  it("fails with invalid-arguments, sending nothing, when an argument cannot be encoded", async () => {
    const { raw, client } = ledger();
    expect(() => client.send("stamp", [new Date("not a date")])).toThrow(
      "Invalid arguments for Ledger.stamp: at (/0) cannot be encoded: Invalid time value",
    );
    client.send("stamp", [new Date(0)]);
    expect(JSON.parse(await raw.receive())).toEqual(["send", "/ledger", "/me", "stamp", ["1970-01-01T00:00:00.000Z"]]);
  });

  it("revives the result", async () => {
    const { raw, client } = ledger();
    const answer = client.query<bigint>("total", [[1n]]);
    await raw.receive();
    raw.send('["reply", 1, "/me", "/ledger", "-18446744073709551617"]');
    expect(await answer).toBe(-(2n ** 64n) - 1n);
  });
});
