/**
 * The wire formats a peer reads and speaks: which codecs it accepts, what each can carry, and how the
 * answers to a batch (one frame, many messages) gather into the one frame that answers it.
 */

import { isFrameCodec, type Codec, type FrameCodec } from "./codecs/codec.js";
import { resolveCodec } from "./codecs/names.js";
import { utf8Length } from "./limits.js";
import type { MessageKind } from "./message.js";

/** The kinds a plain `Codec` is taken to carry: those of the JAMP draft layout. */
const draftKinds: ReadonlySet<MessageKind> = new Set(["send", "query", "reply", "query-error", "error"]);

/** Whether `codec`'s format has a place for messages of `kind`. */
export function carries(codec: Codec, kind: MessageKind): boolean {
  return (isFrameCodec(codec) ? codec.kinds : draftKinds).has(kind);
}

/**
 * The formats of `accept` (default `own` alone), or `undefined` when that is a plain `Codec`, which is
 * used as it is. Throws a `TypeError` for an unknown name, an empty list, or a plain `Codec` among others
 * (it cannot be recognised).
 */
export function acceptedFormats(
  own: Codec,
  accept: readonly (Codec | string)[] | undefined,
): readonly FrameCodec[] | undefined {
  const formats = (accept ?? [own]).map(resolveCodec);
  if (formats.length === 0) throw new TypeError("a peer accepts at least one codec");
  if (formats.length === 1 && !isFrameCodec(formats[0] as Codec)) return undefined;
  return formats.map((format) => {
    if (isFrameCodec(format)) return format;
    throw new TypeError(`codec ${JSON.stringify(format.name)} cannot be told apart from others: it is no FrameCodec`);
  });
}

/** Bytes kept in a batch's frame for each answer still to come, in case it must be a `limit-exceeded` error. */
const errorRoom = 256;

/** Gathers the answers of one batch, each in its entry's place, and sends them when every entry settled. */
export class BatchAnswers {
  readonly #frames: (string | undefined)[];
  #remaining: number;
  /** The UTF-8 bytes of the answers settled so far, with a separator each. */
  #bytes = 2;

  constructor(
    size: number,
    readonly flush: (frames: readonly string[]) => void,
  ) {
    this.#frames = new Array<string | undefined>(size);
    this.#remaining = size;
  }

  /**
   * What is left of `maxPayload` bytes for one more answer in the batch's frame, keeping `errorRoom` for
   * each other entry still running, where an answer refused for its size puts its (short) error instead.
   */
  room(maxPayload: number): number {
    return maxPayload - this.#bytes - errorRoom * (this.#remaining - 1);
  }

  /** Entry `index` is through, with the frame of its answer or none. */
  settle(index: number, frame: string | undefined): void {
    this.#frames[index] = frame;
    if (frame !== undefined) this.#bytes += utf8Length(frame) + 1;
    if (--this.#remaining === 0) this.flush(this.#frames.filter((f) => f !== undefined));
  }
}
