/**
 * Named types declared in the user's code: `interface Entry { … }` and `type Op = "add" | "divide"`.
 * Each becomes one `$defs` entry, referenced with `{ "$ref": "#/$defs/Entry" }`, so shared and
 * recursive types are written once. Generated code imports them by name from their source file.
 */
import { Node, type Type } from "ts-morph";
import type { Kind } from "./kind.js";

export interface RefNode {
  kind: "ref";
  name: string;
}

export const namedKind: Kind<RefNode> = {
  kind: "ref",
  read(type, cx) {
    const found = findDeclaration(type);
    if (!found) return undefined;
    if (found.generic) {
      cx.report("error", "JG1007", `Generic type '${cx.typeText(type)}' is not supported yet.`, "declare a named type with concrete members");
      return { kind: "any", ts: "unknown" };
    }
    const name = cx.defineNamed(found.name, found.declaration, type, cx.readDoc(found.declaration));
    return { kind: "ref", name };
  },
  tsType(node, cx) {
    cx.useType(node.name);
    return node.name;
  },
  schema: (node) => ({ $ref: `#/$defs/${escapePointer(node.name)}` }),
  revive: (node, cx) => cx.reviveNamed(node.name),
};

interface Found {
  name: string;
  declaration: Node;
  generic: boolean;
}

/** An alias or interface declared in the user's own sources (not the standard library or a package). */
function findDeclaration(type: Type): Found | undefined {
  const alias = type.getAliasSymbol();
  if (alias) {
    const declaration = alias.getDeclarations().find(Node.isTypeAliasDeclaration);
    if (declaration && isUserCode(declaration)) {
      return { name: alias.getName(), declaration, generic: type.getAliasTypeArguments().length > 0 };
    }
    return undefined;
  }
  if (!type.isInterface() && !(type.isObject() && type.getTargetType()?.isInterface())) return undefined;
  const symbol = type.getSymbol();
  const declaration = symbol?.getDeclarations().find(Node.isInterfaceDeclaration);
  if (!symbol || !declaration || !isUserCode(declaration)) return undefined;
  return { name: symbol.getName(), declaration, generic: declaration.getTypeParameters().length > 0 };
}

function isUserCode(node: Node): boolean {
  const file = node.getSourceFile();
  return !file.isDeclarationFile() && !file.isFromExternalLibrary() && !file.isInNodeModules();
}

/** JSON Pointer escaping (RFC 6901) of a `$defs` key. */
export function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

