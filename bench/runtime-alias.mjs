// Loaded with `node --import ./bench/runtime-alias.mjs`: makes `jamp-gen/runtime` (which the committed
// fixtures import) resolve to the runtime's source, the same module the bench imports, whatever the working
// directory and whether or not `dist/` is built. Register after tsx, so this hook runs first.
import { register } from "node:module";

register("./runtime-alias-hooks.mjs", import.meta.url);
