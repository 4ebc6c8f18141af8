/**
 * The SOAPjr cases of PROTOCOLS.md 3.5 (`soapjr.jsonl`, the spec's table written as requests and expected
 * answers, with our error mapping), replayed against a live server over a WebSocket on 127.0.0.1 that
 * accepts every format, SOAPjr first (so that it answers text that is not JSON, S-4). S-3's form body goes
 * through `soapjrFormFrame`, what the HTTP transport will call. Cases marked `pending` name what they wait for.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codecs, soapjrFormFrame } from "../../src/runtime/codecs/index.js";
import type { ServiceDescriptor } from "../../src/runtime/descriptor.js";
import { listen, type Server } from "../../src/runtime/listen.js";
import { bindService } from "../../src/runtime/service.js";
import { isString } from "../unit/runtime/support/calculator.js";
import { matches, openRaw, readCases, type RawSocket } from "./support.js";

interface SoapjrCase {
  readonly case: string;
  readonly request?: string;
  readonly form?: string;
  readonly response: unknown;
  readonly pending?: string;
}

const cases = readCases<SoapjrCase>("soapjr.jsonl");
const contact = {
  fn: "Joe Bloggs",
  kind: "individual",
  email: [{ type: ["internet", "pref"], value: "jbloggs@SOAPjr.org" }],
};
const text = (name: string) => ({ name, optional: false, nullable: false, validate: isString });

/** The "SOAPjr demos" contacts service, named as its `service_type`. */
const contactsService: ServiceDescriptor = {
  name: "contacts",
  address: "/contacts",
  methods: {
    view: { kind: "query", params: [text("username")] },
    rename: { kind: "query", params: [text("a"), text("b")] },
  },
};

const contacts = {
  view: (username: string) => (username === "jbloggs" ? contact : null),
  rename(a: string, b: string): never {
    const renamed = { ...contact, fn: `${a} ${b}` };
    throw new Error(`cannot store ${renamed.fn}`);
  },
};

let server: Server;
let raw: RawSocket;

beforeAll(async () => {
  const accept = ["soapjr", ...Object.keys(codecs).filter((name) => name !== "soapjr")];
  server = await listen({ port: 0, services: [bindService(contactsService, contacts)], accept });
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

  for (const { case: name, request, form, response, pending } of cases) {
    if (pending !== undefined) {
      it.skip(`${name} (waits for ${pending})`, () => undefined);
      continue;
    }
    it(name, async () => {
      raw.send(form === undefined ? (request as string) : soapjrFormFrame(form));
      const answer = await raw.next();
      expect(matches(answer, response), `${name}: ${JSON.stringify(answer)}`).toBe(true);
    });
  }
});
