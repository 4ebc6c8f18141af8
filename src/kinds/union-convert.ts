/**
 * How a union's values convert, in either direction. Each value goes to the converter of the member it
 * belongs to, told by its type: the JSON type of a wire value when reviving, what the runtime's
 * `valueTypeOf` says of a TypeScript value when encoding (`"date"`, `"bigint"`, `"map"`, ...). Members
 * that share a type need no telling apart when they convert alike (`T | null`: nothing converts `null`);
 * objects that convert differently are told apart by the union's discriminator property. Anything else
 * is ambiguous (`bigint | string`: both travel as strings) and is reported as JG2001.
 */
import type { Kind, RenderContext } from "./kind.js";
import type { Property, TypeNode, UnionNode } from "./index.js";

/** One direction of conversion, as the union renders it. */
export interface Way {
  convert(node: TypeNode, cx: RenderContext): string | undefined;
  /** The types a member's values have in this direction's input. */
  types(node: TypeNode, cx: RenderContext): ReadonlySet<string>;
  /** The runtime combinators: by type, and by discriminator. */
  byType: string;
  byTag: string;
  /** Why two members of `type` cannot be told apart, after "'A' and 'B' ". */
  alike(type: string): string;
}

/** Finds the property that tells object members apart, as the union's schema does (`oneOf`). */
export type Discriminator = (members: readonly TypeNode[], cx: RenderContext) => string | undefined;

const wireNouns: Readonly<Record<string, string>> = { string: "strings", number: "numbers", boolean: "booleans", array: "arrays", null: "nulls" };
const valueNouns: Readonly<Record<string, string>> = { bigint: "bigints", date: "Dates", bytes: "Uint8Arrays", map: "Maps", set: "Sets" };

export const reviving: Way = {
  convert: (node, cx) => cx.revive(node),
  types: (node, cx) => cx.wireTypes(node),
  byType: "reviveUnion",
  byTag: "reviveTagged",
  alike: (type) => `both travel as JSON ${wireNouns[type] ?? type}, so a receiver could not tell which one arrived`,
};

export const encoding: Way = {
  convert: (node, cx) => cx.encode(node),
  types: (node, cx) => cx.valueTypes(node),
  byType: "encodeUnion",
  byTag: "encodeTagged",
  // Types that are JSON types say what reviving says, so one problem is reported once.
  alike: (type) => (valueNouns[type] ? `are both ${valueNouns[type]}, so a sender could not tell how to encode one` : reviving.alike(type)),
};

/** The code converting `node`'s values in `way`, `undefined` when none converts or when they are ambiguous. */
export function convertUnion(node: UnionNode, cx: RenderContext, way: Way, discriminator: Discriminator): string | undefined {
  const codes = node.members.map((m) => way.convert(m, cx));
  if (codes.every((code) => code === undefined)) return undefined;
  // The members each type may belong to, in member order.
  const byType = new Map<string, number[]>();
  node.members.forEach((member, i) => {
    for (const type of way.types(member, cx)) byType.set(type, [...(byType.get(type) ?? []), i]);
  });
  const entries: [type: string, code: string][] = [];
  for (const [type, indices] of byType) {
    const distinct = new Set(indices.map((i) => codes[i]));
    if (distinct.size === 1) {
      const [code] = distinct;
      if (code !== undefined) entries.push([type, code]);
      continue;
    }
    const tagged = type === "object" ? (convertTagged(indices, codes, node, cx, way, discriminator) ?? stripMerged(indices, node, cx, way)) : undefined;
    if (tagged === undefined) return ambiguous(node, indices, codes, type, cx, way);
    entries.push([type, tagged]);
  }
  // One converter for every type that has one: it leaves the other types alone by itself.
  const [first] = entries;
  if (first && entries.every(([, code]) => code === first[1])) return first[1];
  cx.useRuntime(way.byType);
  return `${way.byType}({ ${entries.map(([type, code]) => `${type}: ${code}`).join(", ")} })`;
}

/** The members' types for encoding: what `valueTypeOf` may say of a value of any of them. */
export const unionValueTypes: NonNullable<Kind<UnionNode>["valueTypes"]> = (node, cx) =>
  new Set(node.members.flatMap((m) => [...cx.valueTypes(m)]));

function convertTagged(
  indices: readonly number[],
  codes: readonly (string | undefined)[],
  node: UnionNode,
  cx: RenderContext,
  way: Way,
  discriminator: Discriminator,
): string | undefined {
  const members = indices.map((i) => node.members[i]!);
  const tag = discriminator(members, cx);
  if (tag === undefined) return undefined;
  const cases: string[] = [];
  indices.forEach((i, n) => {
    const code = codes[i];
    const object = cx.resolve(members[n]!);
    const property = object.kind === "object" ? object.properties.find((p) => p.name === tag) : undefined;
    const value = property && cx.resolve(property.type);
    if (code !== undefined && value?.kind === "literal") cases.push(`[${JSON.stringify(value.value)}, ${code}]`);
  });
  cx.useRuntime(way.byTag);
  return `${way.byTag}(${JSON.stringify(tag)}, [${cases.join(", ")}])`;
}

/**
 * Under `unknownProperties: "strip"` every object revives, so objects without a discriminator would be
 * ambiguous: instead one reviver takes them all, keeping the keys any of them names and reviving each key
 * as the members naming it do. It gives up (`undefined`) where two members revive one key differently or
 * a member has an index signature.
 */
function stripMerged(indices: readonly number[], node: UnionNode, cx: RenderContext, way: Way): string | undefined {
  if (way !== reviving || cx.options.unknownProperties !== "strip") return undefined;
  const properties: Property[] = [];
  const codes = new Map<string, string | undefined>();
  for (const i of indices) {
    const object = cx.resolve(node.members[i]!);
    if (object.kind !== "object" || object.index) return undefined;
    for (const property of object.properties) {
      const code = cx.revive(property.type);
      if (!codes.has(property.name)) {
        codes.set(property.name, code);
        properties.push(property);
      } else if (codes.get(property.name) !== code) {
        return undefined;
      }
    }
  }
  return cx.revive({ kind: "object", properties });
}

function ambiguous(
  node: UnionNode,
  indices: readonly number[],
  codes: readonly (string | undefined)[],
  type: string,
  cx: RenderContext,
  way: Way,
): undefined {
  const a = indices.find((i) => codes[i] !== undefined)!;
  const b = indices.find((i) => codes[i] !== codes[a])!;
  const [first, second] = [cx.tsType(node.members[a]!), cx.tsType(node.members[b]!)];
  if (type === "object") {
    cx.unsupported(
      `'${cx.tsType(node)}' is ambiguous: '${first}' and '${second}' are both objects, and no required property with a literal type in each tells them apart`,
      "give each object a required property with a literal of its own, such as 'kind: \"circle\"'",
    );
  } else {
    cx.unsupported(
      `'${cx.tsType(node)}' is ambiguous: '${first}' and '${second}' ${way.alike(type)}`,
      "keep them in separate members or methods, or wrap each in an object with a literal 'kind' property",
    );
  }
  return undefined;
}
