/**
 * `coalesceWrites` over a real TCP connection on 127.0.0.1: the writes of one turn leave in one write of
 * the socket (its `_write` or `_writev`, counted as Node calls them), in order, before any timer or I/O
 * callback runs; past the limit they leave at once.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { coalesceWrites } from "../../../../src/runtime/transports/coalesce.js";
import { until } from "../support/calculator.js";

const opened: (Server | Socket)[] = [];

afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) {
    if ("destroy" in thing) thing.destroy();
    else await new Promise((resolve) => thing.close(resolve));
  }
});

/** A connected pair: the sending socket, its writes counted, and what the other end has received. */
async function pair() {
  const server = createServer();
  opened.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const accepted = new Promise<Socket>((resolve) => server.once("connection", resolve));
  const sender = connect((server.address() as { port: number }).port, "127.0.0.1");
  opened.push(sender);
  await new Promise((resolve) => sender.once("connect", resolve));
  const receiver = await accepted;
  opened.push(receiver);
  let received = "";
  receiver.on("data", (data: Buffer) => (received += data.toString()));
  const sizes: number[] = [];
  const write = sender._write.bind(sender);
  const writev = sender._writev!.bind(sender);
  sender._write = (chunk, encoding, done) => {
    sizes.push(chunk.length);
    write(chunk, encoding, done);
  };
  sender._writev = (chunks, done) => {
    sizes.push(chunks.reduce((sum, { chunk }) => sum + chunk.length, 0));
    writev(chunks, done);
  };
  /** The other end writes to the sender; resolves once the sender has read it (its `data` event). */
  const reply = (text: string) =>
    new Promise<void>((resolve) => {
      sender.once("data", () => resolve());
      receiver.write(text);
    });
  return { sender, sizes, received: () => received, reply };
}

describe("coalesceWrites", () => {
  it("sends the writes of one turn in one write, in order, before the next turn of the event loop", async () => {
    const { sender, sizes, received } = await pair();
    const batch = coalesceWrites(sender, 64 * 1024);
    const expected: string[] = [];
    for (let i = 0; i < 20; i++) {
      batch.hold();
      sender.write(`frame ${i};`);
      batch.spill();
      expected.push(`frame ${i};`);
    }
    expect(sizes).toEqual([]);
    // Promise callbacks of the same turn still join the batch.
    await Promise.resolve();
    batch.hold();
    sender.write("last;");
    batch.spill();
    expected.push("last;");
    await new Promise((resolve) => setImmediate(resolve));
    expect(sizes).toEqual([expected.join("").length]);
    await until(() => received().length === expected.join("").length);
    expect(received()).toBe(expected.join(""));
  });

  it("sends a lone write before the next turn of the event loop: no timer, no wait for I/O", async () => {
    const { sender, sizes, received } = await pair();
    const batch = coalesceWrites(sender, 64 * 1024);
    batch.hold();
    sender.write("alone");
    batch.spill();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sizes).toEqual([5]);
    await until(() => received() === "alone");
    // The next turn starts a batch of its own.
    batch.hold();
    sender.write("again");
    batch.spill();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sizes).toEqual([5, 5]);
  });

  it("sends the first write of a turn begun by a read at once when the turn before wrote at most one", async () => {
    const { sender, sizes, received, reply } = await pair();
    const batch = coalesceWrites(sender, 64 * 1024);
    const send = (text: string) => {
      batch.hold();
      sender.write(text);
      batch.spill();
    };
    // A read after a turn that wrote nothing: its first write is not held back, its second is.
    await reply("ping");
    send("a");
    expect(sizes).toEqual([1]);
    send("bb");
    send("ccc");
    expect(sizes).toEqual([1]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sizes).toEqual([1, 5]);
    // That turn wrote three: the next one begun by a read is corked from its first write.
    await reply("ping");
    send("d");
    expect(sizes).toEqual([1, 5]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sizes).toEqual([1, 5, 1]);
    // That one wrote one: the next goes at once again, and so on, one at a time.
    for (const text of ["e", "f", "g"]) {
      await reply("ping");
      send(text);
      expect(sizes.at(-1)).toBe(1);
    }
    expect(sizes).toEqual([1, 5, 1, 1, 1, 1]);
    await until(() => received() === "abbcccdefg");
  });

  it("lets what waits out at once past the limit, so little is ever held back", async () => {
    const { sender, sizes, received } = await pair();
    const batch = coalesceWrites(sender, 1000);
    const held: number[] = [];
    for (let i = 0; i < 10; i++) {
      batch.hold();
      sender.write("x".repeat(300));
      batch.spill();
      held.push(sender.writableLength);
    }
    // 4 writes make 1200 bytes, past 1000: out at once; twice, then the last 600 at the end of the turn.
    expect(sizes).toEqual([1200, 1200]);
    expect(Math.max(...held)).toBeLessThan(1000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sizes).toEqual([1200, 1200, 600]);
    await until(() => received().length === 3000);
  });

  it("does nothing when the socket was destroyed before the end of the turn", async () => {
    const { sender, sizes } = await pair();
    const batch = coalesceWrites(sender, 64 * 1024);
    batch.hold();
    sender.write("lost");
    sender.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sizes).toEqual([]);
    expect(sender.destroyed).toBe(true);
  });
});
