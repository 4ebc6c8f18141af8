/**
 * A JSON-BOSH gateway (the "JSON Content Type support" proposal, PROTOCOLS.md 5): BOSH requests whose body
 * is the JSON form of a `<body/>` (`Content-Type: application/jsonrequest`, or `application/json`) are
 * converted to XML (`hj.ts`), forwarded to the XMPP server's own BOSH endpoint (Prosody's `mod_bosh`),
 * and its answers converted back, with the same content type. Any other body (`text/xml`) is forwarded as
 * it is, so XML clients use the same endpoint. Node only: it is handed `node:http` requests, and forwards
 * them with `fetch`.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { JampError, isJampError } from "../errors.js";
import { readBody, reply as answer } from "../transports/http-reply.js";
import { jsonToXml, xmlToJson } from "./hj.js";
import { parseXml, serializeXml, splitName, type XmlElement, type XmlNode } from "./xml.js";

export interface JsonBoshGatewayOptions {
  /** The XMPP server's BOSH endpoint, `http://127.0.0.1:5280/http-bind`. */
  readonly target: string;
  /** The path served. Default `/http-bind`. */
  readonly path?: string | undefined;
  /** The largest request body, in bytes; a bigger one is answered 413. Default 1 MiB. */
  readonly maxPayload?: number | undefined;
  /** Told about answers of the XMPP server that could not be converted (answered 502). Must not throw. */
  readonly onError?: ((error: JampError) => void) | undefined;
}

/** A `node:http` request listener that serves the requests it claims (returns true) and leaves the rest. */
export type HttpRequestHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

const jsonTypes = new Set(["application/jsonrequest", "application/json"]);
const xmlType = "text/xml; charset=utf-8";
const defaultMaxPayload = 1024 * 1024;

/**
 * The gateway, as a handler for `listen({ handleHttp })` or any `node:http` server. Answers 400 to a JSON
 * body that is no `<body/>` in the JSON form (the proposal's signal that JSON is not understood), 413 to a
 * body too big, 405 to other methods than POST, 502 when the XMPP server cannot be reached or answers what
 * the JSON form cannot carry (text mixed with elements, PROTOCOLS.md 5.4), and otherwise passes the XMPP
 * server's status on.
 */
export function createJsonBoshGateway(options: JsonBoshGatewayOptions): HttpRequestHandler {
  const path = options.path ?? "/http-bind";
  const maxPayload = options.maxPayload ?? defaultMaxPayload;
  return (request, response) => {
    if (new URL(request.url ?? "/", "http://localhost").pathname !== path) return false;
    void forward(request, response, options, maxPayload);
    return true;
  };
}

async function forward(
  request: IncomingMessage,
  response: ServerResponse,
  options: JsonBoshGatewayOptions,
  maxPayload: number,
): Promise<void> {
  if (request.method !== "POST") {
    response.setHeader("allow", "POST");
    return answer(response, 405, "BOSH requests are POSTed");
  }
  // Answered already when undefined: 413 (too big) or 400 (not UTF-8).
  const text = await readBody(request, response, maxPayload);
  if (text === undefined) return;
  const json = jsonTypes.has((request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "");
  let body = text;
  if (json) {
    try {
      body = serializeXml(boshBody(JSON.parse(text)));
    } catch (error) {
      return answer(response, 400, `cannot convert this JSON to a BOSH body: ${messageOf(error)}`);
    }
  }
  // A client that goes away takes its forwarded request with it.
  const abort = new AbortController();
  response.once("close", () => abort.abort());
  let upstream: Response;
  let reply: string;
  try {
    upstream = await fetch(options.target, {
      method: "POST",
      headers: { "content-type": json ? xmlType : (request.headers["content-type"] ?? xmlType) },
      body,
      signal: abort.signal,
    });
    reply = await upstream.text();
  } catch (error) {
    return answer(response, 502, `the XMPP server cannot be reached: ${messageOf(error)}`);
  }
  const type = upstream.headers.get("content-type") ?? "text/plain";
  if (!json || reply === "" || !type.includes("xml")) return answer(response, upstream.status, reply, type);
  let converted: string;
  try {
    converted = JSON.stringify(xmlToJson(grouped(parseXml(reply))));
  } catch (error) {
    const problem = isJampError(error) ? error : new JampError("internal-error", messageOf(error));
    try {
      options.onError?.(problem);
    } catch {
      // onError must not throw.
    }
    return answer(response, 502, `the XMPP server's answer has no JSON form: ${problem.message}`);
  }
  answer(response, upstream.status, converted, "application/jsonrequest");
}

/**
 * The `<body/>` a JSON request stands for. Its stanzas without a namespace of their own are in the client
 * stream's, `jabber:client` (PROTOCOLS.md 5.4, rule 5), not in BOSH's.
 */
function boshBody(json: unknown): XmlElement {
  const body = jsonToXml(json);
  if (splitName(body.name)[1] !== "body")
    throw new JampError("invalid-message", `a BOSH request is a <body/>, not <${body.name}>`);
  const children = body.children.map((child) =>
    typeof child === "string" || Object.hasOwn(child.attrs, "xmlns") || child.name.includes(":")
      ? child
      : { ...child, attrs: { ...child.attrs, xmlns: "jabber:client" } },
  );
  return { ...body, children };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `body` with its stanzas grouped by name, in the order each name first appears, each group in its own
 * order: a response may carry `<message/><presence/><message/>`, and the JSON form has no order between
 * differently named siblings (PROTOCOLS.md 5.4, rule 4). Messages stay in order among messages, and so on.
 */
function grouped(body: XmlElement): XmlElement {
  const names: string[] = [];
  for (const child of body.children)
    if (typeof child !== "string" && !names.includes(child.name)) names.push(child.name);
  const rank = (child: XmlNode): number => (typeof child === "string" ? -1 : names.indexOf(child.name));
  return { ...body, children: [...body.children].sort((a, b) => rank(a) - rank(b)) };
}
