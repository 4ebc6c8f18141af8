/**
 * The chat fixture end to end over real sockets on 127.0.0.1: two members chat through a room that calls
 * them back (`ctx.peer`, `ctx.from`), over WebSocket and over the HTTP push/pull channel. The same
 * conversation runs over AMQP and STOMP in `test/integration/chat.integration.test.ts`.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { serveChatRoom } from "../../fixtures/chat/expected/index.js";
import { connect, listen, type Server } from "../../src/runtime/index.js";
import { ChatRoomServer, converse } from "../support/chat.js";

let server: Server;
const room = new ChatRoomServer();

beforeAll(async () => {
  server = await listen({ port: 0, services: [serveChatRoom(room)] });
});
afterAll(async () => {
  await server.close();
});

describe("two members chat through a room that calls them back", () => {
  it.each(["jamp", "jamp-b"])("over WebSocket, in %s", async (codec) => {
    await converse({ room, noticeGone: "say", open: () => connect(server.url, { codec }) });
  });

  it.each(["jamp", "jamp-b"])("over the HTTP push/pull channel, in %s", async (codec) => {
    await converse({ room, noticeGone: "say", open: () => connect(server.httpUrl, { codec, channel: true }) });
  });
});
