/**
 * What the browser test runs in Chromium, bundled with esbuild: the generated calculator and ticker clients
 * on the runtime, over the transport the test names, through a `Peer` (`connect`) or the call-only caller
 * (`connectCaller`). Each step returns plain data for the test to check; the peer's page serves a calculator
 * of its own, which the server calls back.
 */
import type { Entry } from "../../../fixtures/calculator/calculator.js";
import { CalculatorClient, CalculatorSkeleton, serveCalculator } from "../../../fixtures/calculator/expected/index.js";
import { TickerClient, tickerResultValidators } from "../../../fixtures/kind-stream/expected/index.js";
import { connect, connectCaller, JampError, type Caller, type Peer, type WebSocketCaller } from "jamp-gen/runtime";

class PageCalculator extends CalculatorSkeleton {
  calls: string[] = [];
  async add(a: number, b: number): Promise<number> {
    this.calls.push(`add ${a} ${b}`);
    return a + b;
  }
  async divide(a: number, b: number): Promise<number> {
    if (b === 0) throw new JampError("division-by-zero", "the page cannot divide by zero");
    return a / b;
  }
  async history(): Promise<Entry[]> {
    return [];
  }
  reset(): void {
    this.calls.push("reset");
  }
}

export interface ErrorReport {
  readonly isJampError: boolean;
  readonly type: string;
  readonly message: string;
}

function report(error: unknown): ErrorReport {
  const { type, message } = error as JampError;
  return { isJampError: error instanceof JampError, type, message };
}

const mine = new PageCalculator();
let peer: Peer | undefined;
let caller: WebSocketCaller | undefined;

/** What the generated clients call through: the peer of `open`, or the caller of `openCaller`. */
type Through = "peer" | "caller";

function through(which: Through): Caller & { close(): void } {
  return (which === "peer" ? peer : caller) as Peer | WebSocketCaller;
}

/** Connects: a `ws:` URL over the platform WebSocket, an `http:` one with or without a channel. */
async function open(url: string, channel: boolean): Promise<void> {
  peer = await connect(url, { channel, services: [serveCalculator(mine)], timeout: 5000 });
}

/** Connects the call-only caller, over the platform WebSocket; what it rejects with when it cannot. */
async function openCaller(url: string): Promise<ErrorReport | undefined> {
  try {
    caller = await connectCaller(url, { timeout: 5000 });
    return undefined;
  } catch (error) {
    return report(error);
  }
}

/** Typed calls, a send, and an application error. */
async function calls(which: Through = "peer") {
  const calc = new CalculatorClient(through(which));
  const sum = await calc.add(20, 22);
  const [entry] = await calc.history(1);
  const error = await calc.divide(1, 0).then(() => undefined, report);
  calc.reset();
  return { sum, at: entry?.at instanceof Date ? entry.at.toISOString() : null, error };
}

/** A stream read to its end, another left with `break`; or the error a stream gets. */
async function stream(which: Through = "peer") {
  const ticker = new TickerClient(through(which), undefined, { validateResults: tickerResultValidators });
  try {
    const ticks: { price: number; at: string | null }[] = [];
    for await (const tick of ticker.ticks("ACME", new Date("2026-11-21T12:00:00.000Z"), 3)) {
      ticks.push({ price: tick.price, at: tick.at instanceof Date ? tick.at.toISOString() : null });
    }
    const counted: number[] = [];
    for await (const n of ticker.count(1_000_000)) {
      counted.push(n);
      if (n === 3) break;
    }
    return { ticks, counted };
  } catch (error) {
    return { error: report(error) };
  }
}

/** What the server's calls back did here. */
function served(): string[] {
  return mine.calls;
}

/** Closes the connection; what a call made after it gets. */
async function close(which: Through = "peer"): Promise<ErrorReport | undefined> {
  const closing = through(which);
  closing.close();
  mine.calls = [];
  return new CalculatorClient(closing).add(1, 1).then(() => undefined, report);
}

/** Baratine's way, without the runtime: the channel named by its cookie, sent with `credentials: "include"`. */
async function cookieChannel(url: string) {
  const request = (type: string, body: string) =>
    fetch(url, { method: "POST", credentials: "include", headers: { "content-type": `x-application/${type}` }, body });
  const pushed = await request("jamp-push", '[["query",{},"/client",1,"/calculator","add",2,3]]');
  const pulled = await request("jamp-pull", "[]");
  return { pushed: pushed.status, pulled: pulled.status, answers: (await pulled.json()) as unknown };
}

export const jampTest = { open, openCaller, calls, stream, served, close, cookieChannel };
export type JampTest = typeof jampTest;
Object.assign(globalThis, { jampTest });
