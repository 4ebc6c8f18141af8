/**
 * Types as prettier prints them (see `ts-print.ts`): annotations, references with type arguments,
 * unions (`| A` on each line when broken) and intersections, arrays, tuples, object type literals,
 * literal and template literal types.
 */
import { align, type Doc, group, ifBreak, indent, join, line, softline, Unsupported } from "./doc.js";
import { printArray, printLiteral, printObject, printPropertyKey } from "./ts-print-expressions.js";
import type { PrintArgs, Printer } from "./ts-print.js";
import type * as T from "./ts-syntax.js";

export function printType(p: Printer, node: T.Node, _args: PrintArgs): Doc {
  switch (node.type) {
    case "TSTypeAnnotation":
      return [":", " ", p.print(node.typeAnnotation, "typeAnnotation")];
    case "TSKeyword":
      return node.keyword;
    case "TSTypeReference":
      return [node.typeName, node.typeArguments ? printTypeArguments(p, node.typeArguments, "typeArguments") : ""];
    case "TSUnionType":
      return printUnion(p, node);
    case "TSIntersectionType":
      return printIntersection(p, node);
    case "TSArrayType":
      return [p.print(node.elementType, "elementType"), "[]"];
    case "TSTupleType":
      return printArray(p, node);
    case "TSOptionalType":
      return [p.print(node.typeAnnotation, "typeAnnotation"), "?"];
    case "TSRestType":
      return ["...", p.print(node.typeAnnotation, "typeAnnotation")];
    case "TSNamedTupleMember":
      return [node.label, node.optional ? "?" : "", ": ", p.print(node.elementType, "elementType")];
    case "TSTypeLiteral":
      return printObject(p, node);
    case "TSPropertySignature":
      return [node.readonly ? "readonly " : "", printPropertyKey(p, node), node.optional ? "?" : "", p.print(node.typeAnnotation, "typeAnnotation")];
    case "TSIndexSignature":
      return [node.readonly ? "readonly " : "", "[", group([indent([softline, p.print(node.parameter, "parameters")]), "", softline]), "]", p.print(node.typeAnnotation, "typeAnnotation")];
    case "TSLiteralType":
      return node.literal.type === "Literal" ? printLiteral(node.literal) : ["-", printLiteral(node.literal.argument as T.Literal)];
    case "TSTypeOperator":
      return [node.operator, " ", p.print(node.typeAnnotation, "typeAnnotation")];
    case "TSTemplateLiteralType": {
      const parts: Doc[] = ["`"];
      node.quasis.forEach((quasi, i) => {
        parts.push(quasi);
        if (i < node.types.length) parts.push(group(["${", p.print(node.types[i]!, "types"), "}"]));
      });
      parts.push("`");
      return parts;
    }
    default:
      throw new Unsupported(`a '${node.type}' node`);
  }
}

/** `<A, B>`: on one line for one simple type, else broken one per line when too long. */
export function printTypeArguments(p: Printer, params: readonly T.TypeNode[], key: string): Doc {
  const printed = params.map((param) => p.print(param, key));
  if (params.length === 0 || (params.length === 1 && shouldHugType(params[0]!))) return ["<", join(", ", printed), ">"];
  return group(["<", indent([softline, join([",", line], printed)]), softline, ">"]);
}

function isSimpleType(node: T.TypeNode): boolean {
  return node.type === "TSKeyword" || (node.type === "TSTypeReference" && !node.typeArguments) || node.type === "TSLiteralType" || node.type === "TSTemplateLiteralType";
}

function shouldHugType(node: T.TypeNode): boolean {
  if (isSimpleType(node) || node.type === "TSTypeLiteral") return true;
  return node.type === "TSUnionType" && shouldHugUnion(node);
}

/** `{…} | null`, `T | null`: one object-like member and the rest `null` or `void` print as a plain join. */
function shouldHugUnion(node: T.UnionType): boolean {
  const objectType = node.types.find((t) => t.type === "TSTypeLiteral" || t.type === "TSTypeReference");
  if (!objectType) return false;
  return node.types.every((t) => t === objectType || (t.type === "TSKeyword" && (t.keyword === "null" || t.keyword === "void")));
}

function printUnion(p: Printer, node: T.UnionType): Doc {
  if (shouldHugUnion(node)) return join(" | ", node.types.map((type) => p.print(type, "types")));
  // Broken, each member on its own line after `| `; the first one's `| ` only when broken.
  const members = group(node.types.map((type, i) => [i === 0 ? ifBreak("| ") : [line, "| "], align(2, p.print(type, "types"))]));
  if (p.needsParens()) return group([indent([softline, members]), softline]);
  const parent = p.parent;
  if (p.key === "elementTypes" && parent.type === "TSTupleType" && parent.elementTypes.length > 1) {
    return group([indent([ifBreak(["(", softline]), members]), softline, ifBreak(")")]);
  }
  if (p.key === "typeArguments" || p.key === "elementTypes") return members;
  return group(indent([softline, members]));
}

function isObjectType(node: T.TypeNode | undefined): boolean {
  return node?.type === "TSTypeLiteral";
}

function printIntersection(p: Printer, node: T.UnionType): Doc {
  let wasIndented = false;
  return group(
    node.types.map((type, index) => {
      const doc = p.print(type, "types");
      if (index === 0) return doc;
      const previousObject = isObjectType(node.types[index - 1]);
      const currentObject = isObjectType(type);
      if (previousObject && currentObject) return [" & ", wasIndented ? indent(doc) : doc];
      if (!previousObject && !currentObject) return indent([" &", line, doc]);
      if (index > 1) wasIndented = true;
      return [" & ", index > 1 ? indent(doc) : doc];
    }),
  );
}
