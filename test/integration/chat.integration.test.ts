/**
 * Bidirectional services over the run's own RabbitMQ: the chat fixture's conversation (`test/support/chat.ts`)
 * with members on AMQP and STOMP peers that serve their `ChatListener`, in rooms served by `serveAmqp` and
 * `serveStomp`; how a broker server learns that a member went; and members whose connection drops and
 * comes back with a new reply address.
 */
import { describe, expect, inject, it } from "vitest";
import { serveChatRoom } from "../../fixtures/chat/expected/index.js";
import type { Peer } from "../../src/runtime/index.js";
import { connectAmqpPeer, serveAmqp, type BrokerServer } from "../../src/runtime/transports/amqp.js";
import { connectStompPeer, serveStomp } from "../../src/runtime/transports/stomp.js";
import { ChatRoomServer, converse, member } from "../support/chat.js";
import { rejection } from "../support/rejection.js";
import { until } from "../support/until.js";
import { startTcpProxy } from "./support/tcp-proxy.js";

type Protocol = "AMQP" | "STOMP";

let prefixes = 0;
const freshPrefix = (what: string): string => `test.chat.${what}.${process.pid}.${++prefixes}`;

/** The broker's URL for `protocol`, through a proxy on `port` when given. */
function urlOf(protocol: Protocol, port?: number): string {
  const { amqp, stomp, amqpPort, stompWebPort } = inject("rabbitmq");
  if (port === undefined) return protocol === "AMQP" ? amqp : stomp;
  return protocol === "AMQP" ? amqp.replace(`:${amqpPort}`, `:${port}`) : stomp.replace(`:${stompWebPort}`, `:${port}`);
}

interface RoomOptions {
  readonly room: ChatRoomServer;
  readonly queuePrefix: string;
  readonly idleTimeout?: number;
}

function serveRoom(protocol: Protocol, { room, queuePrefix, idleTimeout }: RoomOptions): Promise<BrokerServer> {
  const options = { url: urlOf(protocol), services: [serveChatRoom(room)], queuePrefix, idleTimeout };
  return protocol === "AMQP" ? serveAmqp(options) : serveStomp(options);
}

function openMember(protocol: Protocol, options: { queuePrefix: string; codec?: string; port?: number; reconnect?: { initialDelay: number; maxDelay: number } }): Promise<Peer> {
  const { port, ...rest } = options;
  return protocol === "AMQP" ? connectAmqpPeer(urlOf(protocol, port), rest) : connectStompPeer(urlOf(protocol, port), rest);
}

describe("two members chat through a room served over a broker", () => {
  // An AMQP server learns from the broker that a member's reply address is gone: it returns what is sent
  // to a STOMP member's queue, and says so when asked about an AMQP member's once that member was silent
  // for idleTimeout. A STOMP server cannot ask: a poll that gets no answer in time tells it.
  it.each([
    ["AMQP", "AMQP", "jamp"],
    ["AMQP", "AMQP", "jamp-b"],
    ["STOMP", "AMQP", "jamp"],
    ["STOMP", "STOMP", "jamp"],
    ["AMQP", "STOMP", "jamp-b"],
  ] as const)("members on %s, the room on %s, in %s", async (members, server, codec) => {
    const room = new ChatRoomServer(server === "STOMP" ? 1_000 : 5_000);
    const queuePrefix = freshPrefix(`${members}-${server}-${codec}`);
    const serving = await serveRoom(server, { room, queuePrefix, idleTimeout: 300 });
    try {
      await converse({ room, noticeGone: server === "AMQP" ? "say" : "poll", open: () => openMember(members, { queuePrefix, codec }) });
    } finally {
      await serving.close();
    }
  });
});

type Joined = ReturnType<typeof member> & { readonly peer: Peer };

/**
 * A room served over `server` (with `idleTimeout`), Alice and Bob joined on `members` peers; runs `body`,
 * then closes everything.
 */
async function inRoom(
  server: Protocol,
  members: Protocol,
  idleTimeout: number,
  body: (room: ChatRoomServer, alice: Joined, bob: Joined) => Promise<void>,
): Promise<void> {
  const room = new ChatRoomServer();
  const queuePrefix = freshPrefix(`${server}-${members}-${idleTimeout}`);
  const serving = await serveRoom(server, { room, queuePrefix, idleTimeout });
  const [alice, bob] = [await openMember(members, { queuePrefix }), await openMember(members, { queuePrefix })].map(
    (peer): Joined => ({ ...member(peer), peer }),
  ) as [Joined, Joined];
  try {
    await alice.room.join("alice");
    await bob.room.join("bob");
    await body(room, alice, bob);
  } finally {
    alice.peer.close();
    bob.peer.close();
    await serving.close();
  }
}

describe("how a broker server learns that a member went", () => {
  it.each(["AMQP", "STOMP"] as const)(
    "over AMQP it asks the broker once a member's peer is idle: kept while there, closed once gone (%s members)",
    (members) =>
      inRoom("AMQP", members, 150, async (_, alice, bob) => {
        // Idle for several idle timeouts: the broker says both are there, so the room still reaches them.
        await new Promise((resolve) => setTimeout(resolve, 700));
        bob.room.say("quiet in here");
        await until(() => alice.listener.messages.length === 1, "alice hears bob after the idle time");
        // Alice goes without a word and nothing is sent to her: the next probe finds her reply address gone.
        alice.peer.close();
        await until(() => bob.listener.presence.at(-1)?.member === "alice", "bob told alice is gone", 5_000);
        expect(bob.listener.presence.at(-1)).toEqual({ member: "alice", joined: false, reason: "gone" });
      }),
  );

  it("over AMQP it hears at once from the broker that a STOMP member's queue is gone, by what it sends there", () =>
    // No probe comes within the test: only the broker's return can tell.
    inRoom("AMQP", "STOMP", 60_000, async (room, alice, bob) => {
      alice.peer.close();
      await alice.peer.closed;
      bob.room.say("alice?");
      await until(() => bob.listener.presence.at(-1)?.member === "alice", "bob told alice is gone", 5_000);
      expect(room.members.map((each) => each.name)).toEqual(["bob"]);
      expect(alice.listener.messages).toEqual([]);
    }));

  it("over STOMP it keeps a member's peer it called back past idleTimeout, having no way to ask", async () => {
    const room = new ChatRoomServer();
    const queuePrefix = freshPrefix("stomp-idle");
    const serving = await serveRoom("STOMP", { room, queuePrefix, idleTimeout: 150 });
    const alicePeer = await openMember("STOMP", { queuePrefix });
    try {
      const alice = member(alicePeer);
      await alice.room.join("alice");
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(room.members.map((each) => each.peer.state)).toEqual(["open"]);
      alice.room.say("still here");
      await until(() => alice.listener.messages.length === 1, "alice hears herself after the idle time");
    } finally {
      alicePeer.close();
      await serving.close();
    }
  });
});

describe("members whose connection drops and comes back", () => {
  it.each(["AMQP", "STOMP"] as const)(
    "over %s: queries pending across the drop reject with connection-closed, and the room reaches the new reply address",
    async (protocol) => {
      const proxy = await startTcpProxy(protocol === "AMQP" ? inject("rabbitmq").amqpPort : inject("rabbitmq").stompWebPort);
      const room = new ChatRoomServer(60_000);
      const queuePrefix = freshPrefix(`reconnect-${protocol}`);
      const serving = await serveRoom(protocol, { room, queuePrefix });
      const reconnect = { initialDelay: 50, maxDelay: 200 };
      const alicePeer = await openMember(protocol, { queuePrefix, port: proxy.port, reconnect });
      const bobPeer = await openMember(protocol, { queuePrefix });
      try {
        const [alice, bob] = [member(alicePeer), member(bobPeer)];
        await alice.room.join("alice");
        await bob.room.join("bob");
        // Both members hold their answer to a poll: each side has a query pending on the other's listener.
        let releaseAlice: ((answer: boolean) => void) | undefined;
        let releaseBob: ((answer: boolean) => void) | undefined;
        alice.listener.confirm = () => new Promise((resolve) => (releaseAlice = resolve));
        bob.listener.confirm = () => new Promise((resolve) => (releaseBob = resolve));
        const bobsPoll = bob.room.poll("are you there?", { timeout: 0 });
        const alicesPoll = rejection(alice.room.poll("and you?", { timeout: 0 }));
        await until(() => releaseAlice !== undefined && releaseBob !== undefined, "both polls asked");
        // Alice's connection drops: her own query fails at once; the room's question to her is lost with it.
        const rejoined = new Promise<string[]>((resolve) => {
          const stop = alicePeer.onState(({ state }) => {
            if (state !== "open") return;
            stop();
            resolve(alice.room.join("alice"));
          });
        });
        const cutAt = Date.now();
        proxy.cut();
        const error = await alicesPoll;
        expect(error.type).toBe("connection-closed");
        expect(Date.now() - cutAt).toBeLessThan(1_000);
        // She comes back on a new reply address and joins again: the room's question to her old one fails
        // with connection-closed then, not at the poll's 60 s timeout.
        expect(await rejoined).toEqual(["alice", "bob"]);
        expect(await bobsPoll).toEqual([{ member: "alice", answer: null, error: "connection-closed" }]);
        expect(Date.now() - cutAt).toBeLessThan(10_000);
        // What the room sends now reaches her at the new address, and her answers reach it.
        bob.room.say("welcome back");
        await until(() => alice.listener.messages.some((message) => message.text === "welcome back"), "alice hears bob again");
        alice.listener.confirm = async () => true;
        expect(await bob.room.poll("lunch?")).toEqual([{ member: "alice", answer: true }]);
        // Bob answers the poll of Alice's lost connection: the room's answer to it goes nowhere, and the
        // server, closing, waits for that call to end (Bob still connected) rather than its timeout.
        releaseBob?.(true);
      } finally {
        await serving.close();
        alicePeer.close();
        bobPeer.close();
        await proxy.close();
      }
    },
  );
});
