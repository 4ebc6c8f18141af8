/** The registry of emitters: one per artifact. A new artifact is one file plus one line here. */
import { clientEmitter } from "./client.js";
import type { ArtifactKind, Emitter } from "./emitter.js";
import { indexEmitter } from "./index-file.js";
import { modelEmitter } from "./model.js";
import { openrpcEmitter } from "./openrpc.js";
import { schemaEmitter } from "./schema.js";
import { serverEmitter } from "./server.js";
import { sharedValidateEmitter } from "./shared-validate.js";
import { validateEmitter } from "./validate.js";

export const emitters: readonly Emitter[] = [clientEmitter, serverEmitter, schemaEmitter, validateEmitter, sharedValidateEmitter, modelEmitter, openrpcEmitter, indexEmitter];

export const artifactKinds: readonly ArtifactKind[] = ["client", "server", "schema", "validate", "model", "openrpc"];

/** What `--emit` defaults to: everything but the model dump. */
export const defaultKinds: readonly ArtifactKind[] = ["client", "server", "schema", "validate"];

export type { ArtifactKind, EmitOptions, Emitter, ImportExtension, OutputFile } from "./emitter.js";
export { importExtensions } from "./emitter.js";
