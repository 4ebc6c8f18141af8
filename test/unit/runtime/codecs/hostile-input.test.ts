/**
 * Hostile input for every codec and for a peer accepting them all: arbitrary text, arbitrary JSON values,
 * frames of every format's shapes filled with anything, and valid frames mutated as `npm run fuzz` mutates
 * them (`fuzz/mutate.ts`: bit flips, truncation, swapped slots, deep nesting, huge numbers, `__proto__`
 * keys, lone surrogates, batches). Each either reads as a message or fails with `invalid-message`, never
 * another exception; what is read encodes again and reads back the same (up to `messages.ts`'s named
 * normalisations); at most one format recognises a value; and the peer answers every frame with frames
 * that read back, reports no bug, and leaves `Object.prototype` alone. Fixed seed, bounded runs.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { corpusOf } from "../../../../fuzz/corpus.js";
import { createRandom, mutateFrame, mutations } from "../../../../fuzz/mutate.js";
import { fuzzedServices } from "../../../../fuzz/services.js";
import type { Batch, FrameCodec } from "../../../../src/runtime/codecs/codec.js";
import { codecs } from "../../../../src/runtime/codecs/index.js";
import { isJampError, type JampError } from "../../../../src/runtime/errors.js";
import type { Message } from "../../../../src/runtime/message.js";
import { Peer } from "../../../../src/runtime/peer.js";
import { createLoopbackPair } from "../../../../src/runtime/transports/loopback.js";
import { carriages, expectedRoundTrip, json, messagesOf, record } from "./messages.js";

const seed = 0x66757a7a;
const formats = Object.values(codecs);
/** Valid frames of `codec`: its corpus, and arbitrary messages it can write. */
function validFrames(codec: FrameCodec): fc.Arbitrary<string> {
  const written = messagesOf(codec.kinds)
    .map((message) => {
      try {
        return codec.encode(message);
      } catch {
        return undefined;
      }
    })
    .filter((frame): frame is string => frame !== undefined);
  return fc.oneof(fc.constantFrom(...corpusOf(codec)), written);
}

/** A valid frame of `codec` after one to three of the fuzzer's mutations. */
const mutated = (codec: FrameCodec): fc.Arbitrary<string> =>
  fc.tuple(validFrames(codec), fc.integer()).map(([frame, n]) => mutateFrame(frame, createRandom(n)));

/** Text of any kind: any code units (lone surrogates included), graphemes, and JSON-looking noise. */
const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom("[", "]", "{", "}", '"', ",", ":", "1", "e", "-", "\\", "u", "null "),
    maxLength: 30,
  }),
);

/** Frames of every format's shapes (type slots, members that mark a format), filled with anything. */
const shaped: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("send", "query", "reply", "error", "error-query", "stream", "stream-result", "stream-error",
        "stream-complete", "stream-cancel", "stream-credit", "__proto__"),
      fc.array(json, { maxLength: 8 }),
    )
    .map(([type, rest]) => JSON.stringify([type, ...rest])),
  fc
    .tuple(
      fc.constantFrom("send", "query", "reply", "error", "stream", "stream-credit"),
      record(),
      fc.array(json, { maxLength: 8 }),
    )
    .map(([type, h, rest]) => JSON.stringify([type, h, ...rest])),
  fc
    .record(
      { jsonrpc: fc.oneof(fc.constant("2.0"), json), method: json, params: json, id: json, result: json, error: json },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.array(record(json), { maxLength: 3 }).map((batch) => JSON.stringify(batch)),
  fc
    .record({ HEAD: fc.oneof(record(), json), BODY: json }, { requiredKeys: [] })
    .map((o) => JSON.stringify(o)),
);

/** Everything a peer may be sent, in proportions that reach past the parsers into every format's checks. */
const hostile = (codec: FrameCodec): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 1, arbitrary: anyText },
    { weight: 1, arbitrary: json.map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: shaped },
    { weight: 4, arbitrary: mutated(codec) },
  );

/**
 * `message` as JSON writes it: numbers `JSON.parse` reads but `JSON.stringify` cannot write come back as
 * it writes them (`-0` as `0`, `1e400`, read as Infinity, as `null`). JSON's doing, not a codec's.
 */
function asJsonWrites(message: Message): Message {
  return JSON.parse(JSON.stringify(message)) as Message;
}

/** Whether `error` is the `invalid-message` every codec must fail with, and nothing else. */
function expectInvalidMessage(error: unknown): void {
  expect(isJampError(error), `not a JampError: ${String(error)}`).toBe(true);
  expect((error as JampError).type).toBe("invalid-message");
}

function readOrError(codec: FrameCodec, value: unknown): Message | Batch | JampError {
  try {
    return codec.read(value);
  } catch (error) {
    expectInvalidMessage(error);
    return error as JampError;
  }
}

describe.each(carriages.map((carriage) => [carriage.codec.name, carriage] as const))("%s", (_, carriage) => {
  const { codec } = carriage;

  it("decodes any frame to a message that encodes and reads back the same, or fails with invalid-message", () => {
    fc.assert(
      fc.property(hostile(codec), (frame) => {
        let message: Message;
        try {
          message = codec.decode(frame);
        } catch (error) {
          expectInvalidMessage(error);
          const answer = codec.answerInvalid(error as JampError, "/self");
          if (answer !== undefined) expect(typeof codec.encode(answer)).toBe("string");
          return;
        }
        expect(codec.decode(codec.encode(message))).toEqual(expectedRoundTrip(carriage, asJsonWrites(message)));
      }),
      { seed, numRuns: 2500 },
    );
  });

  it.each(mutations.map((mutation) => [mutation.name, mutation] as const))(
    "decodes every seed frame after %s to a message or invalid-message",
    (_, mutation) => {
      for (const frame of corpusOf(codec)) {
        for (let n = 0; n < 10; n++) {
          try {
            codec.decode(mutation.apply(frame, createRandom(n)));
          } catch (error) {
            expectInvalidMessage(error);
          }
        }
      }
    },
  );

  it("reads any parsed value to a message, a batch of messages and invalid-message errors, or fails with one", () => {
    fc.assert(
      fc.property(hostile(codec), (frame) => {
        let value: unknown;
        try {
          value = JSON.parse(frame);
        } catch {
          return;
        }
        const read = readOrError(codec, value);
        if (isJampError(read) || read.kind !== "batch") return;
        for (const entry of read.entries) if (isJampError(entry)) expectInvalidMessage(entry);
      }),
      { seed, numRuns: 1500 },
    );
  });
});

describe("recognition", () => {
  const anyFormat = fc.oneof(...formats.map(hostile));

  it("never has two formats claim the same value, and never throws", () => {
    fc.assert(
      fc.property(anyFormat, (frame) => {
        let value: unknown;
        try {
          value = JSON.parse(frame);
        } catch {
          return;
        }
        expect(formats.filter((codec) => codec.recognizes(value)).length).toBeLessThanOrEqual(1);
      }),
      { seed, numRuns: 3000 },
    );
  });

  it("has each format recognise what it encodes, and only that format", () => {
    for (const codec of formats) {
      fc.assert(
        fc.property(validFrames(codec), (frame) => {
          const value: unknown = JSON.parse(frame);
          expect(formats.filter((c) => c.recognizes(value))).toEqual([codec]);
        }),
        { seed, numRuns: 300 },
      );
    }
  });
});

describe("a peer accepting every format, serving the calculator and stream fixtures", () => {
  const [server, other] = createLoopbackPair();
  const reports: JampError[] = [];
  const peer = new Peer(server, {
    accept: formats,
    services: fuzzedServices(),
    timeout: 1000,
    onError: (error) => reports.push(error),
  });
  /** What the peer sends on its own (stream items, calls back): drained so that it never waits. */
  const sent: string[] = [];
  void (async () => {
    for (;;) sent.push(await other.receive());
  })().catch(() => undefined);
  afterAll(() => peer.close());

  /** Whether `frame` reads as an answer in exactly one format. */
  function expectReadable(frame: string): void {
    const value: unknown = JSON.parse(frame);
    const readers = formats.filter((codec) => codec.recognizes(value));
    expect(readers.length, frame).toBe(1);
    const read = (readers[0] as FrameCodec).read(value);
    const messages = read.kind === "batch" ? read.entries : [read];
    for (const message of messages) expect(isJampError(message), frame).toBe(false);
  }

  it.each(formats.map((codec) => [codec.name, codec] as const))(
    "answers %s frames, broken or not, with frames that read back, and reports no bug",
    async (_, codec) => {
      await fc.assert(
        fc.asyncProperty(hostile(codec), async (frame) => {
          reports.length = 0;
          const answers = await peer.handle(frame);
          for (const answer of answers) expectReadable(answer);
          other.send(frame);
          // Bugs reach onError as errors with a cause that is no JampError (a TypeError in a codec).
          const bugs = reports.filter((report) => report.cause !== undefined && !isJampError(report.cause));
          expect(bugs.map((bug) => String(bug.cause))).toEqual([]);
        }),
        { seed, numRuns: 600 },
      );
      // Let the frames sent over the transport be handled, then check what the peer sent on its own.
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const frame of sent.splice(0)) expectReadable(frame);
      expect(peer.stats.framesIn).toBeGreaterThan(0);
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
      expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    },
  );
});

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

describe("the fuzzer's mutations", () => {
  const frames = formats.flatMap(corpusOf);

  it("are reproducible: the same seed gives the same frames", () => {
    const run = (): string[] => {
      const random = createRandom(42);
      return frames.map((frame) => mutateFrame(frame, random));
    };
    expect(run()).toEqual(run());
    expect(run()).not.toEqual(frames);
  });

  it.each(mutations.map((mutation) => [mutation.name, mutation] as const))("%s changes frames", (_, mutation) => {
    const random = createRandom(7);
    const changed = frames.filter((frame) => mutation.apply(frame, random) !== frame);
    expect(changed.length).toBeGreaterThan(frames.length / 2);
  });
});
