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
  const seen = new Set<string>();
  const queue = [...directRefs(service.methods.map((m) => [m.params.map((p) => p.type), m.result]))];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const named = model.types[name];
    if (named) for (const ref of directRefs(named.type)) queue.push(ref);
  }
  return [...seen].sort();
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
