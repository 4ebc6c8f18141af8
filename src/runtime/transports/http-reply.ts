/**
 * What the server side of HTTP (`http-server.ts`, `http-channels.ts`, the JSON-BOSH gateway) shares to read
 * a request body and answer a request. It imports
 * no Node module: it is handed the `node:http` response.
 */

import type { IncomingMessage, ServerResponse } from "node:http";

export const jsonType = "application/json; charset=utf-8";

/** Writes a whole answer, never cached; does nothing once an answer was written. */
export function reply(
  response: ServerResponse,
  status: number,
  body: string,
  type = "text/plain; charset=utf-8",
): void {
  if (response.headersSent) return;
  response.statusCode = status;
  response.setHeader("cache-control", "no-store");
  if (body !== "") response.setHeader("content-type", type);
  response.end(body);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "unknown error";
}

/** The body as text, or `undefined` once it was answered 413 (too big) or 400 (not UTF-8). */
export function readBody(request: IncomingMessage, response: ServerResponse, maxPayload: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const tooBig = (): void => {
      // The rest is not read: the connection closes once the answer is out, rather than wait for it.
      request.removeAllListeners("data").pause();
      response.setHeader("connection", "close");
      response.once("finish", () => request.socket.destroy());
      reply(response, 413, `the body is over the limit of ${maxPayload} bytes`);
      resolve(undefined);
    };
    if (Number(request.headers["content-length"] ?? 0) > maxPayload) return tooBig();
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxPayload) tooBig();
      else chunks.push(chunk);
    });
    request.once("error", reject);
    request.once("end", () => {
      try {
        resolve(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        reply(response, 400, "the body is not UTF-8 text");
        resolve(undefined);
      }
    });
  });
}
