/** Reference walking over model nodes, without knowing each kind's shape. */
import type { Model, Service } from "./model.js";

/** Names of the named types a node mentions directly (not those inside the named types themselves). */
export function directRefs(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) directRefs(item, out);
  else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (record.kind === "ref" && typeof record.name === "string") out.add(record.name);
    else for (const value of Object.values(record)) directRefs(value, out);
  }
  return out;
}

/** Every named type a service reaches, through other named types too, sorted by name. */
export function reachableTypes(model: Model, service: Service): string[] {
  // Asked by each emitter of a service's files: found once per model (a slice, in the pipeline) and service.
  let byService = reachable.get(model);
  if (!byService) reachable.set(model, (byService = new WeakMap()));
  let names = byService.get(service);
  if (!names) byService.set(service, (names = findReachable(model, service)));
  return [...names];
}

const reachable = new WeakMap<Model, WeakMap<Service, readonly string[]>>();

function findReachable(model: Model, service: Service): string[] {
  return reachableFrom(model, directRefs(service.methods.map((m) => [m.params.map((p) => p.type), m.result])));
}

/** Whether `null` is one of a node's values, looking through named types (`type MaybeName = string | null`). */
export function acceptsNull(model: Model, node: unknown, seen = new Set<string>()): boolean {
  if (!node || typeof node !== "object") return false;
  const record = node as { kind?: unknown; name?: unknown; members?: unknown };
  if (record.kind === "null" || record.kind === "any") return true;
  if (record.kind === "union" && Array.isArray(record.members)) return record.members.some((m) => acceptsNull(model, m, seen));
  if (record.kind === "ref" && typeof record.name === "string" && !seen.has(record.name)) {
    seen.add(record.name);
    return acceptsNull(model, model.types[record.name]?.type, seen);
  }
  return false;
}

/**
 * The named types whose validators and converters live in a module of their own file, by file (sorted),
 * given what each service reaches: those a service of another file reaches, and every type they reach
 * in turn (the module of a file refers to them, so they cannot live only in a service's module). The
 * rest are reached only by services declared in their own file, which keep them.
 */
export function sharedTypes(model: Model, reached: (service: Service) => Iterable<string>): Map<string, string[]> {
  const shared = new Set<string>();
  const queue: string[] = [];
  for (const service of model.services) {
    for (const name of reached(service)) if (model.types[name] && model.types[name].file !== service.file) queue.push(name);
  }
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (shared.has(name)) continue;
    shared.add(name);
    for (const ref of namedRefs(model, name)) if (model.types[ref]) queue.push(ref);
  }
  const byFile = new Map<string, string[]>();
  for (const name of [...shared].sort()) {
    const file = model.types[name]!.file;
    const names = byFile.get(file);
    if (names) names.push(name);
    else byFile.set(file, [name]);
  }
  return new Map([...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Every named type `names` reach, themselves included, sorted. */
export function reachableFrom(model: Model, names: Iterable<string>): string[] {
  const seen = new Set<string>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name) || !model.types[name]) continue;
    seen.add(name);
    queue.push(...namedRefs(model, name));
  }
  return [...seen].sort();
}

/** The names a named type mentions directly, kept per type object (watch mode hands back unchanged ones). */
const refsOf = new WeakMap<object, ReadonlySet<string>>();
function namedRefs(model: Model, name: string): ReadonlySet<string> {
  const named = model.types[name];
  if (!named) return new Set();
  let refs = refsOf.get(named);
  if (!refs) refsOf.set(named, (refs = directRefs(named.type)));
  return refs;
}
