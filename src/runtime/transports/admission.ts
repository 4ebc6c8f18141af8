/**
 * Who may connect to a server, decided before anything of theirs runs: a bound on the connections open at
 * once (`maxConnections`), the origins whose web pages may open WebSockets, and the `authenticate` hook,
 * whose answer becomes the connection's identity (`ctx.identity` in every call on it). Used by `listen`
 * for WebSocket upgrades and for each HTTP request. Node only, like the servers, though it imports no Node
 * module itself.
 */

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { JampError, isJampError } from "../errors.js";
import { reply } from "./http-reply.js";

/** What `authenticate` is shown of a request that would open a connection or carry calls. */
export interface ConnectionRequest {
  /** `websocket`: the upgrade request of a WebSocket; `http`: one HTTP request (a frame, or a channel's). */
  readonly transport: "websocket" | "http";
  /** `GET` for an upgrade; `POST`, `GET` or `DELETE` over HTTP. */
  readonly method: string;
  /** The path and query, as sent (`/?token=...`). */
  readonly url: string;
  /** The request's headers, their names in lower case (`authorization`, `cookie`, `origin`). */
  readonly headers: IncomingHttpHeaders;
  /** The address of the other end of the TCP connection. */
  readonly remoteAddress: string | undefined;
}

/**
 * Decides who is connecting: returns (or resolves to) the identity every call on the connection then sees
 * as `ctx.identity` (any value: a user record, a token's claims), or throws to refuse the connection before
 * it opens: a `JampError` `unauthorized` (answered 401: who is calling is not known), `forbidden` (403:
 * known, and not allowed) or `limit-exceeded` (429: too many attempts), whose message is the answer's
 * body. Anything else it throws is a failure of the server: answered 500 without its text, and told to
 * `onError`.
 */
export type Authenticate = (request: ConnectionRequest) => unknown;

/** A request turned away: the HTTP status, the text of the body, and extra headers. */
export interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What was decided: let in, with an identity (and, for a counted connection, its release), or refused. */
export type Admission =
  { readonly identity: unknown; readonly release?: (() => void) | undefined } | { readonly refused: Refusal };

export interface GateOptions {
  /** The most WebSocket connections open and HTTP requests being served at once. */
  readonly maxConnections: number;
  /** Origins (besides the server's own) whose pages may open WebSockets; `"*"` any. */
  readonly origins: readonly string[] | "*" | undefined;
  readonly authenticate: Authenticate | undefined;
  /** Told of `authenticate` failing otherwise than by refusing. */
  readonly onError: ((error: JampError) => void) | undefined;
}

export interface Gate {
  /** Takes a place for a connection or request; `undefined` when all are taken. The release is idempotent. */
  enter(): (() => void) | undefined;
  /** The refusal of a request that found every place taken: 503, with `Retry-After`. */
  readonly full: Refusal;
  /** A WebSocket upgrade: a place, its origin, then `authenticate`. */
  upgrade(request: IncomingMessage): Promise<Admission>;
  /** One HTTP request (its place and origin are seen to by the HTTP side): `authenticate`. */
  authenticate(request: IncomingMessage): Promise<Admission>;
  /** How many places are taken. */
  readonly open: number;
}

export function createGate(options: GateOptions): Gate {
  let open = 0;
  const full: Refusal = {
    status: 503,
    message: `the server serves at most ${options.maxConnections} connections at once; try again later`,
    headers: { "retry-after": "1" },
  };

  function enter(): (() => void) | undefined {
    if (open >= options.maxConnections) return undefined;
    open++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      open--;
    };
  }

  async function authenticate(request: IncomingMessage, transport: "websocket" | "http"): Promise<Admission> {
    const hook = options.authenticate;
    if (hook === undefined) return { identity: undefined };
    const shown: ConnectionRequest = {
      transport,
      method: request.method ?? "GET",
      url: request.url ?? "/",
      headers: request.headers,
      remoteAddress: request.socket.remoteAddress,
    };
    try {
      return { identity: await hook(shown) };
    } catch (error) {
      return { refused: refusalOf(error, options.onError) };
    }
  }

  return {
    enter,
    full,
    get open() {
      return open;
    },
    async upgrade(request) {
      const release = enter();
      if (release === undefined) return { refused: full };
      const origin = request.headers.origin;
      if (!originAllowed(origin, request.headers.host, options.origins)) {
        release();
        return { refused: { status: 403, message: `pages of ${origin ?? ""} may not open a WebSocket here` } };
      }
      const admission = await authenticate(request, "websocket");
      if ("refused" in admission) release();
      return "refused" in admission ? admission : { identity: admission.identity, release };
    },
    authenticate: (request) => authenticate(request, "http"),
  };
}

/** Answers an HTTP request that was refused. */
export function refuseRequest(response: ServerResponse, refusal: Refusal): void {
  for (const [name, value] of Object.entries(refusal.headers ?? {})) response.setHeader(name, value);
  reply(response, refusal.status, refusal.message);
}

/**
 * Whether a request from `origin` may call: one without `Origin` comes from no web page, a page of the
 * server's own origin (`host`) always may, and others when `allowed` names their origin or is `"*"`. So
 * pages of other sites cannot make a visitor's browser call a server on their machine.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[] | "*" | undefined,
): boolean {
  if (origin === undefined) return true;
  if (allowed === "*" || allowed?.includes(origin) === true) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const refusalStatus: ReadonlyMap<string, number> = new Map([
  ["unauthorized", 401],
  ["forbidden", 403],
  ["limit-exceeded", 429],
]);

/** The answer to a refusal by `authenticate`: its own for `unauthorized`, `forbidden`, `limit-exceeded`, else 500. */
function refusalOf(error: unknown, onError: ((error: JampError) => void) | undefined): Refusal {
  const status = isJampError(error) ? refusalStatus.get(error.type) : undefined;
  if (status !== undefined) return { status, message: (error as JampError).message };
  const text = error instanceof Error ? error.message : "a non-Error value was thrown";
  try {
    onError?.(new JampError("internal-error", `authenticate failed: ${text}`, { cause: error }));
  } catch {
    // onError must not throw.
  }
  return { status: 500, message: "the server could not authenticate this request" };
}
