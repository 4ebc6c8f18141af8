/**
 * The emitters' side of the `RenderContext` that kinds use: it dispatches each model node to its
 * kind, and collects what the rendered code needs (user types to import, runtime helpers to import,
 * named revivers to define, and problems to report).
 */
import { kindOf, type RenderContext, type TypeNode } from "../kinds/index.js";
import type { Model } from "../model/model.js";
import type { JsonSchema } from "../validators/json-schema.js";

export class TypeRenderer implements RenderContext {
  readonly usedTypes = new Set<string>();
  readonly runtimeImports = new Set<string>();
  readonly problems: string[] = [];
  private reviving: ReadonlySet<string> | undefined;
  /** Inside a named reviver's body, references go through `reviveLazy`: the target may be defined later. */
  private lazyRefs = false;

  constructor(private readonly model: Model) {}

  tsType(node: TypeNode): string {
    return kindOf(node).tsType(node, this);
  }

  schema(node: TypeNode): JsonSchema {
    return kindOf(node).schema(node, this);
  }

  revive(node: TypeNode): string | undefined {
    return kindOf(node).revive(node, this);
  }

  resolve(node: TypeNode): TypeNode {
    let current = node;
    const seen = new Set<string>();
    while (current.kind === "ref" && !seen.has(current.name)) {
      seen.add(current.name);
      const named = this.model.types[current.name];
      if (!named) break;
      current = named.type;
    }
    return current;
  }

  useType(name: string): void {
    this.usedTypes.add(name);
  }

  useRuntime(name: string): void {
    this.runtimeImports.add(name);
  }

  unsupported(message: string): void {
    if (!this.problems.includes(message)) this.problems.push(message);
  }

  reviveNamed(name: string): string | undefined {
    if (!this.revivingNames().has(name)) return undefined;
    if (!this.lazyRefs) return reviverName(name);
    this.useRuntime("reviveLazy");
    return `reviveLazy(() => ${reviverName(name)})`;
  }

  /** The code of a named type's reviver body, with references to other named revivers made lazy. */
  reviveBody(name: string): string | undefined {
    const saved = this.lazyRefs;
    this.lazyRefs = true;
    try {
      const named = this.model.types[name];
      return named ? this.revive(named.type) : undefined;
    } finally {
      this.lazyRefs = saved;
    }
  }

  /**
   * The named types whose wire form needs reviving, found by iterating to a fixed point, so that
   * recursive and mutually recursive types are decided correctly.
   */
  revivingNames(): ReadonlySet<string> {
    if (this.reviving) return this.reviving;
    const found = new Set<string>();
    const probe = new ProbeRenderer(this.model, found);
    let changed = true;
    while (changed) {
      changed = false;
      for (const [name, named] of Object.entries(this.model.types)) {
        if (!found.has(name) && probe.revive(named.type) !== undefined) {
          found.add(name);
          changed = true;
        }
      }
    }
    this.reviving = found;
    return found;
  }
}

/** Renders revivers against an assumed set of reviving names, recording nothing. */
class ProbeRenderer extends TypeRenderer {
  constructor(
    model: Model,
    private readonly assumed: ReadonlySet<string>,
  ) {
    super(model);
  }

  override reviveNamed(name: string): string | undefined {
    return this.assumed.has(name) ? reviverName(name) : undefined;
  }
}

export function reviverName(typeName: string): string {
  return `revive$${typeName.replace(/[^A-Za-z0-9_$]/g, "_")}`;
}
