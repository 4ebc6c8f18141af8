/**
 * Broker peers that reconnect (`connectAmqpPeer`, `connectStompPeer`), and RabbitMQ restarted mid-run
 * (issue 8, Faults): a broker of this file's own, killed by pid with SIGKILL while clients send persistent
 * confirmed sends and queries are in flight, then started again on the same state folder. It proves that no
 * send whose `flush()` resolved is lost, that every query settles (answered or `connection-closed`) within a
 * bound, and that clients and servers resume by themselves; it prints its figures.
 *
 * Its own broker rather than the run's: killing the shared one would fail any other file's test that met
 * the restart, and a failed restart would take every later file down with it. It costs one more start.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InventoryClient, InventorySkeleton, serveInventory } from "../../fixtures/inventory/expected/index.js";
import type { Item } from "../../fixtures/inventory/inventory.js";
import { JampError, type Peer } from "../../src/runtime/index.js";
import { connectAmqpPeer, serveAmqp, type BrokerServer } from "../../src/runtime/transports/amqp.js";
import { connectStompPeer } from "../../src/runtime/transports/stomp.js";
import { rejection } from "../support/rejection.js";
import { until } from "../support/until.js";
import { startRabbitMq, type RabbitMq } from "./support/rabbitmq.js";
import { startTcpProxy } from "./support/tcp-proxy.js";

/** Records every release (a send) by id and holds `getItem` (a query) while `hold` is set. */
class RecordingInventory extends InventorySkeleton {
  readonly released = new Map<string, number>();
  hold = false;
  readonly held: (() => void)[] = [];
  async getItem(): Promise<Item | null> {
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    return null;
  }
  release(reservationId: string): void {
    this.released.set(reservationId, (this.released.get(reservationId) ?? 0) + 1);
  }
  async listItems(): Promise<Item[]> {
    return [];
  }
  async restock(): Promise<Item> {
    throw new JampError("not-implemented", "not in this test");
  }
  async reserve(): Promise<never> {
    throw new JampError("not-implemented", "not in this test");
  }
  letGo(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }
}

const reconnect = { initialDelay: 100, maxDelay: 1_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let broker: RabbitMq;

beforeAll(async () => {
  broker = await startRabbitMq();
});
afterAll(async () => {
  await broker?.stop();
});

describe("broker peers that reconnect", () => {
  it.each(["AMQP", "STOMP"] as const)("over %s: connecting to nothing rejects at once, naming the URL without its password", async (protocol) => {
    const error =
      protocol === "AMQP"
        ? await rejection(connectAmqpPeer("amqp://guest:secret@127.0.0.1:1"))
        : await rejection(connectStompPeer("ws://guest:secret@127.0.0.1:1/ws"));
    expect(error.type).toBe("connection-closed");
    expect(error.message).toMatch(/127\.0\.0\.1:1/);
    expect(error.message).not.toMatch(/secret/);
  });

  it("reports from flush() a send the lost connection never confirmed, though the peer reconnected before it was asked", async () => {
    const proxy = await startTcpProxy(broker.urls.amqpPort);
    const queuePrefix = `test.restart.flush.${process.pid}`;
    const peer = await connectAmqpPeer(broker.urls.amqp.replace(`:${broker.urls.amqpPort}`, `:${proxy.port}`), { queuePrefix, reconnect });
    try {
      const inventory = new InventoryClient(peer);
      inventory.release("before");
      await peer.flush();
      // The confirmation never comes: the bytes are held, then the connection is cut.
      proxy.freeze();
      inventory.release("lost?");
      proxy.cut();
      await until(() => peer.state === "reconnecting", "the peer noticed the drop");
      await until(() => peer.state === "open", "the peer reconnected");
      expect((await rejection(peer.flush())).type).toBe("connection-closed");
      // Reported once: what is sent on the new connection is confirmed again.
      inventory.release("after");
      await peer.flush();
    } finally {
      peer.close();
      await proxy.close();
    }
  });
});

interface Sender {
  readonly name: string;
  readonly peer: Peer;
  /** Ids of sends whose flush() resolved, whose flush() rejected, and sends refused (not sent) while down. */
  readonly confirmed: Set<string>;
  readonly unconfirmed: Set<string>;
  refused: number;
  running: Promise<void>;
}

/** Sends releases in batches of 10, each followed by a flush, until `stopped()`; waits while not open. */
function startSending(name: string, peer: Peer, stopped: () => boolean): Sender {
  const sender: Sender = { name, peer, confirmed: new Set(), unconfirmed: new Set(), refused: 0, running: Promise.resolve() };
  const inventory = new InventoryClient(peer);
  sender.running = (async () => {
    for (let n = 0; !stopped(); ) {
      if (peer.state !== "open") {
        await sleep(20);
        continue;
      }
      const batch: string[] = [];
      for (let i = 0; i < 10; i++) {
        const id = `${name}-${n++}`;
        try {
          inventory.release(id);
          batch.push(id);
        } catch {
          sender.refused++;
        }
      }
      try {
        await peer.flush();
        for (const id of batch) sender.confirmed.add(id);
      } catch {
        for (const id of batch) sender.unconfirmed.add(id);
      }
      await sleep(5);
    }
  })();
  return sender;
}

describe("RabbitMQ restarted mid-run", () => {
  it("loses no confirmed send, leaves no caller hanging, and clients and servers resume by themselves", async () => {
    const impl = new RecordingInventory();
    const queuePrefix = `test.restart.${process.pid}`;
    const serverErrors: JampError[] = [];
    const server: BrokerServer = await serveAmqp({
      url: broker.urls.amqp,
      services: [serveInventory(impl)],
      queuePrefix,
      prefetch: 16,
      reconnect,
      onError: (error) => serverErrors.push(error),
    });
    const peers = [
      await connectAmqpPeer(broker.urls.amqp, { queuePrefix, reconnect }),
      await connectStompPeer(broker.urls.stomp, { queuePrefix, reconnect, heartbeat: 2_000 }),
    ];
    let stop = false;
    const senders = peers.map((peer, i) => startSending(i === 0 ? "amqp" : "stomp", peer, () => stop));
    try {
      await until(() => senders.every((sender) => sender.confirmed.size >= 200), "sends confirmed before the restart", 30_000);
      // Queries in flight: held by the server's handler, and more waiting in the queue behind the prefetch.
      impl.hold = true;
      const settled: { type: string; at: number }[] = [];
      const inFlight = peers.flatMap((peer) =>
        Array.from({ length: 25 }, () =>
          new InventoryClient(peer).getItem("TL-1", { timeout: 0 }).then(
            () => settled.push({ type: "answered", at: Date.now() }),
            (error: JampError) => settled.push({ type: error.type, at: Date.now() }),
          ),
        ),
      );
      await until(() => impl.held.length === 16, "the server holding 16 queries");

      const killedAt = Date.now();
      await broker.halt("SIGKILL");
      const haltedAt = Date.now();
      await Promise.all(inFlight);
      const settleMs = Math.max(...settled.map((each) => each.at)) - killedAt;
      expect(settled.map((each) => each.type)).toEqual(Array(50).fill("connection-closed"));
      expect(settleMs).toBeLessThan(5_000);
      await until(() => peers.every((peer) => peer.state === "reconnecting") && server.state === "reconnecting", "everyone reconnecting");
      // While it is down, calls fail at once: nothing waits for a broker that is not there.
      expect((await rejection(new InventoryClient(peers[0] as Peer).getItem("TL-1", { timeout: 0 }))).type).toBe("connection-closed");
      impl.letGo();
      await sleep(500);

      const startSeconds = await broker.restart();
      const upAt = Date.now();
      await until(() => peers.every((peer) => peer.state === "open") && server.state === "open", "clients and server back", 30_000);
      const resumeMs = Date.now() - upAt;
      const confirmedBefore = senders.map((sender) => sender.confirmed.size);
      await until(() => senders.every((sender, i) => sender.confirmed.size >= (confirmedBefore[i] as number) + 200), "sends confirmed after the restart", 30_000);
      for (const peer of peers) expect(await new InventoryClient(peer).getItem("TL-1")).toBeNull();
      stop = true;
      await Promise.all(senders.map((sender) => sender.running));

      // Every confirmed send reaches the server: those before the restart from the broker's disk.
      const confirmed = senders.flatMap((sender) => [...sender.confirmed]);
      await until(() => confirmed.every((id) => impl.released.has(id)), "every confirmed send delivered", 30_000).catch((error: unknown) => {
        // Which were lost, from whom, and what the broker says of its recovery, so that a failure here tells
        // a send jamp-gen lost from one RabbitMQ dropped when it recovered its queue after the crash.
        const lost = senders.map((sender) => ({ via: sender.name, lost: [...sender.confirmed].filter((id) => !impl.released.has(id)) }));
        console.log(`RabbitMQ restart, confirmed and not delivered: ${JSON.stringify(lost)}; delivered ${impl.released.size}`);
        console.log(`RabbitMQ's log on recovery:\n${broker.logLines(/unclean shutdown|dropped|recover/i).join("\n")}`);
        throw error;
      });
      const unconfirmed = senders.flatMap((sender) => [...sender.unconfirmed]);
      const duplicates = [...impl.released.values()].filter((times) => times > 1).length;
      const figures = {
        confirmed: confirmed.length,
        confirmedDelivered: confirmed.filter((id) => impl.released.has(id)).length,
        unconfirmed: unconfirmed.length,
        unconfirmedDelivered: unconfirmed.filter((id) => impl.released.has(id)).length,
        refusedWhileDown: senders.reduce((sum, sender) => sum + sender.refused, 0),
        duplicates,
        queriesInFlight: settled.length,
        slowestQuerySettledMs: settleMs,
        haltMs: haltedAt - killedAt,
        restartSeconds: startSeconds,
        resumeMs,
        serverErrors: serverErrors.length,
      };
      console.log(`RabbitMQ restart: ${JSON.stringify(figures)}; its log: ${JSON.stringify(broker.logLines(/unclean shutdown|dropped/i))}`);
      expect(figures.confirmedDelivered).toBe(figures.confirmed);
      expect(serverErrors.every((error) => error.type === "connection-closed")).toBe(true);
    } finally {
      stop = true;
      impl.letGo();
      for (const peer of peers) peer.close();
      await server.close(1_000);
    }
  });
});
