/**
 * What the server side of HTTP (`http-server.ts`, `http-channels.ts`) shares to answer a request. It imports
 * no Node module: it is handed the `node:http` response.
 */

import type { ServerResponse } from "node:http";

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
