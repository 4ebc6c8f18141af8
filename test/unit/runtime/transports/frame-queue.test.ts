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
