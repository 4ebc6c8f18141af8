/**
 * The JSON-BOSH gateway of the jamp-gen server in front of Prosody's mod_bosh: a client that speaks only
 * JSON (plain `fetch`, bodies in the form of PROTOCOLS.md 5.4) logs in, exchanges XEP-0432 messages with
 * an ordinary @xmpp/client user, and logs out; an XML client uses the same endpoint, and every body it
 * received converts to JSON and back unchanged. Bodies that cannot be converted are refused with 400.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xml } from "@xmpp/client";
import { listen, type Server } from "jamp-gen/runtime";
import { createJsonBoshGateway, jsonToXml, xmlToJson } from "../../src/runtime/xmpp/index.js";
import type { JampError } from "../../src/runtime/errors.js";
import { canonicalXml } from "../support/xml.js";
import { account, payloadsOf, prosody, rawUser, type RawUser } from "./xmpp-support.js";

const httpbind = "http://jabber.org/protocol/httpbind";
const xbosh = "urn:xmpp:xbosh";
const sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
const bindNamespace = "urn:ietf:params:xml:ns:xmpp-bind";

/** JSON bodies as the client reads them, loosely typed: the test checks their shape. */
type Json = Record<string, any>;

let server: Server;
let url: string;
const gatewayErrors: JampError[] = [];
let erin: RawUser;

beforeAll(async () => {
  server = await listen({
    services: [],
    handleHttp: createJsonBoshGateway({ target: prosody.bosh, onError: (error) => gatewayErrors.push(error) }),
  });
  url = `${server.httpUrl}http-bind`;
  erin = await rawUser("erin", `plain-${Math.random().toString(36).slice(2, 8)}`);
});

afterAll(async () => {
  await erin.stop();
  await server.close();
});

/** A BOSH client that knows nothing of XML: it posts JSON and reads JSON. */
class JsonBoshClient {
  rid = Math.floor(Math.random() * 1e9);
  sid = "";
  jid = "";

  async post(body: Json): Promise<{ status: number; json: Json }> {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/jsonrequest" },
      body: JSON.stringify({ body: { rid: this.rid++, ...(this.sid === "" ? {} : { sid: this.sid }), ...body } }),
    });
    const text = await response.text();
    expect(response.headers.get("content-type"), text).toBe("application/jsonrequest");
    return { status: response.status, json: JSON.parse(text) as Json };
  }

  /** Session, SASL PLAIN, stream restart and resource binding: XEP-0206's login, in JSON. */
  async login(user: string, password: string): Promise<Json> {
    const created = await this.post({
      content: "text/xml; charset=utf-8",
      hold: 1,
      to: prosody.domain,
      ver: "1.6",
      wait: 5,
      lang: { $$: "xml", $: "en" },
      version: { $$: "xmpp", $: "1.0" },
      xmlns: { $: httpbind, "@xmpp": xbosh },
    });
    this.sid = created.json["body"].sid;
    const credentials = Buffer.from(`\0${user}\0${password}`).toString("base64");
    const auth = await this.post({ xmlns: httpbind, $: { auth: { xmlns: sasl, mechanism: "PLAIN", $: credentials } } });
    expect(auth.json["body"].$).toHaveProperty("success");
    await this.post({
      xmlns: { $: httpbind, "@xmpp": xbosh },
      restart: { $$: "xmpp", $: "true" },
      to: prosody.domain,
      lang: { $$: "xml", $: "en" },
    });
    // No xmlns on the <iq/>: the gateway puts it in jabber:client, the stream's namespace.
    const bound = await this.post({
      xmlns: httpbind,
      $: { iq: { type: "set", id: "bind-1", $: { bind: { xmlns: bindNamespace, $: { resource: "json" } } } } },
    });
    this.jid = bound.json["body"].$.iq.$.bind.$.jid;
    return created.json;
  }

  /**
   * The first message with a payload in the answer `pending` (a request the server may be holding), or
   * else in the answers to polls sent after it.
   */
  async nextMessage(pending: Promise<{ json: Json }>): Promise<Json> {
    let answer = await pending;
    for (let i = 0; i < 10; i++) {
      const messages = [answer.json["body"].$?.message ?? []].flat() as Json[];
      const found = messages.find((m) => m["$"]?.payload !== undefined);
      if (found !== undefined) return found;
      answer = await this.post({ xmlns: httpbind });
    }
    throw new Error("no message arrived");
  }
}

describe("a client that speaks only JSON, through the gateway", () => {
  it("logs in, exchanges XEP-0432 messages with an ordinary client, and logs out", async () => {
    const client = new JsonBoshClient();
    const created = await client.login("dave", account("dave").password);
    expect([created["body"].$.features.$.mechanisms.$.mechanism].flat()).toContain("PLAIN");
    expect(created["body"].$.features.$$).toBe("stream");
    expect(client.jid).toMatch(/^dave@localhost\/json/);

    const question = { text: "hi erin <3 & co ]]>" };
    // BOSH holds a request until it has something to answer with: this one comes back with erin's reply.
    const sent = client.post({
      xmlns: httpbind,
      $: {
        message: {
          to: erin.jid,
          id: "json-1",
          $: {
            payload: {
              xmlns: "urn:xmpp:json-msg:0",
              datatype: "urn:example:chat",
              $: { json: { xmlns: "urn:xmpp:json:0", $: JSON.stringify(question) } },
            },
          },
        },
      },
    });
    const received = await erin.next((s) => s.name === "message" && s.attrs["from"] === client.jid);
    expect(payloadsOf(received)).toEqual([{ datatype: "urn:example:chat", value: question }]);

    const answer = { text: "hello dave, <from> erin" };
    await erin.entity.send(
      xml(
        "message",
        { to: client.jid, id: "plain-1" },
        xml(
          "payload",
          { xmlns: "urn:xmpp:json-msg:0", datatype: "urn:example:chat" },
          xml("json", { xmlns: "urn:xmpp:json:0" }, JSON.stringify(answer)),
        ),
      ),
    );
    const message = await client.nextMessage(sent);
    expect((await sent).status).toBe(200);
    expect(message["from"]).toBe(erin.jid);
    expect(message["$"].payload.datatype).toBe("urn:example:chat");
    expect(JSON.parse(message["$"].payload.$.json.$)).toEqual(answer);

    const ended = await client.post({ xmlns: httpbind, type: "terminate", $: { presence: { type: "unavailable" } } });
    expect(ended.json["body"].type).toBe("terminate");
    const after = await client.post({ xmlns: httpbind });
    expect(after.json["body"]).toMatchObject({ type: "terminate" });
  });

  it("keeps messages in order when one answer carries stanzas of several kinds", async () => {
    const client = new JsonBoshClient();
    await client.login("dave", account("dave").password);
    // Nothing is held while erin sends: the three stanzas wait for one answer, interleaved.
    const payload = (n: number) =>
      xml(
        "payload",
        { xmlns: "urn:xmpp:json-msg:0", datatype: "urn:example:chat" },
        xml("json", { xmlns: "urn:xmpp:json:0" }, JSON.stringify({ n })),
      );
    await erin.entity.send(xml("message", { to: client.jid }, payload(1)));
    await erin.entity.send(xml("presence", { to: client.jid }));
    await erin.entity.send(xml("message", { to: client.jid }, payload(2)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { status, json } = await client.post({ xmlns: httpbind });
    expect(status).toBe(200);
    const messages = [json["body"].$.message].flat() as Json[];
    expect(messages.map((m) => JSON.parse(m["$"].payload.$.json.$))).toEqual([{ n: 1 }, { n: 2 }]);
    expect(json["body"].$.presence).toMatchObject({ from: erin.jid });
    await client.post({ xmlns: httpbind, type: "terminate" });
  });

  it("answers 502, and tells onError, when the server's answer has no JSON form", async () => {
    const client = new JsonBoshClient();
    await client.login("dave", account("dave").password);
    const before = gatewayErrors.length;
    // XHTML-IM mixes text and elements, which the JSON form cannot say.
    const html = xml(
      "html",
      { xmlns: "http://jabber.org/protocol/xhtml-im" },
      xml("body", {}, "a ", xml("b", {}, "bold"), " c"),
    );
    await erin.entity.send(xml("message", { to: client.jid }, html));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/jsonrequest" },
      body: JSON.stringify({ body: { rid: client.rid++, sid: client.sid, xmlns: httpbind } }),
    });
    expect(response.status).toBe(502);
    expect(await response.text()).toMatch(/has no JSON form: .*mixes text and elements/);
    expect(gatewayErrors.length).toBe(before + 1);
    // The session goes on.
    expect((await client.post({ xmlns: httpbind, type: "terminate" })).json["body"].type).toBe("terminate");
  });

  it.each([
    ["text that is no JSON", "<body/>"],
    ["a body that is null", JSON.stringify({ body: null })],
    ["a stanza that is no <body/>", JSON.stringify({ iq: { type: "get" } })],
    ["a name that would inject markup", JSON.stringify({ body: { "rid><evil": "1" } })],
    ["an undeclared prefix", JSON.stringify({ body: { restart: { $$: "xmpp", $: "true" } } })],
  ])("answers 400 to %s, and forwards nothing", async (_, body) => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/jsonrequest" }, body });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/cannot convert this JSON to a BOSH body/);
  });

  it("answers 405 to a GET and 502 when the XMPP server cannot be reached", async () => {
    expect((await fetch(url)).status).toBe(405);
    const nowhere = await listen({
      services: [],
      handleHttp: createJsonBoshGateway({ target: "http://127.0.0.1:1/http-bind" }),
    });
    try {
      const response = await fetch(`${nowhere.httpUrl}http-bind`, {
        method: "POST",
        headers: { "content-type": "application/jsonrequest" },
        body: JSON.stringify({ body: { rid: 1, to: "localhost", xmlns: httpbind } }),
      });
      expect(response.status).toBe(502);
    } finally {
      await nowhere.close();
    }
  });

  it("leaves the other requests to the JAMP exchanges", async () => {
    const response = await fetch(`${server.httpUrl}other`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "Nothing.here", id: 1 }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ jsonrpc: "2.0", id: 1, error: { code: -32601 } });
  });
});

describe("an XML client through the same endpoint", () => {
  it("is forwarded unchanged, and every body it receives converts to JSON and back", async () => {
    let rid = Math.floor(Math.random() * 1e9);
    let sid = "";
    const bodies: string[] = [];
    const post = async (inner: string, attrs = ""): Promise<string> => {
      const head = sid === "" ? "" : ` sid="${sid}"`;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "text/xml; charset=utf-8" },
        body: `<body rid="${rid++}"${head} xmlns="${httpbind}"${attrs}>${inner}</body>`,
      });
      expect(response.headers.get("content-type")).toMatch(/xml/);
      const text = await response.text();
      bodies.push(text);
      return text;
    };
    const created = await post(
      "",
      ` to="${prosody.domain}" ver="1.6" wait="5" hold="1" xml:lang="en" xmpp:version="1.0" xmlns:xmpp="${xbosh}"`,
    );
    sid = /sid=['"]([^'"]+)/.exec(created)?.[1] ?? "";
    const credentials = Buffer.from(`\0frank\0${account("frank").password}`).toString("base64");
    await post(`<auth xmlns="${sasl}" mechanism="PLAIN">${credentials}</auth>`);
    await post("", ` xmpp:restart="true" xmlns:xmpp="${xbosh}" to="${prosody.domain}"`);
    const bound = await post(
      `<iq type="set" id="b" xmlns="jabber:client"><bind xmlns="${bindNamespace}"><resource>xml</resource></bind></iq>`,
    );
    const jid = /<jid>([^<]+)<\/jid>/.exec(bound)?.[1] ?? "";
    await erin.entity.send(xml("message", { to: jid, id: "to-xml" }, xml("body", {}, "a < b & c")));
    for (let i = 0; i < 5 && !bodies.some((b) => b.includes("to-xml")); i++) await post("");
    await post(`<presence type="unavailable" xmlns="jabber:client"/>`, ` type="terminate"`);

    expect(bodies.some((b) => b.includes("to-xml"))).toBe(true);
    for (const body of bodies) expect(canonicalXml(jsonToXml(xmlToJson(body))), body).toEqual(canonicalXml(body));
  });
});
