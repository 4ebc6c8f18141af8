// Module resolution hook registered by runtime-alias.mjs.
const runtime = new URL("../src/runtime/index.ts", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "jamp-gen/runtime") return { url: runtime, shortCircuit: true };
  return nextResolve(specifier, context);
}
