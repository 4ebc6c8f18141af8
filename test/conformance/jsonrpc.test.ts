/**
 * The JSON-RPC cases of PROTOCOLS.md 2.7, replayed byte for byte over a real WebSocket on 127.0.0.1 against
 * a live server: `jsonrpc2.jsonl` (the 2.0 specification's examples, then our derived cases) against a
 * JSON-RPC 2.0 server and against a server accepting every format, and `jsonrpc1.jsonl` (the 1.0
 * specification's chat exchange, server notifications interleaved) against both kinds too. Compared as
 * the cases say: `jsonrpc`, `id`, `result` and `error.code` strictly, error messages being the server's
 * own; `response: null` means no frame at all, proven by a request sent after it being answered first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDescriptor } from "../../src/runtime/descriptor.js";
import { listen, type ListenOptions, type Server } from "../../src/runtime/listen.js";
import { bindService } from "../../src/runtime/service.js";
import { isString, until } from "../unit/runtime/support/calculator.js";
import { comparable, sorted, spec, specService } from "./spec-services.js";
import { matches, openRaw, readCases, type RawSocket } from "./support.js";

interface RpcCase {
  readonly case: string;
  readonly request: string;
  readonly response: unknown;
  readonly match: "exact" | "unordered-array";
}

interface ExchangeCase {
  readonly case: string;
  readonly dir: "c->s" | "s->c";
  readonly message: Record<string, unknown>;
}

const rpcCases = readCases<RpcCase>("jsonrpc2.jsonl");
const exchange = readCases<ExchangeCase>("jsonrpc1.jsonl");

/** The 1.0 specification's chat service; `postMessage` answers once the test lets it, to order the frames. */
const chatService: ServiceDescriptor = {
  name: "Chat",
  address: "",
  methods: {
    echo: { kind: "query", params: [{ name: "text", optional: false, nullable: false, validate: isString }] },
    postMessage: { kind: "query", params: [{ name: "text", optional: false, nullable: false, validate: isString }] },
  },
};

const held: (() => void)[] = [];
const chat = {
  echo: (text: string) => text,
  postMessage: () => new Promise<number>((resolve) => held.push(() => resolve(1))),
};

let probes = 0;

/** Sends a request whose answer must be the next frame: nothing was answered before it. */
async function expectNothing(raw: RawSocket): Promise<void> {
  const id = `probe-${++probes}`;
  raw.send(JSON.stringify({ jsonrpc: "2.0", method: "subtract", params: [2, 1], id }));
  expect(await raw.next()).toEqual({ jsonrpc: "2.0", result: 1, id });
}

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serve(services: ListenOptions["services"], accept?: string[]): Promise<Server> {
  const server = await listen({ port: 0, services, ...(accept === undefined ? {} : { accept }) });
  servers.push(server);
  return server;
}

/** The 2.0 cases, against a server; `answers` overrides the expected response of some cases. */
function replayRpc(label: string, accept: string[] | undefined, answers: Record<string, unknown> = {}): void {
  describe(label, () => {
    let raw: RawSocket;
    beforeAll(async () => {
      raw = await openRaw((await serve([bindService(specService, spec)], accept)).url);
      return () => raw.close();
    });

    it("has every case of the spec", () => {
      expect(rpcCases.length).toBe(24);
    });

    it.each(rpcCases)("$case", async ({ case: name, request, response, match }) => {
      const expected = name in answers ? answers[name] : response;
      raw.send(request);
      if (expected === null) {
        await expectNothing(raw);
        return;
      }
      const actual = comparable(await raw.next());
      const wanted = comparable(expected);
      expect(match === "unordered-array" ? sorted(actual) : actual).toEqual(
        match === "unordered-array" ? sorted(wanted) : wanted,
      );
    });

    it("ran the notifications, which were never answered", () => {
      expect(spec.calls).toBeGreaterThanOrEqual(3);
    });
  });
}

replayRpc("a JSON-RPC 2.0 server", ["jsonrpc2"]);
replayRpc("a server accepting every format", undefined, {
  // Without "jsonrpc" the request is JSON-RPC 1.0 (PROTOCOLS.md 2.5), answered as 1.0 answers.
  "derived-missing-jsonrpc": { result: 2, error: null, id: 7 },
});

describe.each([
  ["a JSON-RPC 1.0 server", ["jsonrpc1"]],
  ["a server accepting every format", undefined],
])("the 1.0 chat exchange with %s", (_, accept) => {
  it("is replayed exactly, server notifications interleaved", async () => {
    const server = await serve([bindService(chatService, chat)], accept);
    const raw = await openRaw(server.url);
    try {
      for (const { case: name, dir, message } of exchange) {
        if (dir === "c->s") {
          raw.send(JSON.stringify(message));
          continue;
        }
        if (message["method"] !== undefined) {
          // A notification of the server's own: the connection's peer sends it, in the client's format.
          const [peer] = server.peers;
          peer?.send("", message["method"] as string, message["params"] as unknown[]);
        } else {
          // The answer to the last request: a held postMessage is let go once it is there.
          await until(() => raw.waiting > 0 || held.length > 0);
          held.shift()?.();
        }
        const frame = await raw.next();
        expect(matches(frame, message), `${name}: ${JSON.stringify(frame)}`).toBe(true);
      }
      expect(raw.waiting).toBe(0);
    } finally {
      raw.close();
    }
  });
});
