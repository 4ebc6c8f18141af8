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
  timer: ReturnType<typeof setTimeout> | undefined;

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

function expire(query: PendingQuery): void {
  query.table.abandon(query, new JampError("timeout", `${describe(query)} timed out after ${query.timeout} ms`));
}

function describe(query: PendingQuery): string {
  return `query ${query.method} to ${query.to}`;
}

/** setTimeout's largest delay; a longer one would fire at once. */
const maxDelay = 2 ** 31 - 1;

export class PendingQueries {
  readonly #queries = new Map<QueryId, PendingQuery>();
  readonly #abandoned = new Set<QueryId>();
  readonly #rememberAbandoned: number;
  #lastId = 0;

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
    do id = id >= Number.MAX_SAFE_INTEGER ? 1 : id + 1;
    while (this.#queries.has(id));
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
      this.#queries.set(id, query);
      if (timeout > 0) query.timer = setTimeout(expire, Math.min(timeout, maxDelay), query);
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

  #release(query: PendingQuery): void {
    if (query.timer !== undefined) clearTimeout(query.timer);
    query.signal?.removeEventListener("abort", query);
  }
}
