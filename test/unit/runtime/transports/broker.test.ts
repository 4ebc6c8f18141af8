/**
 * What the broker transports decide without a broker: queue names, the address a name-only call goes to
 * (it must be the generator's own default address), and reading a frame to route it.
 */
import { describe, expect, it } from "vitest";
import { kebabCase } from "../../../../src/model/names.js";
import { jampBCodec, jsonRpc2Codec } from "../../../../src/runtime/codecs/index.js";
import { defaultAddress, mayBe, queueName, readFrame } from "../../../../src/runtime/transports/broker.js";

describe("queue names", () => {
  it("turns a service address into a queue name STOMP accepts", () => {
    expect(queueName("/calculator")).toBe("jamp.calculator");
    expect(queueName("/shop/orders")).toBe("jamp.shop.orders");
    expect(queueName("jamp+amqp://broker.example/calculator?x=1")).toBe("jamp.calculator");
    expect(queueName("/calculator", { queuePrefix: "prod" })).toBe("prod.calculator");
    expect(queueName("/calculator", { queueOf: (address) => `svc:${address}` })).toBe("svc:/calculator");
  });

  it("gives a service called by name the address the generator gives it", () => {
    for (const name of ["Calculator", "ChatRoom", "HTTPServer", "calc2Api", "XMLHttpRequest", "A"]) {
      expect(defaultAddress(name)).toBe(`/${kebabCase(name)}`);
    }
  });
});

describe("reading frames to route them", () => {
  it("recognises each format's frame", () => {
    expect(readFrame('["query", 1, "/calculator", "/client/1", "add", [1, 2]]')).toMatchObject({
      message: { kind: "query", id: 1, to: "/calculator" },
      codec: { name: "jamp" },
    });
    const jampB = jampBCodec.encode({ kind: "send", to: "/calculator", from: "", method: "reset", args: [] });
    expect(readFrame(jampB)).toMatchObject({ message: { kind: "send", to: "/calculator" }, codec: { name: "jamp-b" } });
    expect(readFrame('{"jsonrpc": "2.0", "method": "Calculator.add", "params": [1, 2], "id": 3}')).toMatchObject({
      message: { kind: "query", to: "", service: "Calculator", id: 3 },
      codec: jsonRpc2Codec,
    });
  });

  it("reads nothing from text no format reads, and from a batch", () => {
    expect(readFrame("not json")).toBeUndefined();
    expect(readFrame('{"foo": 1}')).toBeUndefined();
    expect(readFrame('[{"jsonrpc": "2.0", "method": "A.b", "id": 1}]')).toBeUndefined();
  });

  it("tells stream frames by their first slot before parsing", () => {
    expect(mayBe(' [ "stream-result", 1, "/c", "/s", [1]]', "stream-result")).toBe(true);
    expect(mayBe('["stream", 1]', "stream-result", "stream-complete")).toBe(false);
    expect(mayBe('{"jsonrpc": "2.0"}', "stream")).toBe(false);
  });
});
