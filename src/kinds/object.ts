/**
 * Object types: the body of an interface, or an inline `{ a: string; b?: number }`. Emits a closed
 * object schema (`additionalProperties: false`, every non-optional member `required`), with each
 * member's JSDoc as its `description`. Revives only the members whose types need it.
 */
import { Node } from "ts-morph";
import type { Doc } from "../model/model.js";
import type { JsonSchema } from "../validators/json-schema.js";
import type { Kind } from "./kind.js";
import type { TypeNode } from "./index.js";

export interface Property {
  name: string;
  optional: boolean;
  type: TypeNode;
  doc: Doc | null;
}

export interface ObjectNode {
  kind: "object";
  properties: Property[];
}

export const objectKind: Kind<ObjectNode> = {
  kind: "object",
  read(type, cx) {
    if (!type.isObject() || type.isArray() || type.isReadonlyArray() || type.isTuple()) return undefined;
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0 || type.isClass()) return undefined;
    // Interfaces of the standard library and of packages (Map, Set, Promise, ...) are not plain data.
    const declarations = type.getSymbol()?.getDeclarations() ?? [];
    if (!type.isAnonymous() && declarations.some((d) => d.getSourceFile().isDeclarationFile())) return undefined;
    if (type.getStringIndexType() || type.getNumberIndexType()) {
      cx.report("error", "JG1008", `Index signatures ('${cx.typeText(type)}') are not supported yet.`, "list the members by name");
    }
    const properties: Property[] = [];
    for (const symbol of type.getProperties()) {
      const declaration = symbol.getValueDeclaration() ?? symbol.getDeclarations()[0];
      if (!declaration) continue;
      const optional = symbol.isOptional();
      const member = cx.readMember(symbol.getTypeAtLocation(declaration), declaration, symbol.getName(), optional);
      const doc = Node.isJSDocable(declaration) ? cx.readDoc(declaration) : null;
      properties.push({ name: symbol.getName(), optional, type: member, doc });
    }
    return { kind: "object", properties };
  },
  tsType(node, cx) {
    const members = node.properties.map((p) => `${propertyKey(p.name)}${p.optional ? "?" : ""}: ${cx.tsType(p.type)}`);
    return members.length === 0 ? "{}" : `{ ${members.join("; ")} }`;
  },
  schema(node, cx) {
    const properties: Record<string, JsonSchema> = {};
    for (const p of node.properties) {
      const schema = cx.schema(p.type);
      properties[p.name] = p.doc?.text ? withDescription(schema, p.doc.text) : schema;
    }
    const required = node.properties.filter((p) => !p.optional).map((p) => p.name);
    return { type: "object", properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
  },
  revive(node, cx) {
    const entries: string[] = [];
    for (const p of node.properties) {
      const reviver = cx.revive(p.type);
      if (reviver !== undefined) entries.push(`${propertyKey(p.name)}: ${reviver}`);
    }
    if (entries.length === 0) return undefined;
    cx.useRuntime("reviveObject");
    return `reviveObject({ ${entries.join(", ")} })`;
  },
};

/** Puts the member's JSDoc first, so the schema reads like the source (2020-12 allows it beside `$ref`). */
function withDescription(schema: JsonSchema, description: string): JsonSchema {
  return typeof schema === "object" ? { description, ...schema } : schema;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
