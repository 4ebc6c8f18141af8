import { describe, expect, it } from "vitest";
import { JampError } from "../../../../src/runtime/errors.js";
import { createLoopbackPair } from "../../../../src/runtime/transports/loopback.js";

describe("createLoopbackPair", () => {
  it("delivers frames in order, never inside the sender's call", async () => {
    const [a, b] = createLoopbackPair();
    let received: string | undefined;
    void b.receive().then((frame) => (received = frame));
    a.send("one");
    expect(received).toBeUndefined();
    a.send("two");
    await Promise.resolve();
    expect(received).toBe("one");
    await expect(b.receive()).resolves.toBe("two");
    a.close();
  });

  it("serves concurrent readers one frame each", async () => {
    const [a, b] = createLoopbackPair();
    const first = b.receive();
    const second = b.receive();
    a.send("1");
    a.send("2");
    await expect(Promise.all([first, second])).resolves.toEqual(["1", "2"]);
    a.close();
  });

  it("closes both ends, handing out frames that arrived first", async () => {
    const [a, b] = createLoopbackPair();
    a.send("last words");
    a.close(4000, "done");
    await expect(b.receive()).resolves.toBe("last words");
    const error = await b.receive().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(JampError);
    expect(error).toMatchObject({ type: "connection-closed", data: { code: 4000, reason: "done" } });
    expect((await b.closed).message).toContain("closed by the other end");
    expect((await a.closed).message).toContain("closed locally");
  });

  it("rejects a waiting reader when closed", async () => {
    const [a, b] = createLoopbackPair();
    const waiting = b.receive();
    b.close();
    await expect(waiting).rejects.toMatchObject({ type: "connection-closed" });
    await expect(a.receive()).rejects.toMatchObject({ type: "connection-closed" });
  });

  it("refuses to send once closed", () => {
    const [a, b] = createLoopbackPair();
    b.close();
    expect(() => a.send("late")).toThrow(JampError);
  });
});
