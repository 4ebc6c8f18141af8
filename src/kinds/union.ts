/**
 * Unions: `"add" | "divide"`, `T | null`, `string | number`. Emits `enum` when every member is a
 * literal, a `type` list when every member is a bare primitive, `oneOf` with a `discriminator` for
 * objects told apart by a literal tag, and otherwise `anyOf`, or `oneOf` when the project chose it
 * (`unions: "oneOf"`: a value matching two members is refused). `true | false`
 * collapses back into `boolean`; `undefined` is allowed only where the member is optional. Members that
 * JSON cannot carry convert as `union-convert.ts` says, where their wire forms can be told apart.
 */
import type { JsonSchema } from "../validators/json-schema.js";
import type { Kind, RenderContext } from "./kind.js";
import type { ObjectNode, TypeNode } from "./index.js";
import { convertUnion, encoding, reviving, unionValueTypes } from "./union-convert.js";

export interface UnionNode {
  kind: "union";
  members: TypeNode[];
}

export const unionKind: Kind<UnionNode> = {
  kind: "union",
  read(type, cx) {
    if (!type.isUnion() || type.isEnum() || type.isBoolean()) return undefined;
    const members: TypeNode[] = [];
    let sawTrue = false;
    let sawFalse = false;
    for (const member of type.getUnionTypes()) {
      if (member.isUndefined()) {
        if (!cx.isOptionalTop(type)) reportUndefined(cx);
        continue;
      }
      if (member.isBooleanLiteral()) {
        // The compiler's `true` type, named without printing it.
        if ((member.compilerType as { intrinsicName?: string }).intrinsicName === "true") sawTrue = true;
        else sawFalse = true;
        continue;
      }
      members.push(cx.read(member));
    }
    if (sawTrue && sawFalse) members.push({ kind: "boolean" });
    else if (sawTrue || sawFalse) members.push({ kind: "literal", value: sawTrue });
    const [only] = members;
    if (members.length === 1 && only) return only;
    return { kind: "union", members: sortMembers(members) };
  },
  tsType: (node, cx) => node.members.map((m) => cx.tsType(m)).join(" | "),
  schema(node, cx) {
    const schemas = node.members.map((m) => cx.schema(m));
    if (schemas.every((s) => isOnly(s, "const"))) return { enum: schemas.map((s) => (s as { const: unknown }).const) };
    if (schemas.every((s) => isOnly(s, "type") && typeof (s as { type: unknown }).type === "string")) {
      return { type: schemas.map((s) => (s as { type: string }).type) } as JsonSchema;
    }
    const tag = discriminator(node.members, cx);
    if (tag !== undefined) return { oneOf: schemas, discriminator: { propertyName: tag } } as JsonSchema;
    return cx.options.unions === "oneOf" ? { oneOf: schemas } : { anyOf: schemas };
  },
  revive: (node, cx) => convertUnion(node, cx, reviving, discriminator),
  encode: (node, cx) => convertUnion(node, cx, encoding, discriminator),
  valueTypes: unionValueTypes,
};

function reportUndefined(cx: { report: (s: "error", c: string, m: string, h?: string) => void }): void {
  cx.report("error", "JG1012", "'undefined' cannot travel as JSON.", "make the member optional with '?', or use 'null'");
}

/**
 * The property that tells a union's object members apart: required in every member, a literal in each,
 * with no literal shared by two members. Such a union emits `oneOf` (exactly one member can match)
 * with an OpenAPI-style `discriminator`, and its validator reports the failing member by its tag.
 */
function discriminator(members: readonly TypeNode[], cx: RenderContext): string | undefined {
  const objects: ObjectNode[] = [];
  for (const member of members) {
    const resolved = cx.resolve(member);
    if (resolved.kind !== "object") return undefined;
    objects.push(resolved);
  }
  const [first] = objects;
  if (!first || objects.length < 2) return undefined;
  for (const candidate of first.properties) {
    const seen = new Set<string | number | boolean>();
    const distinct = objects.every((o) => {
      const property = o.properties.find((p) => p.name === candidate.name && !p.optional);
      const tag = property && cx.resolve(property.type);
      if (tag?.kind !== "literal" || seen.has(tag.value)) return false;
      seen.add(tag.value);
      return true;
    });
    if (distinct) return candidate.name;
  }
  return undefined;
}

function isOnly(schema: JsonSchema, key: string): boolean {
  return typeof schema === "object" && Object.keys(schema).length === 1 && key in schema;
}

/** Keeps source order but moves `null` last, so `null | T` and `T | null` render alike. */
function sortMembers(members: TypeNode[]): TypeNode[] {
  return [...members.filter((m) => m.kind !== "null"), ...members.filter((m) => m.kind === "null")];
}

