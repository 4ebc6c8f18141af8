/**
 * Round trips of every codec over fast-check's messages of every kind (`messages.ts`): `decode(encode(m))`
 * is `m`, changed only by the named normalisations of what the format cannot carry, or `encode` refuses
 * `m` with `invalid-message` for one of the named reasons; each normalisation and refusal is also shown on
 * an example of its own. Fixed seed, bounded runs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isJampError, JampError } from "../../../../src/runtime/errors.js";
import type { Message } from "../../../../src/runtime/message.js";
import { allKinds, carriages, expectedRoundTrip, messagesOf, type Carriage } from "./messages.js";

const seed = 0x6a616d70;

function encodeOrError(carriage: Carriage, message: Message): string | JampError {
  try {
    return carriage.codec.encode(message);
  } catch (error) {
    if (isJampError(error)) return error;
    throw error;
  }
}

describe.each(carriages.map((carriage) => [carriage.codec.name, carriage] as const))("%s", (_, carriage) => {
  const { codec } = carriage;

  it("decodes what it encodes, changed only as the format must, or refuses it for a named reason", () => {
    const messages = fc.oneof(
      { weight: 4, arbitrary: messagesOf(codec.kinds) },
      { weight: 1, arbitrary: messagesOf(allKinds) },
    );
    fc.assert(
      fc.property(messages, (message) => {
        const reasons = carriage.refusals.filter((refusal) => refusal.refuses(message)).map((r) => r.name);
        const frame = encodeOrError(carriage, message);
        if (typeof frame !== "string") {
          expect(frame.type).toBe("invalid-message");
          expect(reasons, `refused without a listed reason: ${frame.message}`).not.toEqual([]);
          return;
        }
        expect(reasons, "encoded a message it should refuse").toEqual([]);
        expect(codec.decode(frame)).toEqual(expectedRoundTrip(carriage, message));
      }),
      { seed, numRuns: 3000 },
    );
  });

  it.each(carriage.refusals.map((refusal) => [refusal.name, refusal] as const))("refuses: %s", (_, refusal) => {
    expect(carriage.refusals.filter((r) => r.refuses(refusal.example)).map((r) => r.name)).toEqual([refusal.name]);
    const frame = encodeOrError(carriage, refusal.example);
    expect(frame).toBeInstanceOf(JampError);
    expect((frame as JampError).type).toBe("invalid-message");
  });

  it.each(carriage.normalisations.map((n) => [n.name, n] as const))("normalises: %s", (_, normalisation) => {
    const { example } = normalisation;
    expect(normalisation.apply(example), "the example shows no change").not.toEqual(example);
    expect(codec.decode(codec.encode(example))).toEqual(expectedRoundTrip(carriage, example));
  });
});

describe("kinds", () => {
  it.each(carriages.map((carriage) => [carriage.codec.name, carriage] as const))(
    "%s encodes messages of the kinds it carries and refuses the others",
    (_, carriage) => {
      for (const kind of allKinds) {
        const outcomes = fc
          .sample(messagesOf([kind]), { seed, numRuns: 50 })
          .map((message) => typeof encodeOrError(carriage, message) === "string");
        if (carriage.codec.kinds.has(kind)) expect(outcomes, kind).toContain(true);
        else expect(outcomes, kind).not.toContain(true);
      }
    },
  );
});
