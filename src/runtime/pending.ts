/**
 * The queries a peer has sent and not yet had answered: id allocation, timeouts, cancellation, and the
 * memory of recently abandoned ids, so that a reply arriving after its timeout is told apart from a reply
 * nobody asked for.
 */

import { JampError } from "./errors.js";
import type { QueryId } from "./message.js";

/** What became of an answer: it settled a query, it came after the query was abandoned, or nobody asked. */
export type AnswerOutcome = "settled" | "late" | "unknown";

/** One outstanding query; also the `abort` listener of its signal. */
export class PendingQuery {
  /** When it times out, on `performance.now()`'s clock; set when it has a time limit. */
  deadline = 0;
  /** The clock of its time limit, while it is in that clock's queue. */
  clock: Clock | undefined = undefined;
  /** Its neighbours in that queue. */
  previous: PendingQuery | undefined = undefined;
  next: PendingQuery | undefined = undefined;

  constructor(
    readonly table: PendingQueries,
    readonly id: number,
    readonly to: string,
    readonly method: string,
    readonly timeout: number,
    readonly signal: AbortSignal | undefined,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: JampError) => void,
  ) {}

  /** The `abort` listener of `signal`: an object, so no closure is made per query. */
  handleEvent(): void {
    const reason: unknown = this.signal?.reason;
    this.table.abandon(
      this,
      new JampError("cancelled", `${describe(this)} was cancelled`, reason === undefined ? {} : { cause: reason }),
    );
  }
}

function describe(query: PendingQuery): string {
  return `query ${query.method} to ${query.to}`;
}

/** setTimeout's largest delay; a longer one would fire at once. */
const maxDelay = 2 ** 31 - 1;

/**
 * The queries of one time limit, in the order they were sent, which is the order of their deadlines: one
 * timer, set for the first of them, serves them all, rather than a timer per query. It is left running when
 * the last query settles (unreferenced, where the platform has that, so it keeps no process alive), so that
 * the next query usually finds it set. The queue is linked through the queries themselves: adding and
 * removing one hashes nothing.
 */
class Clock {
  #first: PendingQuery | undefined;
  #last: PendingQuery | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the timer keeps a Node process alive. */
  #held = false;

  constructor(
    readonly table: PendingQueries,
    readonly timeout: number,
  ) {}

  add(query: PendingQuery): void {
    query.deadline = now() + query.timeout;
    query.clock = this;
    query.previous = this.#last;
    if (this.#last === undefined) this.#first = query;
    else this.#last.next = query;
    this.#last = query;
    if (this.timer === undefined) this.#arm(this.timeout);
    else if (!this.#held) this.#hold(true);
  }

  remove(query: PendingQuery): void {
    const { previous, next } = query;
    if (previous === undefined) this.#first = next;
    else previous.next = next;
    if (next === undefined) this.#last = previous;
    else next.previous = previous;
    query.clock = query.previous = query.next = undefined;
    if (this.#first === undefined && this.#held) this.#hold(false);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  #arm(delay: number): void {
    this.timer = setTimeout(tick, Math.min(Math.max(delay, 1), maxDelay), this);
    this.#held = true;
  }

  #hold(held: boolean): void {
    this.#held = held;
    const timer = this.timer as { ref?: () => void; unref?: () => void } | undefined;
    if (held) timer?.ref?.();
    else timer?.unref?.();
  }

  /** The timer fired: every query due times out, and the timer is set again for the next one, if any. */
  expire(): void {
    this.timer = undefined;
    const time = now();
    for (let query = this.#first; query !== undefined; query = this.#first) {
      if (query.deadline > time) return this.#arm(query.deadline - time);
      // Out of the queue first: abandoning it would too, but only while the table still holds it.
      this.remove(query);
      this.table.abandon(query, new JampError("timeout", `${describe(query)} timed out after ${query.timeout} ms`));
    }
    this.table.forget(this);
  }
}

function tick(clock: Clock): void {
  clock.expire();
}

function now(): number {
  return performance.now();
}

export class PendingQueries {
  readonly #queries = new Map<QueryId, PendingQuery>();
  readonly #abandoned = new Set<QueryId>();
  readonly #rememberAbandoned: number;
  /** The timers, by time limit (nearly always one: the peer's default). */
  readonly #clocks = new Map<number, Clock>();
  #lastId = 0;
  /**
   * The last query added, kept (settled or not) so that some query always has the shape V8 gave them: a
   * full collection while none is pending would otherwise free that shape, and V8 then drops the
   * optimized code that relies on it ("weak objects"), to make it again over the next thousand calls. It
   * holds the value the query resolved with until the next query replaces it.
   */
  last: PendingQuery | undefined;
  /** Whether ids have wrapped round, so that a fresh one must be checked against those outstanding. */
  #wrapped = false;

  /** @param rememberAbandoned how many abandoned ids to remember for counting late replies. */
  constructor(rememberAbandoned: number) {
    this.#rememberAbandoned = rememberAbandoned;
  }

  get size(): number {
    return this.#queries.size;
  }

  /** A fresh id: integers from 1, never one still outstanding (they wrap after 2^53-1). */
  nextId(): number {
    let id = this.#lastId;
    if (id >= Number.MAX_SAFE_INTEGER) this.#wrapped = true;
    do id = id >= Number.MAX_SAFE_INTEGER ? 1 : id + 1;
    while (this.#wrapped && this.#queries.has(id));
    this.#lastId = id;
    return id;
  }

  /**
   * Registers query `id` and returns the promise of its answer. `timeout` 0 means none; `signal` must not
   * be aborted yet.
   */
  add(id: number, to: string, method: string, timeout: number, signal: AbortSignal | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const query = new PendingQuery(this, id, to, method, timeout, signal, resolve, reject);
      this.last = query;
      this.#queries.set(id, query);
      if (timeout > 0) this.#clockOf(timeout).add(query);
      signal?.addEventListener("abort", query);
    });
  }

  /** Settles query `id` with its result. */
  resolve(id: QueryId, result: unknown): AnswerOutcome {
    const query = this.#take(id);
    if (query === undefined) return this.#abandoned.delete(id) ? "late" : "unknown";
    query.resolve(result);
    return "settled";
  }

  /** Rejects query `id` with `error`. */
  reject(id: QueryId, error: JampError): AnswerOutcome {
    const query = this.#take(id);
    if (query === undefined) return this.#abandoned.delete(id) ? "late" : "unknown";
    query.reject(error);
    return "settled";
  }

  /** Gives up on `query` (timeout, cancellation): rejects it and remembers its id. */
  abandon(query: PendingQuery, error: JampError): void {
    if (this.#take(query.id) === undefined) return;
    if (this.#abandoned.size >= this.#rememberAbandoned) {
      const oldest = this.#abandoned.values().next();
      if (oldest.done !== true) this.#abandoned.delete(oldest.value);
    }
    if (this.#rememberAbandoned > 0) this.#abandoned.add(query.id);
    query.reject(error);
  }

  /** Rejects every outstanding query with `connection-closed`, caused by `reason`. */
  rejectAll(reason: JampError): void {
    const queries = [...this.#queries.values()];
    this.#queries.clear();
    this.#abandoned.clear();
    for (const clock of this.#clocks.values()) clock.stop();
    this.#clocks.clear();
    for (const query of queries) {
      this.#release(query);
      query.reject(
        new JampError("connection-closed", `${describe(query)} got no answer: ${reason.message}`, { cause: reason }),
      );
    }
  }

  #take(id: QueryId): PendingQuery | undefined {
    const query = this.#queries.get(id);
    if (query === undefined) return undefined;
    this.#queries.delete(id);
    this.#release(query);
    return query;
  }

  /** A clock whose timer ran out with no query left. */
  forget(clock: Clock): void {
    if (this.#clocks.get(clock.timeout) === clock) this.#clocks.delete(clock.timeout);
  }

  #clockOf(timeout: number): Clock {
    let clock = this.#clocks.get(timeout);
    if (clock === undefined) {
      clock = new Clock(this, timeout);
      this.#clocks.set(timeout, clock);
    }
    return clock;
  }

  #release(query: PendingQuery): void {
    query.clock?.remove(query);
    query.signal?.removeEventListener("abort", query);
  }
}
