// Module resolution hook registered by runtime-alias.mjs.
const runtime = new URL("../src/runtime/index.ts", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  // Resolved on by tsx, so that its loader compiles the file even when nothing has imported it yet (the
  // validation bench's temporary module may be the first).
  if (specifier === "jamp-gen/runtime") return nextResolve(runtime, context);
  return nextResolve(specifier, context);
}
