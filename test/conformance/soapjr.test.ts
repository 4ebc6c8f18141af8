/**
 * The SOAPjr cases of PROTOCOLS.md 3.5 (`soapjr.jsonl`, the spec's table written as requests and expected
 * answers, with our error mapping), replayed against a live server over a WebSocket on 127.0.0.1 that
 * accepts every format, SOAPjr first (so that it answers text that is not JSON, S-4). S-3's form body goes
 * through `soapjrFormFrame`, what the HTTP transport calls. S-2's unknown `sid` is refused by the server's
 * `authorize` hook, which sees it among the call's headers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codecs, soapjrFormFrame } from "../../src/runtime/codecs/index.js";
import { listen, type Server } from "../../src/runtime/listen.js";
import { bindService } from "../../src/runtime/service.js";
import { authorizeContacts, contacts, contactsService } from "./spec-services.js";
import { matches, openRaw, readCases, type RawSocket } from "./support.js";

interface SoapjrCase {
  readonly case: string;
  readonly request?: string;
  readonly form?: string;
  readonly response: unknown;
}

const cases = readCases<SoapjrCase>("soapjr.jsonl");

let server: Server;
let raw: RawSocket;

beforeAll(async () => {
  const accept = ["soapjr", ...Object.keys(codecs).filter((name) => name !== "soapjr")];
  server = await listen({
    port: 0,
    services: [bindService(contactsService, contacts)],
    accept,
    authorize: authorizeContacts,
  });
  raw = await openRaw(server.url);
});

afterAll(async () => {
  raw.close();
  await server.close();
});

describe("PROTOCOLS.md 3.5 over WebSocket", () => {
  it("has every case of the spec", () => {
    expect(cases.map((c) => c.case)).toEqual(["S-1", "S-2", "S-3", "S-4", "S-5", "S-6"]);
  });

  for (const { case: name, request, form, response } of cases) {
    it(name, async () => {
      raw.send(form === undefined ? (request as string) : soapjrFormFrame(form));
      const answer = await raw.next();
      expect(matches(answer, response), `${name}: ${JSON.stringify(answer)}`).toBe(true);
    });
  }
});
