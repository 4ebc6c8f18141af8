/**
 * Where a serving client's answers go over a broker: to the server that made each call back, also when
 * two servers' ids meet, and nowhere for an answer to no call.
 */
import { describe, expect, it } from "vitest";
import { jsonRpc2Codec } from "../../../../src/runtime/codecs/index.js";
import { CallerRoutes, mayBeCall } from "../../../../src/runtime/transports/broker-callers.js";
import { readFrame } from "../../../../src/runtime/transports/broker.js";

const me = "/client/me";

describe("the routes of calls back", () => {
  it("answers each server's query at its own reply address, though their ids meet", () => {
    const routes = new CallerRoutes();
    routes.learn({ kind: "query", id: 1, to: me, from: "/client/server-a", method: "confirm", args: [] }, "reply-a");
    routes.learn({ kind: "query", id: 1, to: me, from: "/client/server-b", method: "confirm", args: [] }, "reply-b");
    expect(routes.route({ kind: "reply", id: 1, to: "/client/server-b", from: me, result: true })).toBe("reply-b");
    expect(routes.route({ kind: "query-error", id: 1, to: "/client/server-a", from: me, error: { type: "busy", message: "" } })).toBe("reply-a");
    // Answered for good: a second answer has nowhere to go.
    expect(routes.route({ kind: "reply", id: 1, to: "/client/server-a", from: me, result: true })).toBeUndefined();
  });

  it("keeps a served stream's route for its items, until its end or its caller's cancel", () => {
    const routes = new CallerRoutes();
    const stream = { id: 7, to: me, from: "/client/server" } as const;
    routes.learn({ kind: "stream", ...stream, method: "ticks", args: [], credit: 2 }, "reply-s");
    const answer = { id: 7, to: "/client/server", from: me } as const;
    expect(routes.route({ kind: "stream-result", ...answer, values: [1] })).toBe("reply-s");
    expect(routes.route({ kind: "stream-result", ...answer, values: [2] })).toBe("reply-s");
    expect(routes.route({ kind: "stream-complete", ...answer })).toBe("reply-s");
    expect(routes.route({ kind: "stream-result", ...answer, values: [3] })).toBeUndefined();
    routes.learn({ kind: "stream", ...stream, method: "ticks", args: [], credit: 2 }, "reply-s");
    routes.learn({ kind: "stream-cancel", ...stream }, "reply-s");
    expect(routes.route({ kind: "stream-error", ...answer, error: { type: "cancelled", message: "" } })).toBeUndefined();
  });

  it("sends the error of a failed send to the last reply address of its sender", () => {
    const routes = new CallerRoutes();
    routes.learn({ kind: "send", to: me, from: "/client/server", method: "onMessage", args: [] }, "reply-1");
    routes.learn({ kind: "send", to: me, from: "/client/server", method: "onMessage", args: [] }, "reply-2");
    expect(routes.route({ kind: "error", to: "/client/server", from: me, error: { type: "invalid-arguments", message: "" } })).toBe("reply-2");
    expect(routes.route({ kind: "error", to: "/client/other", from: me, error: { type: "x", message: "" } })).toBeUndefined();
  });

  it("answers JSON-RPC calls back, which name no caller, by id", () => {
    const routes = new CallerRoutes();
    const call = readFrame('{"jsonrpc": "2.0", "id": "c1", "method": "ChatListener.confirm", "params": ["now?", "bob"]}');
    routes.learn(call!.message, "reply-j");
    const answer = jsonRpc2Codec.encode({ kind: "reply", id: "c1", to: "", from: "", result: true });
    expect(routes.route(readFrame(answer)!.message)).toBe("reply-j");
  });

  it("forgets the oldest calls past 10,000", () => {
    const routes = new CallerRoutes();
    for (let id = 0; id <= 10_000; id++) routes.learn({ kind: "query", id, to: me, from: "/s", method: "m", args: [] }, `r${id}`);
    expect(routes.route({ kind: "reply", id: 0, to: "/s", from: me, result: null })).toBeUndefined();
    expect(routes.route({ kind: "reply", id: 10_000, to: "/s", from: me, result: null })).toBe("r10000");
  });
});

describe("telling a call from an answer before parsing", () => {
  it.each([
    ['["query", 1, "/to", "/from", "m", []]', true],
    ['["send", {}, "/to", "/from", "m", []]', true],
    ['["stream-cancel", 1, "/to", "/from"]', true],
    ['{"jsonrpc": "2.0", "id": 1, "method": "A.b"}', true],
    ['{"HEAD": {"service_type": "A", "action_type": "b"}, "BODY": {}}', true],
    ['["reply", 1, "/to", "/from", 3]', false],
    ['["stream-result", 1, "/to", "/from", [1]]', false],
    ['{"jsonrpc": "2.0", "id": 1, "result": 3}', false],
    ["not json", false],
  ])("%s: %s", (frame, call) => {
    expect(mayBeCall(frame)).toBe(call);
  });
});
