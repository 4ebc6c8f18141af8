import type { Message, MessageKind, QueryId } from "../message.js";

/**
 * Translates between the runtime's messages and one wire format. One file per format, registered in
 * `codecs/index.ts`.
 */
export interface Codec {
  /** The registry key, `jamp`. */
  readonly name: string;
  /**
   * The frame for `message`. Throws a `JampError` of type `invalid-message` when the message cannot be
   * represented (a value JSON cannot encode, such as a `BigInt` or a cycle); never anything else.
   */
  encode(message: Message): string;
  /**
   * The message in `frame`, checked strictly against the format. Throws a `JampError` of type
   * `invalid-message` whose `data` is an {@link InvalidMessageData}, whatever the input; never anything else.
   */
  decode(frame: string): Message;
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
