import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../../src/runtime/client.js";
import { Peer } from "../../../src/runtime/peer.js";
import { createLoopbackPair } from "../../../src/runtime/transports/loopback.js";
import type { Transport } from "../../../src/runtime/transports/transport.js";
import { calculatorDescriptor } from "./support/calculator.js";
import { rejection } from "../../support/rejection.js";

const ends: Transport[] = [];

afterEach(() => {
  for (const end of ends.splice(0)) end.close();
});

/** A client whose frames the test reads, and answers, by hand. */
function setup(options: { validateResults?: boolean } = {}) {
  const [clientEnd, raw] = createLoopbackPair();
  ends.push(clientEnd, raw);
  const peer = new Peer(clientEnd, { address: "/me" });
  return { raw, client: createClient(peer, calculatorDescriptor, undefined, options) };
}


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
