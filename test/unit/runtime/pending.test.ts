import { describe, expect, it } from "vitest";
import { JampError } from "../../../src/runtime/errors.js";
import { PendingQueries } from "../../../src/runtime/pending.js";

/** What a pending query came to: its result, or its error's type. */
function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (result) => result,
    (error: JampError) => error.type,
  );
}

describe("PendingQueries: the queue of a time limit", () => {
  it("times out exactly the queries left, whichever were answered, from the middle or the ends", async () => {
    const table = new PendingQueries(10);
    const ids = Array.from({ length: 7 }, () => table.nextId());
    const answers = ids.map((id) => outcome(table.add(id, "/calculator", "hold", 30, undefined)));
    // Out of the queue: two neighbours in the middle, then the first and the last.
    for (const index of [2, 3, 0, 6]) expect(table.resolve(ids[index]!, index)).toBe("settled");
    expect(table.reject(ids[4]!, new JampError("service-error", "no"))).toBe("settled");
    expect(await Promise.all(answers)).toEqual([0, "timeout", 2, 3, "service-error", "timeout", 6]);
    expect(table.size).toBe(0);
    // The timed-out ones answering late are told apart from ids never sent.
    const late = [table.resolve(ids[1]!, 1), table.resolve(ids[5]!, 5), table.resolve(999, 0)];
    expect(late).toEqual(["late", "late", "unknown"]);
  });

  it("starts a fresh queue after every query left it, and after all were rejected at once", async () => {
    const table = new PendingQueries(10);
    const first = table.nextId();
    const answered = outcome(table.add(first, "/c", "add", 20, undefined));
    table.resolve(first, 1);
    expect(await answered).toBe(1);
    const [a, b] = [table.nextId(), table.nextId()];
    const both = [a, b].map((id) => outcome(table.add(id, "/c", "hold", 20, undefined)));
    table.rejectAll(new JampError("connection-closed", "gone"));
    expect(await Promise.all(both)).toEqual(["connection-closed", "connection-closed"]);
    const c = table.nextId();
    expect(await outcome(table.add(c, "/c", "hold", 20, undefined))).toBe("timeout");
  });
});
