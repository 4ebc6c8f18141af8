import { describe, expect, it } from "vitest";
import { FrameQueue, connectionClosed } from "../../../../src/runtime/transports/frame-queue.js";

describe("FrameQueue.deliverTo", () => {
  it("hands over the frames kept so far, in order, then each frame as it comes", () => {
    const queue = new FrameQueue();
    queue.push("one");
    queue.push("two");
    const got: string[] = [];
    queue.deliverTo((frame) => got.push(frame));
    expect(got).toEqual(["one", "two"]);
    queue.push("three");
    expect(got).toEqual(["one", "two", "three"]);
  });

  it("takes a frame handed over halfway through a read, and drops what comes after closing", async () => {
    const queue = new FrameQueue();
    queue.push("one");
    await expect(queue.take()).resolves.toBe("one");
    queue.push("two");
    const got: string[] = [];
    queue.deliverTo((frame) => got.push(frame));
    queue.close(connectionClosed("closed", 1000, ""));
    queue.push("late");
    expect(got).toEqual(["two"]);
    await expect(queue.closed).resolves.toMatchObject({ type: "connection-closed" });
  });
});

describe("FrameQueue.deliverPaced", () => {
  /** Lets every microtask queued so far run (and those they queue). */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  /** A paced queue whose reader takes each frame and answers it one microtask later, as a query's handler does. */
  const answering = () => {
    const queue = new FrameQueue();
    const events: string[] = [];
    queue.deliverPaced(
      (frame) => {
        events.push(`take ${frame}`);
        void Promise.resolve().then(() => events.push(`answer ${frame}`));
      },
      () => undefined,
    );
    return { queue, events };
  };

  it("hands over a lone frame at once, with no turn of its own", () => {
    const queue = new FrameQueue();
    const got: string[] = [];
    queue.deliverPaced((frame) => got.push(frame), () => undefined);
    queue.push("one");
    expect(got).toEqual(["one"]);
  });

  it("hands over the rest of a burst one microtask each, after what the frame before set off at once", async () => {
    const { queue, events } = answering();
    for (const frame of ["a", "b", "c"]) queue.push(frame);
    expect(events).toEqual(["take a"]);
    await settle();
    expect(events).toEqual(["take a", "answer a", "take b", "answer b", "take c", "answer c"]);
    // The burst is over: the next frame goes at once again.
    queue.push("d");
    expect(events.at(-1)).toBe("take d");
  });

  it("queues nothing after a lone frame: the next goes at once in the next read, a microtask later without one", async () => {
    const { queue, events } = answering();
    queue.readBegins();
    queue.push("a");
    await settle();
    queue.readBegins();
    queue.push("b");
    expect(events).toEqual(["take a", "answer a", "take b"]);
    await settle();
    // No read began: the frame waits for one microtask, after which a burst is paced as before.
    queue.push("c");
    queue.push("d");
    expect(events.at(-1)).toBe("answer b");
    await settle();
    expect(events).toEqual(["take a", "answer a", "take b", "answer b", "take c", "answer c", "take d", "answer d"]);
  });

  it("lets no frame of a new read past the frames of the last one still waiting", async () => {
    const { queue, events } = answering();
    queue.readBegins();
    for (const frame of ["a", "b", "c"]) queue.push(frame);
    queue.readBegins();
    queue.push("d");
    expect(events).toEqual(["take a"]);
    await settle();
    expect(events.filter((event) => event.startsWith("take"))).toEqual(["take a", "take b", "take c", "take d"]);
    expect(events.indexOf("answer c")).toBeLessThan(events.indexOf("take d"));
  });

  it("hands over nothing while held, then the frames kept, in order", async () => {
    await heldThenReleased(false);
  });

  it("lets no frame of a new read past a hold", async () => {
    await heldThenReleased(true);
  });

  /** Two frames pushed while held (each in a read of its own when `reads`): none goes until the hold ends. */
  async function heldThenReleased(reads: boolean): Promise<void> {
    const queue = new FrameQueue();
    let release!: () => void;
    let held: Promise<void> | undefined = new Promise<void>((resolve) => (release = resolve));
    const got: string[] = [];
    queue.deliverPaced((frame) => got.push(frame), () => held);
    if (reads) queue.readBegins();
    queue.push("one");
    if (reads) queue.readBegins();
    queue.push("two");
    await settle();
    expect(got).toEqual([]);
    held = undefined;
    release();
    await settle();
    expect(got).toEqual(["one", "two"]);
  }

  it("hands over the frames it kept before the end, and those kept before it was called", async () => {
    const queue = new FrameQueue();
    queue.push("early");
    const got: string[] = [];
    queue.deliverPaced((frame) => got.push(frame), () => new Promise<void>(() => {}));
    queue.push("held");
    expect(got).toEqual([]);
    queue.close(connectionClosed("closed", 1000, ""));
    expect(got).toEqual(["early", "held"]);
    queue.push("late");
    await settle();
    expect(got).toEqual(["early", "held"]);
  });

  it("reads on after a reader that threw", async () => {
    const queue = new FrameQueue();
    const got: string[] = [];
    queue.deliverPaced(
      (frame) => {
        got.push(frame);
        if (frame === "bad") throw new Error("a bug in the reader");
      },
      () => undefined,
    );
    expect(() => queue.push("bad")).toThrow("a bug in the reader");
    queue.push("good");
    await settle();
    expect(got).toEqual(["bad", "good"]);
  });
});
