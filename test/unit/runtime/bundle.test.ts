/**
 * The runtime is tree-shakeable: a browser app that imports `connectWebSocketPeer` and one codec by value
 * gets that codec and the WebSocket transport, and none of the other formats, the codec registry or the HTTP
 * transports, which `connect` brings along; one that imports `connectCaller` gets the calling half alone.
 * Checked on esbuild's metafile, as `npm run size` measures it.
 */
import { describe, expect, it } from "vitest";
import {
  bundleForBrowser,
  calculatorCallerEntry,
  calculatorEntry,
  calculatorWebSocketEntry,
  nodeOnlyInputs,
} from "../../../scripts/browser-bundle.js";

const others = [
  "src/runtime/codecs/index.ts",
  "src/runtime/codecs/jamp-b.ts",
  "src/runtime/codecs/jsonrpc2.ts",
  "src/runtime/codecs/jsonrpc1.ts",
  "src/runtime/codecs/soapjr.ts",
  "src/runtime/transports/http.ts",
  "src/runtime/transports/http-channel.ts",
];

/** The files that put code in the bundle. */
async function contents(entry: string): Promise<string[]> {
  const bundle = await bundleForBrowser(entry, true);
  expect(nodeOnlyInputs(bundle)).toEqual([]);
  return bundle.bytesByInput.map(([input]) => input);
}

describe("the runtime in a browser bundle", () => {
  it("carries only the JAMP codec and the WebSocket transport on connectWebSocketPeer", async () => {
    const files = await contents(calculatorWebSocketEntry);
    expect(files).toEqual(expect.arrayContaining(["src/runtime/codecs/jamp.ts", "src/runtime/transports/websocket.ts"]));
    for (const file of others) expect(files).not.toContain(file);
  });

  it("carries no serving, reconnecting or transport class on connectCaller, nor ws even as a stand-in", async () => {
    const bundle = await bundleForBrowser(calculatorCallerEntry, true);
    const files = bundle.bytesByInput.map(([input]) => input);
    expect(files).toEqual(expect.arrayContaining(["src/runtime/connect-caller.ts", "src/runtime/codecs/jamp.ts"]));
    // The calculator has no stream method: its client leaves the caller's streams out.
    const serving = ["peer.ts", "connection.ts", "backoff.ts", "pending.ts", "context.ts", "routes.ts", "service.ts", "formats.ts", "streams.ts", "caller-streams.ts"];
    for (const file of [...serving.map((name) => `src/runtime/${name}`), "src/runtime/transports/websocket.ts", ...others]) {
      expect(files).not.toContain(file);
    }
    expect(files.filter((input) => input.includes("node_modules"))).toEqual([]);
  });

  it("carries the caller's streams on connectCaller for the client of a service with streams", async () => {
    const files = await contents(
      [
        'export { TickerClient } from "./fixtures/kind-stream/expected/ticker.client.ts";',
        'export { connectCaller } from "jamp-gen/runtime";',
      ].join("\n"),
    );
    expect(files).toEqual(expect.arrayContaining(["src/runtime/caller-streams.ts", "src/runtime/streams.ts"]));
    expect(files).not.toContain("src/runtime/peer.ts");
  });

  it("carries of the JAMP codec only its reading and writing on connectCaller", async () => {
    // What only a serving side runs: recognising a frame's format, answering a rejected call.
    const { code } = await bundleForBrowser(calculatorCallerEntry, false);
    expect(code).toContain("function readJamp(");
    expect(code).toContain("function encodeJamp(");
    expect(code).not.toContain("function isJamp(");
    expect(code).not.toContain("function answerRecovered(");
  });

  it("carries of the generated descriptors only the client's: no validators, no results' encoders", async () => {
    const { code } = await bundleForBrowser(calculatorCallerEntry, false);
    // The client's: revivers and the names of the parameters.
    expect(code).toContain("var calculatorClientDescriptor =");
    expect(code).toContain("var history$reviveResult = reviveArray(revive$Entry)");
    // The server's, which a client never reads.
    expect(code).not.toContain("var calculatorService =");
    expect(code).not.toContain("function add$0(");
    expect(code).not.toContain("function history$0(");
    // The results' validators, and the format checks only they use, which a client that does not check leaves out.
    expect(code).not.toContain("function history$result(");
    expect(code).not.toContain("function isDateTime(");
  });

  it("carries the results' validators once a client checks with them", async () => {
    const entry = `${calculatorCallerEntry}\nexport { calculatorResultValidators } from "./fixtures/calculator/expected/calculator.validate.ts";`;
    const { code } = await bundleForBrowser(entry, false);
    expect(code).toContain("function history$result(");
    expect(code).toContain("function isDateTime(");
  });

  it("carries every format and transport on connect, which resolves codecs by name", async () => {
    const files = await contents(calculatorEntry);
    expect(files).toEqual(expect.arrayContaining(others));
  });

  it("carries a codec given by value and no other", async () => {
    const files = await contents(
      'export { connectWebSocketPeer, jsonRpc2Codec } from "jamp-gen/runtime";',
    );
    expect(files).toContain("src/runtime/codecs/jsonrpc2.ts");
    expect(files).not.toContain("src/runtime/codecs/soapjr.ts");
    expect(files).not.toContain("src/runtime/codecs/index.ts");
  });
});
