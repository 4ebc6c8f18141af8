/**
 * The HTTP side of a server: each request is one exchange, its body a frame (or, in Baratine's jamp-rpc
 * mode, an array of JAMP messages) served by a peer of its own with the services bound, its answers the
 * response body; Baratine's push/pull channel requests go to the channel they name (`http-channels.ts`).
 * Node only, like the WebSocket server it shares a port with; it imports no Node module itself (it is
 * handed the `node:http` request and response).
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { isFrameCodec, type FrameCodec } from "../codecs/codec.js";
import { soapjrFormFrame } from "../codecs/soapjr.js";
import { JampError, isJampError } from "../errors.js";
import { Peer, type PeerOptions } from "../peer.js";
import { originAllowed, refuseRequest, type Admission } from "./admission.js";
import { FrameQueue, connectionClosed } from "./frame-queue.js";
import { channelHeader } from "./http-channel.js";
import { createHttpChannels, type ChannelMode, type HttpChannelOptions } from "./http-channels.js";
import { jsonType, messageOf, readBody, reply } from "./http-reply.js";
import type { Transport } from "./transport.js";

export interface CorsOptions {
  /**
   * The origins (`https://app.example.com`) whose pages may call the server; `"*"` allows any. Their
   * requests are answered with `Access-Control-Allow-Origin` set to the request's origin.
   */
  readonly origins: readonly string[] | "*";
  /** Whether pages may send cookies (`Access-Control-Allow-Credentials: true`). Default false. */
  readonly credentials?: boolean | undefined;
}

export interface HttpExchangeOptions {
  /** The options of each exchange's peer, its services among them. */
  readonly peer: PeerOptions;
  /** The largest body accepted, in bytes; a bigger one is answered 413. */
  readonly maxPayload: number;
  readonly cors?: CorsOptions | undefined;
  /** The limits of the push/pull channels. */
  readonly channels?: HttpChannelOptions | undefined;
  /** Told of each push/pull channel's peer when it opens. */
  readonly onChannel?: ((peer: Peer) => void) | undefined;
  /**
   * Decides on each request that passed its origin check (`createGate`'s `authenticate`): its identity,
   * which the calls it carries (or the channel it opens) see as `ctx.identity`, or a refusal answered with
   * that status. Default: every request is let in, with no identity.
   */
  readonly admit?: ((request: IncomingMessage) => Promise<Admission>) | undefined;
}

export interface HttpExchanges {
  /** The `node:http` request listener. */
  serve(request: IncomingMessage, response: ServerResponse): void;
  /** Ends the exchanges still running (their peers close, their responses say 503) and the channels. */
  close(): void;
}

/** The content types of Baratine's HTTP modes (PROTOCOLS.md 1.6); parameters after `;` do not count. */
const jampRpcTypes = new Set(["x-application/jamp-rpc", "x-application/jamp"]);
const channelModes = new Map<string, ChannelMode>([
  ["x-application/jamp-push", "push"],
  ["x-application/jamp-pull", "pull"],
  ["x-application/jamp-poll", "poll"],
]);
const formType = "application/x-www-form-urlencoded";
const allowed = "GET, POST, DELETE, OPTIONS";

/**
 * Serves HTTP exchanges. `POST` with a frame of any accepted format is answered as a WebSocket frame would
 * be, the answer in the body (200), or 204 with no body when the frame calls for no answer; a body in no
 * readable format that no format answers is 400. `application/x-www-form-urlencoded` and `GET` carry a
 * SOAPjr request in their `json` parameter. `x-application/jamp-rpc` (or `x-application/jamp`) carries an
 * array of JAMP messages, answered by the array of their answers (`[]` when none).
 * `x-application/jamp-push`, `-pull` (also a `GET`) and `-poll` use a channel (see `createHttpChannels`),
 * and `DELETE` closes one. A server that accepts no JAMP format answers JAMP's modes 415. A request from a
 * web page of another origin is refused (403) unless `cors` lets that origin in; then, but for a CORS
 * preflight, `admit` decides (a refusal answered with its status, 401 or 403 from `authenticate`).
 */
export function createHttpExchanges(options: HttpExchangeOptions): HttpExchanges {
  const running = new Set<{ peer: Peer; response: ServerResponse }>();
  const jampFormats = formatsOf(options.peer).filter((format) => format.name === "jamp" || format.name === "jamp-b");
  const channels = createHttpChannels({
    peer: { ...options.peer, accept: jampFormats },
    channels: options.channels,
    onChannel: options.onChannel,
  });

  async function exchange(
    response: ServerResponse,
    frames: readonly string[],
    jampRpc: boolean,
    identity: unknown,
  ): Promise<void> {
    const problems: JampError[] = [];
    const onError = options.peer.onError;
    const peer = new Peer(new ExchangeTransport(), {
      ...options.peer,
      identity,
      ...(jampRpc ? { accept: jampFormats } : {}),
      onError(error, message) {
        if (error.type === "invalid-message") problems.push(error);
        onError?.(error, message);
      },
    });
    const entry = { peer, response };
    running.add(entry);
    // A client that goes away takes its exchange with it: the served streams end, late answers are dropped.
    response.once("close", () => peer.close(1001, "the HTTP client went away"));
    try {
      // Every frame is handed over before any is awaited, so that they start in the order of the body.
      const answers = (await Promise.all(frames.map((frame) => peer.handle(frame)))).flat();
      if (response.writableEnded) return;
      if (answers.length === 0 && peer.stats.malformed > 0) {
        reply(response, 400, problems[0]?.message ?? "the body is no message in an accepted format");
      } else if (jampRpc) {
        reply(response, 200, `[${answers.join(",")}]`, jsonType);
      } else if (answers.length === 0) {
        reply(response, 204, "");
      } else {
        reply(response, 200, answers.join(""), jsonType);
      }
    } catch (error) {
      // A bug in a codec: say so without its details, which stay on this side.
      options.peer.onError?.(isJampError(error) ? error : new JampError("internal-error", messageOf(error)));
      reply(response, 500, "the server failed to answer this request");
    } finally {
      running.delete(entry);
      peer.close();
    }
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!applyCors(request, response, options.cors)) {
      reply(response, 403, `origin ${request.headers.origin ?? ""} may not call this server`);
      return;
    }
    const method = request.method ?? "GET";
    const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    const mode = channelModes.get(type);
    if ((mode !== undefined || jampRpcTypes.has(type)) && jampFormats.length === 0) {
      reply(response, 415, "this server does not accept JAMP messages");
      return;
    }
    if (method === "OPTIONS") {
      response.setHeader("allow", allowed);
      if (response.hasHeader("access-control-allow-origin")) {
        response.setHeader("access-control-allow-methods", allowed);
        response.setHeader(
          "access-control-allow-headers",
          request.headers["access-control-request-headers"] ?? "content-type",
        );
        response.setHeader("access-control-max-age", "600");
      }
      reply(response, 204, "");
      return;
    }
    const admission = (await options.admit?.(request)) ?? { identity: undefined };
    if ("refused" in admission) return refuseRequest(response, admission.refused);
    const identity = admission.identity;
    if (method === "DELETE") {
      channels.end(request, response);
      return;
    }
    if (method === "GET" && mode === "pull") {
      channels.serve(mode, request, response, [], identity);
      return;
    }
    if (method === "GET") {
      const query = new URL(request.url ?? "/", "http://localhost").search;
      if (!new URLSearchParams(query).has("json")) {
        response.setHeader("upgrade", "websocket");
        reply(response, 426, "This is a JAMP endpoint: POST a message, GET with json=, or connect with a WebSocket.");
        return;
      }
      await serveForm(response, query, identity);
      return;
    }
    if (method !== "POST") {
      response.setHeader("allow", allowed);
      reply(response, 405, `${method} is not served here; use ${allowed}`);
      return;
    }
    if (type.startsWith("multipart/")) {
      reply(response, 415, `${type} is not served: POST a message, a SOAPjr form, or one of JAMP's modes`);
      return;
    }
    const body = await readBody(request, response, options.maxPayload);
    if (body === undefined) return;
    if (type === formType) await serveForm(response, body, identity);
    else if (jampRpcTypes.has(type)) await serveJampRpc(response, body, identity);
    else if (mode !== undefined) serveChannel(mode, request, response, body, identity);
    else await exchange(response, [body], false, identity);
  }

  function serveChannel(
    mode: ChannelMode,
    request: IncomingMessage,
    response: ServerResponse,
    body: string,
    identity: unknown,
  ): void {
    // A pull's body (`[]`) says nothing; a poll may have none.
    if (mode === "pull" || (mode === "poll" && body.trim() === "")) {
      channels.serve(mode, request, response, [], identity);
      return;
    }
    const messages = jampArray(body);
    if (messages === undefined) reply(response, 400, `a jamp-${mode} body is a JSON array of JAMP messages`);
    else channels.serve(mode, request, response, messages, identity);
  }

  async function serveForm(response: ServerResponse, form: string, identity: unknown): Promise<void> {
    let frame: string;
    try {
      frame = soapjrFormFrame(form);
    } catch (error) {
      const problem = error as JampError;
      const soapjr = formatsOf(options.peer).find((format) => format.name === "soapjr");
      const answer = soapjr?.answerUnrecognised(problem, true);
      if (answer === undefined) reply(response, 400, problem.message);
      else reply(response, 200, answer, jsonType);
      return;
    }
    await exchange(response, [frame], false, identity);
  }

  async function serveJampRpc(response: ServerResponse, body: string, identity: unknown): Promise<void> {
    const messages = jampArray(body);
    if (messages === undefined) {
      reply(response, 400, "a jamp-rpc body is a JSON array of JAMP messages");
      return;
    }
    await exchange(
      response,
      messages.map((message) => JSON.stringify(message)),
      true,
      identity,
    );
  }

  return {
    serve(request, response) {
      serve(request, response).catch((error: unknown) => {
        options.peer.onError?.(new JampError("internal-error", `an HTTP request failed: ${messageOf(error)}`));
        if (!response.headersSent) reply(response, 500, "the server failed to answer this request");
        else response.destroy();
      });
    },
    close() {
      for (const { peer, response } of running) {
        peer.close(1001, "server shutting down");
        if (!response.headersSent) reply(response, 503, "the server is shutting down");
      }
      running.clear();
      channels.close();
    },
  };
}

/**
 * The transport of one exchange. Nothing arrives on it (the body's frames are handed to `Peer.handle`), and
 * nothing can leave but the answers in the response: what a peer would send besides (stream items, calls
 * back) fails with `connection-closed`, which the peer reports to `onError`.
 */
class ExchangeTransport implements Transport {
  readonly #inbox = new FrameQueue();

  get closed(): Promise<JampError> {
    return this.#inbox.closed;
  }

  send(): void {
    throw new JampError(
      "connection-closed",
      "an HTTP request carries only the answers to its own body; streams and calls back need a push/pull channel or a WebSocket",
    );
  }

  receive(): Promise<string> {
    return this.#inbox.take();
  }

  close(code = 1000, reason = ""): void {
    this.#inbox.close(connectionClosed("the HTTP exchange ended", code, reason));
  }
}

/**
 * Sets the CORS headers a request from a web page calls for; false when its origin may not call at all.
 * A page of the server's own origin always may. Requests without `Origin` come from no page and pass: the
 * check keeps other sites' pages from making a browser call a server on its machine, as a form post could.
 */
function applyCors(request: IncomingMessage, response: ServerResponse, cors: CorsOptions | undefined): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (cors !== undefined && (cors.origins === "*" || cors.origins.includes(origin))) {
    response.setHeader("access-control-allow-origin", origin);
    response.setHeader("vary", "Origin");
    response.setHeader("access-control-expose-headers", channelHeader);
    if (cors.credentials === true) response.setHeader("access-control-allow-credentials", "true");
    return true;
  }
  return originAllowed(origin, request.headers.host, undefined);
}

/** The messages of a body that must be a JSON array (jamp-rpc, push, poll), or `undefined`. */
function jampArray(body: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The formats a peer of these options accepts, for the modes that need to know them. */
function formatsOf(options: PeerOptions): FrameCodec[] {
  const all = options.accept ?? (options.codec === undefined ? [] : [options.codec]);
  return all.filter((codec): codec is FrameCodec => typeof codec !== "string" && isFrameCodec(codec));
}
