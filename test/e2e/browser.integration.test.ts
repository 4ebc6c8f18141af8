/**
 * The generated clients and the runtime in a real browser: `browser/page.ts` bundled with esbuild (the way
 * a web app's build would, with no `ws` and no Node module in it), loaded in headless Chromium (Debian's,
 * driven by playwright-core) from a page server of its own origin, and run against a Node server on
 * 127.0.0.1 over WebSocket, plain HTTP requests and an HTTP push/pull channel: typed calls, a send, a
 * stream, an application error, and calls from the server to the page; then the same calls through the
 * call-only caller of `connectCaller`, on the browser's own WebSocket. Chromium missing fails the suite.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server as HttpServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CalculatorClient, serveCalculator } from "../../fixtures/calculator/expected/index.js";
import { serveTicker } from "../../fixtures/kind-stream/expected/index.js";
import { listen, type Peer, type Server } from "jamp-gen/runtime";
import { bundleForBrowser, nodeOnlyInputs, type BrowserBundle } from "../../scripts/browser-bundle.js";
import { at, RecordingCalculator, RecordingTicker } from "../support/services.js";
import { until } from "../unit/runtime/support/calculator.js";
import type { JampTest } from "./browser/page.js";

const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** Flags that let Chromium run as root on a machine with no network but loopback. */
const flags = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const calculator = new RecordingCalculator();
const ticker = new RecordingTicker();
let bundle: BrowserBundle;
let pages: HttpServer;
let origin: string;
let server: Server;
let profile: string;
let context: BrowserContext;
let page: Page;

/** Runs one step of `browser/page.ts` in the page. */
function step<K extends keyof JampTest>(
  name: K,
  ...args: Parameters<JampTest[K]>
): Promise<Awaited<ReturnType<JampTest[K]>>> {
  return page.evaluate(
    ([name, args]) => {
      const test = (globalThis as unknown as { jampTest: Record<string, (...a: unknown[]) => unknown> }).jampTest;
      return test[name]?.(...args);
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<JampTest[K]>>>;
}

beforeAll(async () => {
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is missing at ${executablePath}: install Debian's (apt-get install -y --no-install-recommends chromium; .ci/run does), or set CHROMIUM to another one`,
    );
  }
  bundle = await bundleForBrowser({ entry: "test/e2e/browser/page.ts" }, false);
  pages = createServer((request, response) => {
    if (request.url === "/page.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(bundle.code);
    } else {
      response
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end('<!doctype html><title>jamp-gen</title><script type="module" src="/page.js"></script>');
    }
  });
  await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
  const address = pages.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  // The page is of another origin than the server (another port): its HTTP calls need CORS.
  server = await listen({
    services: [serveCalculator(calculator), serveTicker(ticker)],
    cors: { origins: [origin], credentials: true },
  });
  profile = await mkdtemp(path.join(tmpdir(), "jamp-chromium-"));
  context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: flags });
  page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => "jampTest" in globalThis);
});

afterAll(async () => {
  await context?.close();
  if (profile !== undefined) await rm(profile, { recursive: true, force: true });
  await server?.close();
  await new Promise((resolve) => pages?.close(resolve));
});

it("bundles the runtime for browsers without ws or any Node module", () => {
  expect(nodeOnlyInputs(bundle)).toEqual([]);
  expect(bundle.inputs).toContain("src/runtime/peer.ts");
  expect(bundle.code).not.toMatch(/\bfrom\s*["']node:|import\(["'](node:|ws["'])/);
});

const transports = [
  { name: "WebSocket", url: () => server.url, channel: false, serverCanSend: true },
  { name: "plain HTTP requests", url: () => server.httpUrl, channel: false, serverCanSend: false },
  { name: "an HTTP push/pull channel", url: () => server.httpUrl, channel: true, serverCanSend: true },
];

describe.each(transports)("in Chromium over $name", ({ url, channel, serverCanSend }) => {
  let theirs: Peer | undefined;

  beforeAll(async () => {
    const before = new Set(server.peers);
    await step("open", url(), channel);
    theirs = [...server.peers].find((peer) => !before.has(peer));
  });

  it("makes typed calls and a send, and gets the application error as a JampError", async () => {
    const resets = calculator.resets;
    expect(await step("calls")).toEqual({
      sum: 42,
      at: at.toISOString(),
      error: { isJampError: true, type: "division-by-zero", message: "cannot divide 1 by zero" },
    });
    await until(() => calculator.resets === resets + 1);
  });

  it(serverCanSend ? "streams, and break cancels the server's generator" : "refuses a stream clearly", async () => {
    const result = await step("stream");
    if (!serverCanSend) {
      expect(result).toEqual({
        error: { isJampError: true, type: "invalid-message", message: expect.stringContaining("channel: true") },
      });
      return;
    }
    expect(result).toEqual({
      ticks: [0, 1, 2].map((i) => ({ price: 100 + i, at: new Date(at.getTime() + i * 1000).toISOString() })),
      counted: [1, 2, 3],
    });
    await ticker.finished.promise;
  });

  it(
    serverCanSend ? "serves the server's calls back to the page" : "leaves the server no connection to the page",
    async () => {
      if (!serverCanSend) {
        expect(theirs).toBeUndefined();
        return;
      }
      const back = new CalculatorClient(theirs as Peer);
      expect(await back.add(2, 3)).toBe(5);
      const error = await back.divide(1, 0).catch((e: unknown) => e);
      expect(error).toMatchObject({ type: "division-by-zero", message: "the page cannot divide by zero" });
      back.reset();
      let served: string[] = [];
      for (let tries = 0; tries < 100 && !served.includes("reset"); tries++) {
        served = await step("served");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(served).toEqual(["add 2 3", "reset"]);
    },
  );

  it("closes: calls after it fail with connection-closed, and the server lets go of the page", async () => {
    expect(await step("close")).toMatchObject({ isJampError: true, type: "connection-closed" });
    if (theirs !== undefined) await until(() => !server.peers.has(theirs as Peer));
  });
});

describe("in Chromium through connectCaller, the call-only caller", () => {
  let theirs: Peer | undefined;

  beforeAll(async () => {
    const before = new Set(server.peers);
    expect(await step("openCaller", server.url)).toBeUndefined();
    theirs = [...server.peers].find((peer) => !before.has(peer));
  });

  it("makes typed calls and a send, and gets the application error as a JampError", async () => {
    const resets = calculator.resets;
    expect(await step("calls", "caller")).toEqual({
      sum: 42,
      at: at.toISOString(),
      error: { isJampError: true, type: "division-by-zero", message: "cannot divide 1 by zero" },
    });
    await until(() => calculator.resets === resets + 1);
  });

  it("streams, and break cancels the server's generator", async () => {
    expect(await step("stream", "caller")).toEqual({
      ticks: [0, 1, 2].map((i) => ({ price: 100 + i, at: new Date(at.getTime() + i * 1000).toISOString() })),
      counted: [1, 2, 3],
    });
    await ticker.finished.promise;
  });

  it("answers the server's calls with service-not-found: it serves nothing", async () => {
    const back = new CalculatorClient(theirs as Peer);
    const error = await back.add(2, 3).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: "service-not-found", message: "/calculator is not served here: this side only calls" });
  });

  it("closes: calls after it fail with connection-closed, and the server lets go of the page", async () => {
    expect(await step("close", "caller")).toMatchObject({ isJampError: true, type: "connection-closed" });
    await until(() => !server.peers.has(theirs as Peer));
  });

  it("rejects with connection-closed naming the URL when the browser cannot connect", async () => {
    expect(await step("openCaller", "ws://127.0.0.1:1/")).toEqual({
      isJampError: true,
      type: "connection-closed",
      message: "cannot connect to ws://127.0.0.1:1/: the WebSocket closed before it opened (code 1006)",
    });
  });
});

it("keeps Baratine's cookie channel working from a page of another origin, with credentials", async () => {
  expect(await step("cookieChannel", server.httpUrl)).toEqual({
    pushed: 200,
    pulled: 200,
    answers: [["reply", {}, "/client", 1, 5]],
  });
});
