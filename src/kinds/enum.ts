/**
 * Enums: `enum Color { Red = "red", Green = "green" }`, `enum Level { Low = 1, High }`, `const enum`s
 * too. An enum is a named type: a `$defs` entry `{ "enum": ["red", "green"], "x-enum-varnames":
 * ["Red", "Green"] }`, referenced with `$ref`, its TypeScript name imported from its file (or package).
 * One member as a type (`Color.Red`) emits `{ "const": "red" }`. Members must all be strings or all
 * numbers, with values TypeScript can compute; anything else is reported.
 *
 * Three kinds share this file: `enumRefKind` turns a use of the enum into a reference (it is a `ref`
 * kind, rendered exactly as `namedKind` renders references, so that reading the enum's body skips it
 * like every other reference), `enumKind` reads that body, and `enumMemberKind` reads one member.
 */
import type { EnumDeclaration, Type } from "ts-morph";
import { Node } from "../analyzer/ts-morph.js";
import type { Kind } from "./kind.js";
import { namedKind, type RefNode } from "./named.js";
import type { TypeNode } from "./index.js";

export interface EnumMember {
  name: string;
  value: string | number;
}

export interface EnumNode {
  kind: "enum";
  name: string;
  members: EnumMember[];
}

export interface EnumMemberNode {
  kind: "enum-member";
  /** The reference to the member's enum (so it is imported, and checked for `export`). */
  of: TypeNode;
  member: string;
  value: string | number;
}

export const enumRefKind: Kind<RefNode> = {
  ...namedKind,
  read(type, cx) {
    const declaration = wholeEnum(type);
    if (!declaration) return undefined;
    return { kind: "ref", name: cx.defineNamed(declaration.getName(), declaration, type, cx.readDoc(declaration)) };
  },
};

export const enumKind: Kind<EnumNode> = {
  kind: "enum",
  read(type, cx) {
    const declaration = wholeEnum(type);
    if (!declaration) return undefined;
    const members = membersOf(declaration).map((m) => ({ name: m.getName(), value: m.getValue() }));
    const computed = members.filter((m) => m.value === undefined).map((m) => m.name);
    const kinds = new Set(members.map((m) => typeof m.value));
    if (computed.length > 0) {
      cx.report("error", "JG1020", `Enum '${declaration.getName()}' has members whose values TypeScript cannot compute: ${computed.join(", ")}.`, "give every member a literal value");
    } else if (kinds.size > 1) {
      const list = members.map((m) => `${m.name} = ${JSON.stringify(m.value)}`).join(", ");
      cx.report("error", "JG1020", `Enum '${declaration.getName()}' mixes string and number members (${list}).`, "make every member a string, or every member a number");
    }
    return { kind: "enum", name: declaration.getName(), members: members.filter((m): m is EnumMember => m.value !== undefined) };
  },
  tsType(node, cx) {
    cx.useType(node.name);
    return node.name;
  },
  schema: (node) => ({ enum: node.members.map((m) => m.value), "x-enum-varnames": node.members.map((m) => m.name) }),
  revive: () => undefined,
  encode: () => undefined,
};

export const enumMemberKind: Kind<EnumMemberNode> = {
  kind: "enum-member",
  read(type, cx) {
    if (!type.isEnumLiteral() || type.isUnion()) return undefined;
    const member = type.getSymbol()?.getDeclarations().find(Node.isEnumMember);
    const value = type.getLiteralValue();
    if (!member || (typeof value !== "string" && typeof value !== "number")) return undefined;
    return { kind: "enum-member", of: cx.read(member.getParent().getType()), member: member.getName(), value };
  },
  tsType(node, cx) {
    const of = cx.tsType(node.of);
    if (node.of.kind !== "ref") return JSON.stringify(node.value);
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(node.member) ? `${of}.${node.member}` : `(typeof ${of})[${JSON.stringify(node.member)}]`;
  },
  schema: (node) => ({ const: node.value }),
  revive: () => undefined,
  encode: () => undefined,
};

/**
 * The declaration of the enum `type` is, when it is a whole enum: the enum type itself, or the one
 * member of a single-member enum (TypeScript gives both the same type).
 */
function wholeEnum(type: Type): EnumDeclaration | undefined {
  if (!type.isEnum() && !type.isEnumLiteral()) return undefined;
  const declaration = type.getSymbol()?.getDeclarations()[0];
  const found = Node.isEnumDeclaration(declaration) ? declaration : Node.isEnumMember(declaration) ? declaration.getParent() : undefined;
  if (!found) return undefined;
  return type.isEnum() || membersOf(found).length === 1 ? found : undefined;
}

/** The members of every declaration of the enum, which TypeScript merges. */
function membersOf(declaration: EnumDeclaration) {
  const declarations = declaration.getSymbol()?.getDeclarations().filter(Node.isEnumDeclaration) ?? [declaration];
  return declarations.flatMap((d) => d.getMembers());
}
