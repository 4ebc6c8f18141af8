/**
 * Type-level checks of the call context against generated code: compiled, never run, by
 * `test/typecheck.test.ts` under the strictest options (and by `npm run typecheck`). A line marked
 * `@ts-expect-error` must fail to compile, or the check fails.
 */
import type * as jamp from "jamp-gen/runtime";
import type { Calculator, Entry } from "../../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../../fixtures/calculator/expected/index.js";

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

// The context comes after every declared parameter; an optional one before it becomes `T | undefined`.
export type ContextAfterParameters = Expect<
  Equal<Parameters<jamp.Implementation<Calculator>["add"]>, [a: number, b: number, context: jamp.CallContext]>
>;
export type OptionalParameterPadded = Expect<
  Equal<Parameters<jamp.Implementation<Calculator>["history"]>, [limit: number | undefined, context: jamp.CallContext]>
>;
export type ResultUnchanged = Expect<Equal<ReturnType<jamp.Implementation<Calculator>["history"]>, Promise<Entry[]>>>;

// Any implementation of the interface is served as it is.
declare const plain: Calculator;
export const servedPlain = serveCalculator(plain);

// An object's methods get the context's type from `serveCalculator`, without annotations.
export const servedObject = serveCalculator({
  async add(a, b, ctx) {
    return a + b + ctx.from.length;
  },
  async divide(a, b) {
    return a / b;
  },
  async history(limit, ctx) {
    ctx.signal.throwIfAborted();
    return limit === undefined ? [] : [];
  },
  reset(ctx) {
    void ctx.headers["sid"];
  },
});

/** Declares the context required: served, but no longer a `Calculator` (a direct call would lack it). */
class NeedsContext extends CalculatorSkeleton {
  async add(a: number, b: number, ctx: jamp.CallContext): Promise<number> {
    return ctx.identity === undefined ? a + b : 0;
  }
  async divide(a: number, b: number): Promise<number> {
    return a / b;
  }
  async history(limit: number | undefined, ctx: jamp.CallContext): Promise<Entry[]> {
    return ctx.kind === "query" && limit !== 0 ? [] : [];
  }
  reset(): void {}
}

/** Declares it optional: served, and still a `Calculator`. */
class MayTakeContext extends CalculatorSkeleton {
  async add(a: number, b: number, ctx?: jamp.CallContext): Promise<number> {
    return a + b + (ctx?.from.length ?? 0);
  }
  async divide(a: number, b: number): Promise<number> {
    return a / b;
  }
  async history(): Promise<Entry[]> {
    return [];
  }
  reset(): void {}
}

export const servedClasses = [serveCalculator(new NeedsContext()), serveCalculator(new MayTakeContext())];
export const stillCalculator: Calculator = new MayTakeContext();
// @ts-expect-error: `add` needs a context, which a plain call of a `Calculator` does not give.
export const notCalculator: Calculator = new NeedsContext();

export const wrongContext = serveCalculator({
  // @ts-expect-error: the slot after the parameters holds a CallContext, nothing else.
  async add(a: number, b: number, ctx: string) {
    return a + b + ctx.length;
  },
  async divide(a: number, b: number) {
    return a / b;
  },
  async history() {
    return [];
  },
  reset() {},
});

// The client takes headers on every call, one-way ones too.
declare const client: CalculatorClient;
export const withHeaders = [
  client.add(1, 2, { headers: { sid: "s" }, timeout: 1000 }),
  client.reset({ headers: { sid: "s" } }),
];
// @ts-expect-error: a send has no reply to wait for, so no timeout.
client.reset({ timeout: 1000 });
