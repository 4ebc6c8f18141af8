/**
 * The codec cases of PROTOCOLS.md 1.9 (`jamp-codec.jsonl`, copied from the spec): each input decodes, with
 * the codec of its dialect, to the message the case expects, once the spec's field names are put in the
 * runtime's (below), or is rejected with `invalid-message`; and exactly that dialect's codec recognises it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { codecs, jampBCodec, jampCodec } from "../../src/runtime/codecs/index.js";
import { JampError } from "../../src/runtime/errors.js";

interface CodecCase {
  readonly case: string;
  readonly dialect: "draft" | "baratine";
  readonly input: string;
  readonly expect: Record<string, unknown>;
}

const cases = readFileSync(new URL("./jamp-codec.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as CodecCase);

/** Baratine's error codes as the runtime's error types (the JAMP/B codec's table). */
const typeOfCode: Record<string, string> = { UNKNOWN: "internal-error", service_not_found: "service-not-found" };

/**
 * The spec's expected form in the runtime's names: `type` is `kind` (Baratine's `error` carries a query id,
 * so it is a `query-error`), `qid` is `id`, `action` is `method`, `value` is `result`; empty headers and
 * missing addresses are left out by the codec (`""`), and Baratine error objects become error bodies.
 */
function inRuntimeTerms(spec: Record<string, unknown>, dialect: CodecCase["dialect"]): Record<string, unknown> {
  const { type, qid, action, value, headers, error, ...rest } = spec;
  const message: Record<string, unknown> = { ...rest };
  message["kind"] = type === "error-query" || (type === "error" && dialect === "baratine") ? "query-error" : type;
  if (qid !== undefined) message["id"] = qid;
  if (action !== undefined) message["method"] = action;
  if (value !== undefined) message["result"] = value;
  if (headers !== undefined && Object.keys(headers as object).length > 0) message["headers"] = headers;
  if (dialect === "baratine") {
    message["to"] ??= "";
    message["from"] ??= "";
  }
  if (typeof error === "string") message["error"] = { type: "internal-error", message: error };
  else if (error !== null && error !== undefined) {
    const { code, message: text, class: className, type: errorType } = error as Record<string, string>;
    message["error"] =
      dialect === "draft"
        ? { type: errorType, message: text }
        : { type: typeOfCode[code as string], message: text, data: { class: className } };
  }
  return message;
}

describe("PROTOCOLS.md 1.9 codec cases", () => {
  it("has every case of the spec", () => {
    expect(cases.length).toBe(23);
  });

  describe.each(cases)("$case", ({ dialect, input, expect: expected }) => {
    const codec = dialect === "draft" ? jampCodec : jampBCodec;

    if ("reject" in expected) {
      it("is rejected with invalid-message", () => {
        expect(() => codec.decode(input)).toThrow(JampError);
        try {
          codec.decode(input);
        } catch (error) {
          expect((error as JampError).type).toBe("invalid-message");
        }
      });
      return;
    }

    it("decodes to the expected message", () => {
      expect(codec.decode(input)).toEqual(inRuntimeTerms(expected, dialect));
    });

    it("is recognised by its dialect's codec alone", () => {
      const value: unknown = JSON.parse(input);
      const claimed = Object.values(codecs).filter((candidate) => candidate.recognizes(value));
      expect(claimed.map((c) => c.name)).toEqual([codec.name]);
    });
  });
});
