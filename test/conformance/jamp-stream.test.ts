/**
 * The streaming cases of PROTOCOLS.md 1.9 (`jamp-stream.jsonl`: JB-5, JB-6, in Baratine's dialect), replayed
 * against a live server on 127.0.0.1 accepting every format, over a raw WebSocket.
 *
 * JB-5: a `stream` is answered by `stream-result`s for its qid whose arrays concatenate to `values`, then
 * exactly `end`. JB-6: after `cancel`, nothing more comes for the qid (`end: null`: no end message either).
 * The server's generator runs until its signal aborts; once its `finally` ran, nothing more can be sent for
 * the qid, so every frame for it is ahead of the answer to a query sent after that, and none may follow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallContext } from "../../src/runtime/context.js";
import { listen, type Server } from "../../src/runtime/listen.js";
import { bindService } from "../../src/runtime/service.js";
import { until } from "../unit/runtime/support/calculator.js";
import { testService } from "./spec-services.js";
import { matches, openRaw, readCases, type RawSocket } from "./support.js";

interface StreamCase {
  readonly case: string;
  readonly send: string;
  readonly values?: readonly unknown[];
  readonly cancel?: string;
  readonly end: unknown;
}

const cases = readCases<StreamCase>("jamp-stream.jsonl");

/** What `ticks` did: how many it yielded, and whether its `finally` ran, with the signal's reason. */
const ticking = { yielded: 0, stopped: "" };

const test = {
  test: (value: string) => `test[${value}]`,
  /** baratine-js's README stream: two values for `value`. */
  async *helloStream(value: string): AsyncGenerator<string> {
    yield `hello ${value}`;
    yield `bye : ${value}`;
  },
  /** Counts until cancelled, a tick at a time. */
  async *ticks(ctx: CallContext): AsyncGenerator<number> {
    try {
      while (!ctx.signal.aborted) {
        yield ++ticking.yielded;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    } finally {
      ticking.stopped = `stopped: ${(ctx.signal.reason as { type?: string } | undefined)?.type ?? "not aborted"}`;
    }
  },
};

let server: Server;
let raw: RawSocket;

beforeAll(async () => {
  const streaming = {
    ...testService,
    methods: {
      ...testService.methods,
      helloStream: { kind: "stream", params: testService.methods["test"]?.params ?? [] },
      ticks: { kind: "stream", params: [] },
    },
  } as const;
  server = await listen({ port: 0, services: [bindService(streaming, test)] });
  raw = await openRaw(server.url);
});

afterAll(async () => {
  raw.close();
  await server.close();
});

/** Sends a query and takes frames until its reply: the frames that came before it. */
async function framesBefore(id: number): Promise<unknown[]> {
  raw.send(JSON.stringify(["query", {}, "/client", id, "/test", "test", "probe"]));
  const frames: unknown[] = [];
  for (;;) {
    const frame = await raw.next();
    if (matches(frame, ["reply", {}, "/client", id, "test[probe]"])) return frames;
    frames.push(frame);
  }
}

const forQid = (qid: number) => (frame: unknown) => Array.isArray(frame) && frame[3] === qid;

describe("PROTOCOLS.md 1.9 stream cases over WebSocket", () => {
  it("has JB-5 and JB-6", () => {
    expect(cases.map((c) => c.case.split(",")[0])).toEqual(["JB-5", "JB-6", "JB-5"]);
  });

  it("JB-5: stream-results whose arrays concatenate to the values, then exactly one stream-complete", async () => {
    const { send, values, end } = cases[0] as StreamCase;
    const qid = (JSON.parse(send) as unknown[])[3] as number;
    raw.send(send);
    const got: unknown[] = [];
    let frame = await raw.next();
    while (Array.isArray(frame) && frame[0] === "stream-result") {
      expect(frame.slice(0, 4)).toEqual(["stream-result", {}, "/client", qid]);
      got.push(...(frame[4] as unknown[]));
      frame = await raw.next();
    }
    expect(got).toEqual(values);
    expect(frame).toEqual(end);
    // Exactly one: nothing else for the qid before a later query is answered.
    expect((await framesBefore(901)).filter(forQid(qid))).toEqual([]);
  });

  it("JB-6: after stream-cancel, no further messages for that qid", async () => {
    const { send, cancel, end } = cases[1] as StreamCase;
    const qid = (JSON.parse(send) as unknown[])[3] as number;
    raw.send(send);
    const first = await raw.next();
    expect(first).toEqual(["stream-result", {}, "/client", qid, [1]]);
    raw.send(cancel as string);
    await until(() => ticking.stopped !== "");
    expect(ticking.stopped).toBe("stopped: cancelled");
    // Frames the server sent before it read the cancel are ahead of this reply; all are items.
    const inFlight = (await framesBefore(902)).filter(forQid(qid));
    expect(inFlight.every((frame) => (frame as unknown[])[0] === "stream-result")).toBe(true);
    expect(end).toBeNull();
    expect((await framesBefore(903)).filter(forQid(qid))).toEqual([]);
    expect([...server.peers].map((peer) => peer.stats.streams)).toEqual([0]);
  });
});
