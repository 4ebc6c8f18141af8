/** `model.json`: the analyzer's model as it is, for debugging and for tools (`--emit model`). */
import type { Emitter } from "./emitter.js";

export const modelEmitter: Emitter = {
  kind: "model",
  emit: (model) => [{ path: "model.json", contents: JSON.stringify(model), language: "json" }],
};
