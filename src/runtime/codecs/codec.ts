import type { ErrorBody, JampError } from "../errors.js";
import type { Message, MessageKind, QueryId } from "../message.js";

/**
 * Translates between the runtime's messages and one wire format, one message per frame. One file per
 * format, registered in `codecs/index.ts`. A codec with only these members can be a peer's only format;
 * to be recognised among others, and to carry batches, it implements {@link FrameCodec}.
 */
export interface Codec {
  /** The registry key, `jamp`. */
  readonly name: string;
  /**
   * The frame for `message`. Throws a `JampError` of type `invalid-message` when the message cannot be
   * represented (a value JSON cannot encode, such as a `BigInt` or a cycle; a kind or an id the format has
   * no place for); never anything else.
   */
  encode(message: Message): string;
  /**
   * The message in `frame`, checked strictly against the format. Throws a `JampError` of type
   * `invalid-message` whose `data` is an {@link InvalidMessageData}, whatever the input; never anything else.
   */
  decode(frame: string): Message;
}

/** The messages of one frame that holds several, answered together in one frame (a JSON-RPC batch). */
export interface Batch {
  readonly kind: "batch";
  /** Each entry in order: its message, or the `invalid-message` error of an entry that is not one. */
  readonly entries: readonly (Message | JampError)[];
}

/**
 * A codec that works on frames already parsed from JSON, so that a server parses each frame once and then
 * recognises its format among those it accepts, and answers it in kind (PROTOCOLS.md 1.7 and 2.5).
 */
export interface FrameCodec extends Codec {
  /** The message kinds the format has a place for; the peer never asks it to encode another. */
  readonly kinds: ReadonlySet<MessageKind>;
  /**
   * Whether the parsed frame `value` is in this format. Looks at its shape only (its type slot, a member
   * that marks the format), not at its validity: a malformed message of the format is still recognised, so
   * that the format's own error answers it. The registered codecs never claim the same value.
   */
  recognizes(value: unknown): boolean;
  /**
   * `decode` for a frame already parsed: a message, or for formats that have them a batch. Throws as
   * `decode` does.
   */
  read(value: unknown): Message | Batch;
  /**
   * The frame answering a batch, made of the frames `encode` gave its answers (at least one, in the order
   * of their entries). Required when `read` returns batches.
   */
  joinBatch?(frames: readonly string[]): string;
  /**
   * The answer to a message `read` rejected with `error` (an `invalid-message` with {@link InvalidMessageData}),
   * or `undefined` when the format gives none (never to an answer). `self` is the answering side's address.
   */
  answerInvalid(error: JampError, self: string): Message | undefined;
  /**
   * The frame answering a frame that no accepted format recognised, or `undefined` when this format answers
   * none. `parsed` is false when the frame is not even JSON.
   */
  answerUnrecognised(error: JampError, parsed: boolean): string | undefined;
}

export function isFrameCodec(codec: Codec): codec is FrameCodec {
  return typeof (codec as Partial<FrameCodec>).read === "function";
}

/**
 * The type an error travels with: its own, or `internal-error` for an empty one, which no format reads
 * back as a type (JAMP refuses the body, the others fall back to their code), as `fromErrorBody` reads it.
 */
export function wireType(error: ErrorBody): string {
  return error.type === "" ? "internal-error" : error.type;
}

/**
 * What a codec could recover from a frame it rejected, so that the peer can still answer it. Each member is
 * present only when its slot held a well-formed value. `kind` is set once the message type was recognised;
 * `id`, `to` and `from` are recovered only for kinds that carry them.
 */
export interface InvalidMessageData {
  readonly kind?: MessageKind;
  readonly id?: QueryId;
  readonly to?: string;
  readonly from?: string;
}

/** The `InvalidMessageData` of a codec error, read defensively (a codec may put anything there). */
export function recoveredData(data: unknown): InvalidMessageData {
  if (typeof data !== "object" || data === null) return {};
  const { kind, id, to, from } = data as Record<keyof InvalidMessageData, unknown>;
  const result: { kind?: MessageKind; id?: QueryId; to?: string; from?: string } = {};
  if (typeof kind === "string") result.kind = kind as MessageKind;
  if (typeof id === "string" || typeof id === "number" || id === null) result.id = id;
  if (typeof to === "string") result.to = to;
  if (typeof from === "string") result.from = from;
  return result;
}

/**
 * The answer to a rejected message of an addressed format (the JAMP dialects): a `query-error` (for a
 * stream, a `stream-error`) when its id and sender were recovered, else an `error` to the sender when the
 * format has that message (`answersWithError`), else none. A rejected answer is never answered.
 */
export function answerRecovered(error: JampError, self: string, answersWithError: boolean): Message | undefined {
  const { kind, id, to, from } = recoveredData(error.data);
  if (from === undefined) return undefined;
  const body: ErrorBody = { type: error.type, message: error.message };
  if (kind === "stream") {
    return id === undefined ? undefined : { kind: "stream-error", id, to: from, from: to ?? self, error: body };
  }
  if (kind !== "query" && kind !== "send") return undefined;
  if (kind === "query" && id !== undefined) return { kind: "query-error", id, to: from, from: to ?? self, error: body };
  return answersWithError ? { kind: "error", to: from, from: to ?? self, error: body } : undefined;
}
