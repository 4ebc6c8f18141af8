/**
 * `model.json`: the analyzer's model as it is, for debugging and for tools (`--emit model`), marked
 * as generated with a `$comment` like the schema files.
 */
import type { Emitter } from "./emitter.js";
import { generatedNote } from "./view.js";

export const modelEmitter: Emitter = {
  kind: "model",
  scope: "project",
  emit: (model) => [
    {
      path: "model.json",
      contents: JSON.stringify({ $comment: generatedNote(model.services.map((s) => s.file)), ...model }),
      language: "json",
    },
  ],
};
