/**
 * When a peer that lost its connection tries again: exponential backoff with jitter. A pure schedule, so
 * that it is tested without waiting; `Connection` runs it.
 */

export interface ReconnectOptions {
  /** The delay before the first attempt after a drop, in ms. Default 500. */
  readonly initialDelay?: number | undefined;
  /** The longest delay between two attempts, in ms. Default 10_000. */
  readonly maxDelay?: number | undefined;
  /** How much each delay grows on the one before (1 keeps it constant). Default 2. */
  readonly factor?: number | undefined;
  /**
   * The share of each delay drawn at random, from 0 to 1: a delay `d` becomes one between `d × (1 − jitter)`
   * and `d`, so that clients dropped together do not all come back at the same moment. Default 0.5.
   */
  readonly jitter?: number | undefined;
  /** How many attempts in a row may fail before the peer closes for good. Default `Infinity`. */
  readonly maxAttempts?: number | undefined;
  /**
   * How long, in ms, a connection must have stayed open to count as a success: the next drop then starts
   * the schedule afresh. A connection that drops sooner counts as a failed attempt, so a server that accepts
   * and hangs up at once is retried ever more slowly, not ever faster. Default 5_000.
   */
  readonly resetAfter?: number | undefined;
}

/** Reconnect options with every default filled in. */
export type Backoff = { readonly [K in keyof ReconnectOptions]-?: number };

export const defaultBackoff: Backoff = {
  initialDelay: 500,
  maxDelay: 10_000,
  factor: 2,
  jitter: 0.5,
  maxAttempts: Number.POSITIVE_INFINITY,
  resetAfter: 5_000,
};

/** setTimeout's largest delay; a longer one would fire at once. */
const longestDelay = 2 ** 31 - 1;

/**
 * The schedule `options` ask for: `undefined` for `false` (no reconnecting), the defaults for `true` or
 * `undefined`. Throws a `RangeError` naming the option that is out of range.
 */
export function backoffOf(options: ReconnectOptions | boolean | undefined): Backoff | undefined {
  if (options === false) return undefined;
  const given = options === true || options === undefined ? {} : options;
  const backoff: Backoff = {
    initialDelay: given.initialDelay ?? defaultBackoff.initialDelay,
    maxDelay: given.maxDelay ?? Math.max(defaultBackoff.maxDelay, given.initialDelay ?? 0),
    factor: given.factor ?? defaultBackoff.factor,
    jitter: given.jitter ?? defaultBackoff.jitter,
    maxAttempts: given.maxAttempts ?? defaultBackoff.maxAttempts,
    resetAfter: given.resetAfter ?? defaultBackoff.resetAfter,
  };
  const { initialDelay, maxDelay, factor, jitter, maxAttempts, resetAfter } = backoff;
  check("initialDelay", initialDelay, 0 <= initialDelay && initialDelay <= longestDelay, `from 0 to ${longestDelay}`);
  check("maxDelay", maxDelay, initialDelay <= maxDelay && maxDelay <= longestDelay, `from initialDelay to ${longestDelay}`);
  check("factor", factor, factor >= 1 && Number.isFinite(factor), "a finite number from 1");
  check("jitter", jitter, 0 <= jitter && jitter <= 1, "from 0 to 1");
  const wholeAttempts = Number.isSafeInteger(maxAttempts) && maxAttempts >= 1;
  check("maxAttempts", maxAttempts, wholeAttempts || maxAttempts === Infinity, "a whole number from 1, or Infinity");
  check("resetAfter", resetAfter, resetAfter >= 0 && Number.isFinite(resetAfter), "a finite number from 0");
  return backoff;
}

function check(name: string, value: number, ok: boolean, range: string): void {
  // `ok` is false for NaN and non-numbers as well, whose comparisons all fail.
  if (!ok || typeof value !== "number") throw new RangeError(`reconnect.${name} must be ${range}, got ${String(value)}`);
}

/**
 * The delay before attempt `attempt` (1 for the first after a drop): `initialDelay × factor^(attempt − 1)`,
 * at most `maxDelay`, less a random share of up to `jitter` of it. `random` returns a number in [0, 1), as
 * `Math.random` does.
 */
export function reconnectDelay(backoff: Backoff, attempt: number, random: () => number = Math.random): number {
  const grown = backoff.initialDelay * backoff.factor ** (attempt - 1);
  // 0 × Infinity (a zero initial delay, many attempts) is NaN: the delay stays 0.
  const base = Number.isNaN(grown) ? 0 : Math.min(backoff.maxDelay, grown);
  return Math.round(base * (1 - backoff.jitter * random()));
}
