/**
 * Object types: the body of an interface, an inline `{ a: string; b?: number }`, a mapped type TypeScript
 * resolves (`Partial<T>`, `Pick<T, K>`, `Record<K, V>`), or an intersection of those. Emits an object
 * schema (every non-optional member `required`), with each member's JSDoc as its `description`, closed
 * (`additionalProperties: false`) unless the project's `unknownProperties` is `allow` or `strip`.
 * Revives and encodes only the members whose types need it; under `strip` every object without an
 * index signature revives, deleting the keys its type does not name.
 */
import type { Type } from "ts-morph";
import { Node } from "../analyzer/ts-morph.js";
import { annotate, type Keywords } from "../model/keywords.js";
import type { Doc } from "../model/model.js";
import type { JsonSchema } from "../validators/json-schema.js";
import type { Kind, ReadContext } from "./kind.js";
import { isStandardLibrary } from "./library.js";
import type { TypeNode } from "./index.js";

export interface Property {
  name: string;
  /** May be left out on the wire: declared `a?: T`, or `a: T | undefined` (then `undefinedValue`). */
  optional: boolean;
  /** Declared `a: T | undefined` rather than `a?: T`; `type` is `T`. */
  undefinedValue?: true;
  type: TypeNode;
  doc: Doc | null;
  /** What the member's JSDoc tags set (`@minLength 1`); merged into its schema after the description. */
  keywords?: Keywords;
}

/** The type of the members an index signature allows (`[key: string]: V`, `Record<string, V>`). */
export interface IndexSignature {
  key: "string" | "number";
  value: TypeNode;
}

export interface ObjectNode {
  kind: "object";
  properties: Property[];
  index?: IndexSignature;
}

export const objectKind: Kind<ObjectNode> = {
  kind: "object",
  read(type, cx) {
    // An intersection of object types reads as one object: TypeScript merges their members.
    const merged = type.isIntersection() && type.getIntersectionTypes().every((m) => m.isObject() && m.getCallSignatures().length === 0);
    if (!merged && (!type.isObject() || type.isArray() || type.isReadonlyArray() || type.isTuple())) return undefined;
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0 || type.isClass()) return undefined;
    // Interfaces and classes of the standard library (Map, Set, Promise, ...) are not plain data; its
    // mapped types (Partial, Pick, Record, ...) are, once TypeScript resolves them.
    const target = type.getTargetType() ?? type;
    const declarations = target.getSymbol()?.getDeclarations() ?? [];
    if ((target.isInterface() || target.isClass()) && declarations.some(isStandardLibrary)) return undefined;
    const index = readIndex(type, cx);
    const properties: Property[] = [];
    // Members a mapped type makes up (`Record<"a" | "b", V>`) have no declaration of their own; their
    // type is asked for at the mapped type's declaration instead.
    const fallback = (type.getAliasSymbol() ?? type.getSymbol())?.getDeclarations()[0];
    for (const symbol of type.getProperties()) {
      const declaration = symbol.getValueDeclaration() ?? symbol.getDeclarations()[0];
      const location = declaration ?? fallback;
      if (!location) continue;
      const memberType = symbol.getTypeAtLocation(location);
      // `a: T | undefined` must be written but may hold undefined, which JSON cannot carry: on the wire
      // the key is left out, as for `a?: T`, while signatures keep the declared form.
      const undefinedValue = !symbol.isOptional() && memberType.isUnion() && memberType.getUnionTypes().some((t) => t.isUndefined());
      const optional = symbol.isOptional() || undefinedValue;
      const read = cx.readMember(memberType, declaration, symbol.getName(), optional);
      const { type: member, keywords } = declaration ? cx.readKeywords(declaration, symbol.getName(), read) : { type: read, keywords: undefined };
      const doc = declaration && Node.isJSDocable(declaration) ? cx.readDoc(declaration) : null;
      properties.push({ name: symbol.getName(), optional, ...(undefinedValue ? { undefinedValue } : {}), type: member, doc, ...(keywords ? { keywords } : {}) });
    }
    return index ? { kind: "object", properties, index } : { kind: "object", properties };
  },
  tsType(node, cx) {
    const members = node.properties.map((p) => memberText(propertyKey(p.name), p, cx.tsType(p.type)));
    if (node.index) {
      const value = cx.tsType(node.index.value);
      if (members.length === 0) return `Record<${node.index.key}, ${value}>`;
      members.push(`[key: ${node.index.key}]: ${value}`);
    }
    return members.length === 0 ? "{}" : `{ ${members.join("; ")} }`;
  },
  schema(node, cx) {
    const properties: Record<string, JsonSchema> = {};
    for (const p of node.properties) {
      const schema = cx.schema(p.type);
      properties[p.name] = annotate(schema, p.doc?.text, p.keywords);
    }
    const required = node.properties.filter((p) => !p.optional).map((p) => p.name);
    return {
      type: "object",
      ...(node.properties.length > 0 || !node.index ? { properties } : {}),
      ...(required.length > 0 ? { required } : {}),
      ...(node.index?.key === "number" ? { propertyNames: { pattern: NUMERIC_KEY } } : {}),
      ...(node.index ? { additionalProperties: cx.schema(node.index.value) } : cx.options.unknownProperties === "reject" ? { additionalProperties: false } : {}),
    };
  },
  revive(node, cx) {
    const entries: string[] = [];
    for (const p of node.properties) {
      const reviver = cx.revive(p.type);
      if (reviver !== undefined) entries.push(`${propertyKey(p.name)}: ${reviver}`);
    }
    const index = node.index ? cx.revive(node.index.value) : undefined;
    if (index !== undefined) {
      // Every member of such an object is a value of the index type, named or not (TypeScript checks it).
      if (entries.length > 0) cx.unsupported(`'${cx.tsType(node)}' mixes named members and an index signature that both need reviving`);
      cx.useRuntime("reviveRecord");
      return `reviveRecord(${index})`;
    }
    // With an index signature every key is known: nothing to strip at this level.
    if (cx.options.unknownProperties === "strip" && !node.index) {
      cx.useRuntime("stripObject");
      const known = JSON.stringify(node.properties.map((p) => p.name));
      return entries.length === 0 ? `stripObject(${known})` : `stripObject(${known}, { ${entries.join(", ")} })`;
    }
    if (entries.length === 0) return undefined;
    cx.useRuntime("reviveObject");
    return `reviveObject({ ${entries.join(", ")} })`;
  },
  encode(node, cx) {
    const entries: string[] = [];
    for (const p of node.properties) {
      const encoder = cx.encode(p.type);
      if (encoder !== undefined) entries.push(`${propertyKey(p.name)}: ${encoder}`);
    }
    const index = node.index ? cx.encode(node.index.value) : undefined;
    if (index !== undefined) {
      if (entries.length > 0) cx.unsupported(`'${cx.tsType(node)}' mixes named members and an index signature that both need reviving`);
      cx.useRuntime("encodeRecord");
      return `encodeRecord(${index})`;
    }
    if (entries.length === 0) return undefined;
    cx.useRuntime("encodeObject");
    return `encodeObject({ ${entries.join(", ")} })`;
  },
};

/** The keys of a number index signature: JavaScript's canonical number strings. */
const NUMERIC_KEY = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$";

/** Reads `[key: string]: V` or `[key: number]: V`; both at once keep only the string one, which covers both. */
function readIndex(type: Type, cx: ReadContext): IndexSignature | undefined {
  // `Record<K, V>` whose keys are neither literals nor plain string (a branded or template string)
  // gets no index signature from TypeScript; its values are still V under string keys.
  const alias = type.getAliasSymbol();
  const [keys, values] = type.getAliasTypeArguments();
  if (alias?.getName() === "Record" && keys && values && type.getProperties().length === 0 && !type.getStringIndexType()) {
    if (keys.isString() || keys.isTemplateLiteral() || (keys.isIntersection() && keys.getIntersectionTypes().some((k) => k.isString()))) {
      return { key: "string", value: cx.readMember(values, undefined, "[key]", false) };
    }
  }
  const stringValue = type.getStringIndexType();
  if (stringValue) return { key: "string", value: cx.readMember(stringValue, indexSite(type), "[key]", false) };
  const numberValue = type.getNumberIndexType();
  if (numberValue) return { key: "number", value: cx.readMember(numberValue, indexSite(type), "[key]", false) };
  return undefined;
}

/** The index signature's declaration, for diagnostics about its value type. */
function indexSite(type: Type): Node | undefined {
  for (const declaration of type.getSymbol()?.getDeclarations() ?? []) {
    if (Node.isTypeLiteral(declaration) || Node.isInterfaceDeclaration(declaration)) {
      const signature = declaration.getIndexSignatures()[0];
      if (signature) return signature.getReturnTypeNode() ?? signature;
    }
  }
  return undefined;
}

/** `a?: T`, `a: T | undefined` or `a: T`, as declared. */
export function memberText(key: string, member: { optional: boolean; undefinedValue?: true }, type: string): string {
  if (member.undefinedValue) return `${key}: ${type} | undefined`;
  return `${key}${member.optional ? "?" : ""}: ${type}`;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
