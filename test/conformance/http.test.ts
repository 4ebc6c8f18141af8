/**
 * The conformance cases replayed over HTTP POST against a live server on 127.0.0.1, one request per case,
 * with plain `fetch`: JSON-RPC 2.0 (`jsonrpc2.jsonl`; `response: null` is 204 with no body), SOAPjr
 * (`soapjr.jsonl`: S-1 as a GET with `json=`, S-3 as a form body, the others as JSON bodies), and JAMP in
 * Baratine's HTTP modes (`jamp-http.jsonl`: JB-2 and JB-3 of PROTOCOLS.md 1.9 in jamp-rpc, JB-7 a jamp-pull
 * with nothing queued, and every case of `jamp-server.jsonl` wrapped in a one-message array, answered by an
 * array of its answers).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDescriptor } from "../../src/runtime/descriptor.js";
import { codecs } from "../../src/runtime/codecs/index.js";
import { listen, type Server } from "../../src/runtime/listen.js";
import { bindService } from "../../src/runtime/service.js";
import {
  authorizeContacts,
  comparable,
  contacts,
  contactsService,
  mathService,
  sorted,
  spec,
  specService,
  testService,
} from "./spec-services.js";
import { matches, readCases } from "./support.js";

interface RpcCase {
  readonly case: string;
  readonly request: string;
  readonly response: unknown;
  readonly match: "exact" | "unordered-array";
}

interface SoapjrCase {
  readonly case: string;
  readonly request?: string;
  readonly form?: string;
  readonly response: unknown;
}

interface JampHttpCase {
  readonly case: string;
  /** The content type's mode; default `jamp-rpc`. */
  readonly mode?: string;
  readonly body?: string;
  readonly status?: number;
  readonly expect?: unknown;
  readonly pending?: string;
}

/** Baratine's `/map/foo` of JB-3, whose `clear` is a send. */
const mapService: ServiceDescriptor = {
  name: "Map",
  address: "/map/foo",
  methods: { clear: { kind: "send", params: [] } },
};
const map = { clears: 0, clear: () => void map.clears++ };

let rpcServer: Server;
let soapjrServer: Server;
let jampServer: Server;
/** JB-7 waits this long for its answer (the default, 15 s, would slow the suite down). */
const pullTimeout = 300;

beforeAll(async () => {
  rpcServer = await listen({ services: [bindService(specService, spec)], accept: ["jsonrpc2"] });
  // SOAPjr first, so that it answers text that is not JSON (S-4), as over WebSocket.
  const accept = ["soapjr", ...Object.keys(codecs).filter((name) => name !== "soapjr")];
  soapjrServer = await listen({
    services: [bindService(contactsService, contacts)],
    accept,
    authorize: authorizeContacts,
  });
  jampServer = await listen({
    services: [
      bindService(testService, { test: (value: string) => `test[${value}]` }),
      bindService(mathService, { add: (a: number, b: number) => a + b }),
      bindService(mapService, map),
    ],
    channels: { pullTimeout },
  });
});

afterAll(async () => {
  await Promise.all([rpcServer.close(), soapjrServer.close(), jampServer.close()]);
});

const post = (url: string, body: string, type: string) =>
  fetch(url, { method: "POST", headers: { "content-type": type }, body });

describe("PROTOCOLS.md 2.7 over HTTP POST", () => {
  const cases = readCases<RpcCase>("jsonrpc2.jsonl");

  it.each(cases)("$case", async ({ request, response, match }) => {
    const answer = await post(rpcServer.httpUrl, request, "application/json");
    if (response === null) {
      expect([answer.status, await answer.text()]).toEqual([204, ""]);
      return;
    }
    expect([answer.status, answer.headers.get("content-type")]).toEqual([200, "application/json; charset=utf-8"]);
    const actual = comparable(await answer.json());
    const wanted = comparable(response);
    expect(match === "unordered-array" ? sorted(actual) : actual).toEqual(
      match === "unordered-array" ? sorted(wanted) : wanted,
    );
  });
});

describe("PROTOCOLS.md 3.5 over HTTP", () => {
  for (const { case: name, request, form, response } of readCases<SoapjrCase>("soapjr.jsonl")) {
    it(name, async () => {
      const url = soapjrServer.httpUrl;
      const answer =
        form !== undefined
          ? await post(url, form, "application/x-www-form-urlencoded")
          : name === "S-1"
            ? await fetch(`${url}?json=${encodeURIComponent(request as string)}`)
            : await post(url, request as string, "application/json");
      expect(answer.status).toBe(200);
      const body: unknown = await answer.json();
      expect(matches(body, response), `${name}: ${JSON.stringify(body)}`).toBe(true);
    });
  }
});

describe("PROTOCOLS.md 1.9 over Baratine's HTTP modes", () => {
  for (const { case: name, mode, body, status, expect: expected, pending } of readCases<JampHttpCase>(
    "jamp-http.jsonl",
  )) {
    if (pending !== undefined) {
      it.skip(`${name} (waits for ${pending})`, () => undefined);
      continue;
    }
    it(name, async () => {
      const clears = map.clears;
      const started = performance.now();
      const answer = await post(jampServer.httpUrl, body as string, `x-application/${mode ?? "jamp-rpc"}`);
      expect([answer.status, answer.headers.get("content-type")]).toEqual([status, "application/json; charset=utf-8"]);
      expect(await answer.json()).toEqual(expected);
      if (name === "JB-3") expect(map.clears).toBe(clears + 1);
      // Not a speed check: a long poll that did not wait would answer at once (timers may fire a little early).
      if (mode === "jamp-pull") expect(performance.now() - started).toBeGreaterThanOrEqual(pullTimeout - 50);
    });
  }

  interface ServerCase {
    readonly case: string;
    readonly send: string;
    readonly expect: unknown;
  }
  it.each(readCases<ServerCase>("jamp-server.jsonl"))(
    "$case in a one-message array",
    async ({ send, expect: expected }) => {
      const answer = await post(jampServer.httpUrl, `[${send}]`, "x-application/jamp");
      const body: unknown = await answer.json();
      expect(matches(body, expected === null ? [] : [expected]), JSON.stringify(body)).toBe(true);
    },
  );
});
