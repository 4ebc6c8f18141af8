/**
 * The chat fixture, both ends: the room a server serves (it calls its members back through `ctx.peer`
 * at `ctx.from`), the listener each member serves, and the conversation the bidirectional tests hold over
 * every transport (WebSocket, the HTTP push/pull channel, AMQP, STOMP).
 */
import { expect } from "vitest";
import type { ChatListener, ChatMessage, Presence, Vote } from "../../fixtures/chat/chat.js";
import { ChatListenerClient, ChatRoomClient, ChatRoomSkeleton, serveChatListener } from "../../fixtures/chat/expected/index.js";
import { JampError, type CallContext, type Peer } from "../../src/runtime/index.js";
import { rejection } from "./rejection.js";
import { until } from "./until.js";

interface Member {
  readonly name: string;
  readonly peer: Peer;
  readonly from: string;
  readonly listener: ChatListenerClient;
}

/**
 * A room that keeps its members as the connection they joined on and the address they gave: it tells every
 * member what is said and who comes and goes, and asks them in polls. A member whose connection closes, or
 * a call back to whom fails for the connection's sake, is gone, and the others are told.
 */
export class ChatRoomServer extends ChatRoomSkeleton {
  readonly members: Member[] = [];
  readonly said: ChatMessage[] = [];
  /** What the room's calls back failed with, as the room caught it. */
  readonly failures: unknown[] = [];

  /** `pollTimeout`: how long a poll waits for each member's answer. */
  constructor(readonly pollTimeout = 5_000) {
    super();
  }

  /** A member that joins again from the same address (it reconnected) takes its place on its new connection. */
  async join(name: string, ctx: CallContext): Promise<string[]> {
    const index = this.members.findIndex((member) => member.name === name);
    const again = index >= 0 && ctx.from !== "" && this.members[index]?.from === ctx.from;
    if (index >= 0 && !again) throw new JampError("name-taken", `${name} is taken`);
    const member: Member = { name, peer: ctx.peer, from: ctx.from, listener: new ChatListenerClient(ctx.peer, ctx.from) };
    if (again) this.members.splice(index, 1, member);
    else this.members.push(member);
    void ctx.peer.closed.then(() => this.#drop(member, "gone"));
    this.#tell({ member: name, joined: true });
    return this.members.map((each) => each.name);
  }

  say(text: string, ctx: CallContext): void {
    const message: ChatMessage = { from: this.#memberOf(ctx).name, text, at: new Date() };
    this.said.push(message);
    for (const member of [...this.members]) this.#send(member, (listener) => listener.onMessage(message));
  }

  async poll(question: string, ctx: CallContext): Promise<Vote[]> {
    const asker = this.#memberOf(ctx);
    const others = this.members.filter((member) => member !== asker);
    return Promise.all(
      others.map(async (member): Promise<Vote> => {
        try {
          return { member: member.name, answer: await member.listener.confirm(question, asker.name, { timeout: this.pollTimeout }) };
        } catch (error) {
          this.failures.push(error);
          const type = error instanceof JampError ? error.type : "internal-error";
          if (type === "connection-closed" || type === "timeout") this.#drop(member, "gone");
          return { member: member.name, answer: null, error: type };
        }
      }),
    );
  }

  async history(limit?: number): Promise<ChatMessage[]> {
    return this.said.slice(-(limit ?? this.said.length));
  }

  async leave(ctx: CallContext): Promise<void> {
    this.#drop(this.#memberOf(ctx), "left");
  }

  /** The member calling: its connection and address (JAMP/B's sends carry no address: its connection then). */
  #memberOf(ctx: CallContext): Member {
    const member = this.members.find((each) => each.peer === ctx.peer && (each.from === ctx.from || ctx.from === ""));
    if (member === undefined) throw new JampError("not-a-member", "join the room first");
    return member;
  }

  #drop(member: Member, reason: "left" | "gone"): void {
    const index = this.members.indexOf(member);
    if (index < 0) return;
    this.members.splice(index, 1);
    this.#tell({ member: member.name, joined: false, reason });
  }

  #tell(change: Presence): void {
    for (const member of [...this.members]) this.#send(member, (listener) => listener.onPresence(change));
  }

  /** A one-way call back; one that cannot be sent (the member's connection closed) drops the member. */
  #send(member: Member, call: (listener: ChatListenerClient) => void): void {
    try {
      call(member.listener);
    } catch (error) {
      this.failures.push(error);
      this.#drop(member, "gone");
    }
  }
}

/** What a member serves: it records what the room tells it and answers polls with `answer` (or throws it). */
export class RecordingListener implements ChatListener {
  readonly messages: ChatMessage[] = [];
  readonly presence: Presence[] = [];
  readonly asked: string[] = [];
  answer: boolean | JampError = true;

  onMessage(message: ChatMessage): void {
    this.messages.push(message);
  }
  onPresence(change: Presence): void {
    this.presence.push(change);
  }
  async confirm(question: string, by: string): Promise<boolean> {
    this.asked.push(`${by}: ${question}`);
    if (this.answer instanceof JampError) throw this.answer;
    return this.answer;
  }
}

/** A member: its listener served at its peer's own address (the `from` of what it sends), and the room's client. */
export function member(peer: Peer): { room: ChatRoomClient; listener: RecordingListener } {
  const listener = new RecordingListener();
  peer.serve(serveChatListener(listener, { address: peer.address }));
  return { room: new ChatRoomClient(peer), listener };
}

export interface Conversation {
  /** Opens a member's connection to the room's server. */
  open(): Promise<Peer>;
  /** The room the server serves, to check what it saw. */
  readonly room: ChatRoomServer;
  /**
   * How the room learns that a member whose connection closed is gone: `say`, when the transport tells of
   * the close, or the next call back reveals it; `poll`, when only a call back that gets no answer can
   * (the room's `pollTimeout` then bounds it).
   */
  readonly noticeGone: "say" | "poll";
}

/**
 * Two members chat through the room: joins and presence, a message to both, a poll answered, a poll whose
 * listener fails (the error reaches the room's call as a `JampError`), then one member's connection closes
 * and the room drops it, telling the other.
 */
export async function converse({ open, room, noticeGone }: Conversation): Promise<void> {
  const [alicePeer, bobPeer] = [await open(), await open()];
  const alice = member(alicePeer);
  const bob = member(bobPeer);
  try {
    expect(await alice.room.join("alice")).toEqual(["alice"]);
    expect(await bob.room.join("bob")).toEqual(["alice", "bob"]);
    expect((await rejection(bob.room.join("alice"))).type).toBe("name-taken");
    await until(() => alice.listener.presence.length === 2, "alice told of both joins");
    expect(alice.listener.presence).toEqual([
      { member: "alice", joined: true },
      { member: "bob", joined: true },
    ]);

    alice.room.say("hello bob");
    await until(() => alice.listener.messages.length === 1 && bob.listener.messages.length === 1, "the message at both");
    for (const got of [alice.listener.messages[0], bob.listener.messages[0]]) {
      expect(got).toMatchObject({ from: "alice", text: "hello bob" });
      expect(got?.at).toBeInstanceOf(Date);
    }

    expect(await bob.room.poll("lunch at noon?")).toEqual([{ member: "alice", answer: true }]);
    expect(alice.listener.asked).toEqual(["bob: lunch at noon?"]);

    alice.listener.answer = new JampError("busy", "alice is in a meeting", { data: { until: "13:00" } });
    expect(await bob.room.poll("now?")).toEqual([{ member: "alice", answer: null, error: "busy" }]);
    const failure = room.failures.at(-1);
    expect(failure).toBeInstanceOf(JampError);
    expect(failure).toMatchObject({ type: "busy", message: "alice is in a meeting", data: { until: "13:00" } });
    expect(room.members.map((each) => each.name)).toEqual(["alice", "bob"]);

    // Alice's connection closes without a word; the room notices and tells Bob.
    alicePeer.close();
    if (noticeGone === "say") bob.room.say("still there?");
    else expect(await bob.room.poll("still there?")).toEqual([{ member: "alice", answer: null, error: expect.stringMatching(/^(connection-closed|timeout)$/) }]);
    await until(() => bob.listener.presence.some((change) => change.member === "alice" && !change.joined), "bob told alice is gone");
    expect(bob.listener.presence.at(-1)).toEqual({ member: "alice", joined: false, reason: "gone" });
    expect(room.members.map((each) => each.name)).toEqual(["bob"]);
    expect(await bob.room.poll("anyone?")).toEqual([]);
    await bob.room.leave();
    expect(room.members).toEqual([]);
  } finally {
    alicePeer.close();
    bobPeer.close();
  }
}
