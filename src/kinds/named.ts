/**
 * Named types declared in the user's code: `interface Entry { … }`, `type Op = "add" | "divide"`, and
 * instances of generic ones (`Page<User>` becomes the def `Page_User`).
 * Each becomes one `$defs` entry, referenced with `{ "$ref": "#/$defs/Entry" }`, so shared and
 * recursive types are written once. Generated code imports them by name from their source file, or
 * from their package for types declared in `node_modules`.
 */
import type { Type } from "ts-morph";
import { Node } from "../analyzer/ts-morph.js";
import type { Kind } from "./kind.js";
import { isStandardLibrary } from "./library.js";
import type { TypeNode } from "./index.js";

export interface RefNode {
  kind: "ref";
  /** The `$defs` key: the type's name, or for a generic instance `Page_User`. */
  name: string;
  /** A generic instance's TypeScript name and arguments, so signatures spell `Page<User>`. */
  typeName?: string;
  args?: TypeNode[];
}

export const namedKind: Kind<RefNode> = {
  kind: "ref",
  read(type, cx) {
    const found = findDeclaration(type);
    if (!found) return undefined;
    const doc = cx.readDoc(found.declaration);
    if (found.args.length === 0) return { kind: "ref", name: cx.defineNamed(found.name, found.declaration, type, doc) };
    // A generic instance (`Page<User>`) is a def of its own, named after the generic and its arguments.
    const args = found.args.map((a) => cx.read(a));
    const name = `${found.name}_${args.map(argumentName).join("_")}`;
    return { kind: "ref", name: cx.defineNamed(name, found.declaration, type, doc, found.name), typeName: found.name, args };
  },
  tsType(node, cx) {
    cx.useType(node.name);
    return node.args ? `${node.typeName ?? node.name}<${node.args.map((a) => cx.tsType(a)).join(", ")}>` : node.name;
  },
  schema: (node) => ({ $ref: `#/$defs/${escapePointer(node.name)}` }),
  revive: (node, cx) => cx.reviveNamed(node.name),
  encode: (node, cx) => cx.encodeNamed(node.name),
};

/** A readable, stable name part for a type argument: `User`, `string`, `UserArray`, `User_or_null`. */
function argumentName(node: TypeNode): string {
  if (node.kind === "ref") return node.name;
  if (node.kind === "literal") return String(node.value).replace(/[^A-Za-z0-9]+/g, "_") || "literal";
  if (node.kind === "array") return `${argumentName(node.items)}Array`;
  if (node.kind === "union") return node.members.map(argumentName).join("_or_");
  if (node.kind === "any") return node.ts;
  if (node.kind === "date") return "Date";
  if (node.kind === "object" && node.index && node.properties.length === 0) return `Record_${argumentName(node.index.value)}`;
  return node.kind;
}

interface Found {
  name: string;
  declaration: Node;
  /** Type arguments of a generic instance; empty otherwise. */
  args: Type[];
}

/** An alias or interface declared in the user's sources or in a package (not the standard library). */
function findDeclaration(type: Type): Found | undefined {
  const alias = type.getAliasSymbol();
  if (alias) {
    const declaration = alias.getDeclarations().find(Node.isTypeAliasDeclaration);
    if (declaration && isUserCode(declaration)) return { name: alias.getName(), declaration, args: type.getAliasTypeArguments() };
    return undefined;
  }
  if (!type.isInterface() && !(type.isObject() && type.getTargetType()?.isInterface())) return undefined;
  const symbol = type.getSymbol();
  const declaration = symbol?.getDeclarations().find(Node.isInterfaceDeclaration);
  if (!symbol || !declaration || !isUserCode(declaration)) return undefined;
  return { name: symbol.getName(), declaration, args: declaration.getTypeParameters().length > 0 ? type.getTypeArguments() : [] };
}

/** The user's own code or a package's declarations; not TypeScript's standard library (Date, Map, ...). */
function isUserCode(node: Node): boolean {
  return !isStandardLibrary(node);
}

/** JSON Pointer escaping (RFC 6901) of a `$defs` key. */
export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

