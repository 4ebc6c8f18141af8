/**
 * The emitters' side of the `RenderContext` that kinds use: it dispatches each model node to its
 * kind, and collects what the rendered code needs (user types to import, runtime helpers to import,
 * named revivers and encoders to define, and problems to report).
 */
import { defaultSchemaOptions, kindOf, type RenderContext, type SchemaOptions, type TypeNode } from "../kinds/index.js";
import type { Model } from "../model/model.js";
import { typeIdentifier } from "../model/names.js";
import type { JsonSchema } from "../validators/json-schema.js";
import { wireTypesOf } from "./wire-types.js";

/** The two ways a value converts: wire form → TypeScript value, and back. */
export type Direction = "revive" | "encode";

/** Something a kind could not render, reported by the validate emitter's check as JG2001. */
export interface RenderProblem {
  message: string;
  hint?: string;
}

export class TypeRenderer implements RenderContext {
  readonly usedTypes = new Set<string>();
  readonly runtimeImports = new Set<string>();
  readonly problems: RenderProblem[] = [];
  /** Inside a named converter's body, references go through `reviveLazy`/`encodeLazy`: the target may be defined later. */
  private lazyRefs = false;

  constructor(
    private readonly model: Model,
    readonly options: Readonly<SchemaOptions> = defaultSchemaOptions,
    /** The named types found converting, by direction: renderers of one model and options may share them. */
    private readonly converting = new Map<Direction, ReadonlySet<string>>(),
  ) {}

  tsType(node: TypeNode): string {
    return kindOf(node).tsType(node, this);
  }

  schema(node: TypeNode): JsonSchema {
    return kindOf(node).schema(node, this);
  }

  revive(node: TypeNode): string | undefined {
    return kindOf(node).revive(node, this);
  }

  encode(node: TypeNode): string | undefined {
    return kindOf(node).encode(node, this);
  }

  /** `revive` or `encode`, by direction. */
  convert(direction: Direction, node: TypeNode): string | undefined {
    return direction === "revive" ? this.revive(node) : this.encode(node);
  }

  wireTypes(node: TypeNode): ReadonlySet<string> {
    return wireTypesOf(this.schema(node), (ref) => {
      const named = this.model.types[unescapeDefsRef(ref)];
      return named ? this.schema(named.type) : undefined;
    });
  }

  valueTypes(node: TypeNode): ReadonlySet<string> {
    const target = this.resolve(node);
    const kind = kindOf(target);
    return kind.valueTypes ? kind.valueTypes(target, this) : this.wireTypes(target);
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

  unsupported(message: string, hint?: string): void {
    if (!this.problems.some((p) => p.message === message)) this.problems.push(hint === undefined ? { message } : { message, hint });
  }

  reviveNamed(name: string): string | undefined {
    return this.namedConverter("revive", name);
  }

  encodeNamed(name: string): string | undefined {
    return this.namedConverter("encode", name);
  }

  protected namedConverter(direction: Direction, name: string): string | undefined {
    if (!this.convertingNames(direction).has(name)) return undefined;
    if (!this.lazyRefs) return converterName(direction, name);
    this.useRuntime(`${direction}Lazy`);
    return `${direction}Lazy(() => ${converterName(direction, name)})`;
  }

  /** The code of a named type's reviver or encoder, with references to other named converters made lazy. */
  converterBody(direction: Direction, name: string): string | undefined {
    const saved = this.lazyRefs;
    this.lazyRefs = true;
    try {
      const named = this.model.types[name];
      return named ? this.convert(direction, named.type) : undefined;
    } finally {
      this.lazyRefs = saved;
    }
  }

  /**
   * The named types whose values convert in `direction`, found by iterating to a fixed point, so that
   * recursive and mutually recursive types are decided correctly.
   */
  convertingNames(direction: Direction): ReadonlySet<string> {
    const known = this.converting.get(direction);
    if (known) return known;
    const found = new Set<string>();
    const probe = new ProbeRenderer(this.model, this.options, direction, found);
    let changed = true;
    while (changed) {
      changed = false;
      for (const [name, named] of Object.entries(this.model.types)) {
        if (!found.has(name) && probe.convert(direction, named.type) !== undefined) {
          found.add(name);
          changed = true;
        }
      }
    }
    this.converting.set(direction, found);
    return found;
  }
}

/** Renders converters against an assumed set of converting names, recording nothing. */
class ProbeRenderer extends TypeRenderer {
  constructor(
    model: Model,
    options: Readonly<SchemaOptions>,
    private readonly direction: Direction,
    private readonly assumed: ReadonlySet<string>,
  ) {
    super(model, options);
  }

  protected override namedConverter(direction: Direction, name: string): string | undefined {
    return direction === this.direction && this.assumed.has(name) ? converterName(direction, name) : undefined;
  }
}

/** `revive$Item`, `encode$Item`: the constant a named type's converter is bound to in generated code. */
export function converterName(direction: Direction, typeName: string): string {
  return `${direction}$${typeIdentifier(typeName)}`;
}

/** The `$defs` key of a `#/$defs/…` reference (RFC 6901 unescaping). */
function unescapeDefsRef(ref: string): string {
  return ref.replace(/^#\/\$defs\//, "").replace(/~1/g, "/").replace(/~0/g, "~");
}
