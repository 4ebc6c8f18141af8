/**
 * The behavioural JAMP cases of PROTOCOLS.md 1.9 that a WebSocket server answers (`jamp-server.jsonl`: JB-1,
 * JB-4 in Baratine's dialect, JD-1 to JD-4 in the draft's), replayed against a live server on 127.0.0.1
 * accepting every format. `expect: null` means no answer, proven by a query sent after it being answered first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, type Server } from "../../src/runtime/listen.js";
import { bindService } from "../../src/runtime/service.js";
import { mathService, testService } from "./spec-services.js";
import { matches, openRaw, readCases, type RawSocket } from "./support.js";

interface ServerCase {
  readonly case: string;
  readonly send: string;
  readonly expect: unknown;
}

const cases = readCases<ServerCase>("jamp-server.jsonl");

let server: Server;
let raw: RawSocket;

beforeAll(async () => {
  server = await listen({
    port: 0,
    services: [
      bindService(testService, { test: (value: string) => `test[${value}]` }),
      bindService(mathService, { add: (a: number, b: number) => a + b }),
    ],
  });
  raw = await openRaw(server.url);
});

afterAll(async () => {
  raw.close();
  await server.close();
});

describe("PROTOCOLS.md 1.9 server cases over WebSocket", () => {
  it.each(cases)("$case", async ({ case: name, send, expect: expected }) => {
    raw.send(send);
    if (expected === null) {
      raw.send('["query", {}, "/client", 77, "/test", "test", "probe"]');
      expect(await raw.next()).toEqual(["reply", {}, "/client", 77, "test[probe]"]);
      return;
    }
    const answer = await raw.next();
    expect(matches(answer, expected), `${name}: ${JSON.stringify(answer)}`).toBe(true);
  });
});
