/**
 * Expressions as prettier prints them (see `ts-print.ts`): literals, arrays and objects, assignments and
 * their layouts, binary expressions, member access, calls with their argument layouts, and arrow
 * functions with a simple body.
 */
import {
  breakParent,
  canBreak,
  conditionalGroup,
  type Doc,
  fill,
  group,
  hardline,
  ifBreak,
  indent,
  indentIfBreak,
  label,
  type Label,
  line,
  softline,
  Unsupported,
  willBreak,
} from "./doc.js";
import { hasNewlineInRange, isNextLineEmpty, printParameters, type PrintArgs, type Printer, shouldFlatten, shouldHugTheOnlyParameter } from "./ts-print.js";
import { printTypeArguments } from "./ts-print-types.js";
import type * as T from "./ts-syntax.js";

// --- literals --------------------------------------------------------------------------------------

export function printLiteral(node: T.Literal): Doc {
  if (typeof node.value === "string") return printString(node.raw);
  if (typeof node.value === "number") return printNumber(node.raw);
  return String(node.value);
}

/** A string in the quotes that need fewer escapes, double on a tie (prettier's `printString`). */
export function printString(raw: string): string {
  const content = raw.slice(1, -1);
  let doubles = 0;
  let singles = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === 34) doubles++;
    else if (c === 39) singles++;
  }
  const quote = doubles > singles ? "'" : '"';
  if (raw[0] === quote) return raw;
  const other = quote === '"' ? "'" : '"';
  const body = content.replace(/\\(["'\\])|(["'])/g, (match, escaped: string | undefined, unescaped: string | undefined) => {
    if (escaped) return escaped === other ? other : match;
    return unescaped === quote ? `\\${unescaped}` : unescaped!;
  });
  return quote + body + quote;
}

/** prettier's number normalisation: lower case, no useless exponent, sign, zeros or dot. */
export function printNumber(raw: string): string {
  if (raw.length === 1) return raw;
  return raw
    .toLowerCase()
    .replace(/^([+-]?[\d.]+e)(?:\+|(-))?0*(?=\d)/, "$1$2")
    .replace(/^([+-]?[\d.]+)e[+-]?0+$/, "$1")
    .replace(/^([+-])?\./, "$10.")
    .replace(/(\.\d+?)0+(?=e|$)/, "$1")
    .replace(/\.(?=e|$)/, "");
}

function isStringLiteral(node: T.Node | undefined): node is T.Literal {
  return node?.type === "Literal" && typeof node.value === "string";
}

function isNumericLiteral(node: T.Node | undefined): node is T.Literal {
  return node?.type === "Literal" && typeof node.value === "number";
}

function isSignedNumericLiteral(node: T.Node): boolean {
  return node.type === "UnaryExpression" && (node.operator === "+" || node.operator === "-") && isNumericLiteral(node.argument);
}

// --- arrays and objects ----------------------------------------------------------------------------

export function printArray(p: Printer, node: T.ArrayExpression | T.TupleType): Doc {
  const elements: readonly T.Node[] = node.type === "ArrayExpression" ? node.elements : node.elementTypes;
  const key = node.type === "ArrayExpression" ? "elements" : "elementTypes";
  if (elements.length === 0) return group(["[", "]"]);
  const id = Symbol("array");
  // Two or more objects (or arrays) of more than one entry each: one per line, whether or not they fit.
  const shouldBreak =
    elements.length > 1 &&
    elements.every((element, i) => {
      if (element.type !== "ArrayExpression" && element.type !== "ObjectExpression") return false;
      const next = elements[i + 1];
      if (next && next.type !== element.type) return false;
      return (element.type === "ArrayExpression" ? element.elements.length : element.properties.length) > 1;
    });
  const concise = node.type === "ArrayExpression" && isConciselyPrintedArray(node);
  const trailingComma = concise ? ifBreak(",", "", id) : ifBreak(",");
  const content = concise ? printArrayConcisely(p, node as T.ArrayExpression, trailingComma) : [printArrayElements(p, elements, key), trailingComma];
  return group(["[", indent([softline, content]), softline, "]"], { shouldBreak, id });
}

/** An array of numbers only, filled line by line. */
function isConciselyPrintedArray(node: T.Node): boolean {
  return node.type === "ArrayExpression" && node.elements.length > 0 && node.elements.every((e) => isNumericLiteral(e) || isSignedNumericLiteral(e));
}

function printArrayElements(p: Printer, elements: readonly T.Node[], key: string): Doc {
  const parts: Doc[] = [];
  elements.forEach((element, i) => {
    parts.push(group(p.print(element, key)));
    if (i < elements.length - 1) {
      if (isLineAfterElementEmpty(p.text, element)) throw new Unsupported("a blank line in an array");
      parts.push([",", line, ""]);
    }
  });
  return parts;
}

function printArrayConcisely(p: Printer, node: T.ArrayExpression, trailingComma: Doc): Doc {
  const parts: Doc[] = [];
  node.elements.forEach((element, i) => {
    const last = i === node.elements.length - 1;
    parts.push([p.print(element, "elements"), last ? trailingComma : ","]);
    if (!last) {
      if (isLineAfterElementEmpty(p.text, element)) throw new Unsupported("a blank line in an array");
      parts.push(line);
    }
  });
  return fill(parts);
}

function isLineAfterElementEmpty(text: string, element: T.Node): boolean {
  let i = element.end;
  while (i < text.length && text[i] !== ",") i++;
  return isNextLineEmpty(text, i);
}

/** Object literals and object type literals: one line when they fit and were written on one. */
export function printObject(p: Printer, node: T.ObjectExpression | T.TypeLiteral): Doc {
  const members: readonly (T.Property | T.PropertySignature | T.IndexSignature)[] = node.type === "ObjectExpression" ? node.properties : node.members;
  if (members.length === 0) return "{}";
  const key = node.type === "ObjectExpression" ? "properties" : "members";
  const separator = node.type === "ObjectExpression" ? "," : ";";
  // `objectWrap: "preserve"`: a line break after `{` in the source keeps the object broken.
  const shouldBreak = hasNewlineInRange(p.text, node.start, members[0]!.start);
  let separatorParts: Doc[] = [];
  const props = members.map((member) => {
    const result = [...separatorParts, group(p.print(member, key))];
    separatorParts = [separator, line];
    if (isNextLineEmpty(p.text, member.end)) separatorParts.push(hardline);
    return result;
  });
  const content: Doc = ["{", indent([line, ...props]), ifBreak(separator), line, "}"];
  // The object type of a function's only parameter hugs its parentheses.
  if (node.type === "TSTypeLiteral" && p.ancestor()?.type === "TSTypeAnnotation" && p.ancestor(1)?.type === "Identifier" && p.ancestorKey(1) === "params") {
    const fn = p.ancestor(2);
    if (fn && (fn.type === "FunctionDeclaration" || fn.type === "MethodDefinition" || fn.type === "TSAbstractMethodDefinition" || fn.type === "ArrowFunctionExpression") && shouldHugTheOnlyParameter(fn.params)) return content;
  }
  return group(content, { shouldBreak });
}

/** A property's key: unquoted where a quoted one is a plain identifier (`quoteProps: "as-needed"`). */
export function printPropertyKey(p: Printer, node: T.Property | T.PropertySignature): Doc {
  const { key } = node;
  if (key.type === "Literal" && typeof key.value === "string") {
    const content = key.raw.slice(1, -1);
    if (!content.includes("\\") && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(content)) return content;
  }
  return p.print(key, "key");
}

// --- assignments -----------------------------------------------------------------------------------

type AssignmentLayout = "break-after-operator" | "never-break-after-operator" | "fluid" | "break-lhs" | "only-left";

/** The node that assigns (an assignment, a declaration, a property): its value under `rightKey`. */
type Assigning = T.AssignmentExpression | T.VariableDeclaration | T.Property | T.PropertyDefinition;

function rightOf(node: Assigning, rightKey: string | undefined): T.Expression | undefined {
  if (rightKey === undefined) return undefined;
  return (node as unknown as Record<string, T.Expression | undefined>)[rightKey];
}

/** `left = right`, `left: right`: the layout prettier picks, then its document. */
export function printAssignment(p: Printer, leftDoc: Doc, operator: Doc, rightKey: string | undefined): Doc {
  const node = p.node as Assigning;
  const right = rightOf(node, rightKey);
  const layout = chooseLayout(node, leftDoc, right);
  const rightDoc = right ? p.print(right, rightKey!, { assignmentLayout: layout }) : "";
  switch (layout) {
    case "break-after-operator":
      return group([group(leftDoc), operator, group(indent([line, rightDoc]))]);
    case "never-break-after-operator":
      return group([group(leftDoc), operator, " ", rightDoc]);
    case "fluid": {
      const id = Symbol("assignment");
      return group([group(leftDoc), operator, group(indent(line), { id }), indentIfBreak(rightDoc, id)]);
    }
    case "break-lhs":
      return group([leftDoc, operator, " ", group(rightDoc)]);
    case "only-left":
      return leftDoc;
  }
}

function chooseLayout(node: Assigning, leftDoc: Doc, right: T.Expression | undefined): AssignmentLayout {
  if (!right) return "only-left";
  if (right.type === "CallExpression" && right.callee.type === "Identifier" && right.callee.name === "require") return "never-break-after-operator";
  const canBreakLeft = canBreak(leftDoc);
  if (hasComplexTypeAnnotation(node) || (node.type === "VariableDeclaration" && right.type === "ArrowFunctionExpression" && canBreakLeft)) return "break-lhs";
  const keyText = node.type === "Property" ? textOf(leftDoc) : undefined;
  const hasShortKey = keyText !== undefined && keyText.length < 2 + 3;
  if (shouldBreakAfterOperator(right, hasShortKey)) return "break-after-operator";
  if (!canBreakLeft && (hasShortKey || right.type === "TemplateLiteral" || (right.type === "Literal" && (typeof right.value === "boolean" || typeof right.value === "number")))) return "never-break-after-operator";
  return "fluid";
}

/** The text of a document made of strings only (prettier's `cleanDoc` reducing it to one string). */
function textOf(doc: Doc): string | undefined {
  if (typeof doc === "string") return doc;
  if (!Array.isArray(doc)) return undefined;
  let out = "";
  for (const part of doc as readonly Doc[]) {
    const text = textOf(part);
    if (text === undefined) return undefined;
    out += text;
  }
  return out;
}

function hasComplexTypeAnnotation(node: Assigning): boolean {
  if (node.type !== "VariableDeclaration") return false;
  const type = node.id.typeAnnotation?.typeAnnotation;
  if (type?.type !== "TSTypeReference" || !type.typeArguments || type.typeArguments.length < 2) return false;
  return type.typeArguments.some((arg) => arg.type === "TSTypeReference" && arg.typeArguments !== undefined && arg.typeArguments.length > 0);
}

function shouldBreakAfterOperator(right: T.Expression, hasShortKey: boolean): boolean {
  if ((right.type === "BinaryExpression" || right.type === "LogicalExpression") && !shouldInlineLogicalExpression(right)) return true;
  if (right.type === "ConditionalExpression") {
    const { test } = right;
    return (test.type === "BinaryExpression" || test.type === "LogicalExpression") && !shouldInlineLogicalExpression(test);
  }
  if (hasShortKey) return false;
  let node: T.Expression = right;
  while (node.type === "UnaryExpression") node = node.argument;
  return isStringLiteral(node) || isPoorlyBreakableMemberOrCallChain(node, false);
}

/** A chain of members and calls without arguments, or with one short one: breaking it helps nothing. */
function isPoorlyBreakableMemberOrCallChain(node: T.Expression, deep: boolean): boolean {
  if (node.type === "CallExpression") {
    const poor = node.arguments.length === 0 || (node.arguments.length === 1 && isLoneShortArgument(node.arguments[0]!));
    if (!poor) return false;
    const typeArgs = node.typeArguments;
    if (typeArgs && (typeArgs.length > 1 || (typeArgs.length === 1 && (typeArgs[0]!.type === "TSUnionType" || typeArgs[0]!.type === "TSIntersectionType" || typeArgs[0]!.type === "TSTypeLiteral")))) return false;
    if (typeArgs) throw new Unsupported("type arguments in a short call chain");
    return isPoorlyBreakableMemberOrCallChain(node.callee, true);
  }
  if (node.type === "MemberExpression") return isPoorlyBreakableMemberOrCallChain(node.object, true);
  return deep && (node.type === "Identifier" || node.type === "ThisExpression");
}

const SHORT = 100 * 0.25;

function isLoneShortArgument(node: T.Expression): boolean {
  if (node.type === "ThisExpression" || (node.type === "Identifier" && node.name.length <= SHORT) || isSignedNumericLiteral(node)) return true;
  if (node.type === "Literal") return typeof node.value !== "string" || printString(node.raw).length <= SHORT;
  if (node.type === "TemplateLiteral") return node.raw.length <= SHORT && !node.raw.includes("\n");
  if (node.type === "UnaryExpression") return isLoneShortArgument(node.argument);
  return node.type === "CallExpression" && node.arguments.length === 0 && node.callee.type === "Identifier" && node.callee.name.length <= SHORT - 2;
}

// --- binary expressions ----------------------------------------------------------------------------

type Binary = T.BinaryExpression;

function isBinaryish(node: T.Node): node is Binary {
  return node.type === "BinaryExpression" || node.type === "LogicalExpression";
}

/** `a || {…}` and `a || […]` keep the operand on the operator's line. */
function shouldInlineLogicalExpression(node: Binary): boolean {
  if (node.type !== "LogicalExpression") return false;
  if (node.right.type === "ObjectExpression" && node.right.properties.length > 0) return true;
  return node.right.type === "ArrayExpression" && node.right.elements.length > 0;
}

export function printBinaryish(p: Printer, node: Binary): Doc {
  const parent = p.parent;
  const key = p.key;
  const grandparent = p.ancestor(1);
  const insideParens = key !== "body" && (parent.type === "IfStatement" || parent.type === "SwitchStatement");
  const parts = printBinaryishParts(p, node, insideParens);
  if (insideParens) return parts;
  if ((key === "callee" && (parent.type === "CallExpression" || parent.type === "NewExpression")) || parent.type === "UnaryExpression" || (parent.type === "MemberExpression" && !parent.computed)) {
    return group([indent([softline, ...parts]), softline]);
  }
  const shouldNotIndent =
    parent.type === "ReturnStatement" ||
    (key === "body" && parent.type === "ArrowFunctionExpression") ||
    (key !== "body" && parent.type === "ForStatement") ||
    (parent.type === "ConditionalExpression" && grandparent?.type !== "ReturnStatement" && grandparent?.type !== "CallExpression" && grandparent?.type !== "NewExpression") ||
    (key === "arguments" && parent.type === "CallExpression" && parent.callee.type === "Identifier" && parent.callee.name === "Boolean" && parent.arguments.length === 1);
  const shouldIndentIfInlining = parent.type === "AssignmentExpression" || parent.type === "VariableDeclaration" || parent.type === "PropertyDefinition" || parent.type === "Property";
  const samePrecedenceSubExpression = isBinaryish(node.left) && shouldFlatten(node.operator, node.left.operator);
  const inline = shouldInlineLogicalExpression(node);
  if (shouldNotIndent || (inline && !samePrecedenceSubExpression) || (!inline && shouldIndentIfInlining)) return group(parts);
  const firstGroup = parts.findIndex((part) => typeof part === "object" && !Array.isArray(part) && (part as { type: string }).type === "group");
  const head = parts.slice(0, firstGroup === -1 ? 1 : firstGroup + 1);
  const rest = parts.slice(head.length);
  return group([...head, indent(rest)], { id: Symbol("logicalChain") });
}

/** The operands and operators of a chain of the same precedence, flattened: `a && b && c`. */
function printBinaryishParts(p: Printer, node: Binary, insideParens: boolean): Doc[] {
  const parent = p.parent;
  let parts: Doc[];
  if (isBinaryish(node.left) && shouldFlatten(node.operator, node.left.operator)) {
    const left = node.left;
    parts = p.call(left, "left", () => printBinaryishParts(p, left, insideParens));
  } else {
    parts = [group(p.print(node.left, "left"))];
  }
  const rightDoc = p.print(node.right, "right");
  let right: Doc = shouldInlineLogicalExpression(node) ? [node.operator, " ", rightDoc] : [node.operator, line, rightDoc];
  const shouldGroup = !(insideParens && node.type === "LogicalExpression") && parent.type !== node.type && node.left.type !== node.type && node.right.type !== node.type;
  if (shouldGroup) right = group(right);
  parts.push(" ", right);
  return parts;
}

// --- members and calls -----------------------------------------------------------------------------

export function printMember(p: Printer, node: T.MemberExpression): Doc {
  const objectDoc = p.print(node.object, "object");
  const lookup = printMemberLookup(p, node);
  const parent = p.parent;
  let firstNonMember: T.Node | undefined;
  for (let level = 0; ; level++) {
    const ancestor = p.ancestor(level);
    if (!ancestor || ancestor.type !== "MemberExpression") {
      firstNonMember = ancestor;
      break;
    }
  }
  const shouldInline =
    (firstNonMember?.type === "AssignmentExpression" && firstNonMember.left.type !== "Identifier") ||
    inlinesNewCallee(p) ||
    node.computed ||
    (node.object.type === "Identifier" && node.property.type === "Identifier" && parent.type !== "MemberExpression") ||
    ((parent.type === "AssignmentExpression" || parent.type === "VariableDeclaration") && node.object.type === "CallExpression" && node.object.arguments.length > 0);
  const objectLabel = typeof objectDoc === "object" && !Array.isArray(objectDoc) && (objectDoc as Label).type === "label" ? (objectDoc as Label).label : undefined;
  const doc: Doc = [objectDoc, shouldInline ? lookup : group(indent([softline, lookup]))];
  return objectLabel ? label(objectLabel, doc) : doc;
}

/** Whether the member expression is (through member objects) the callee of a `new`. */
function inlinesNewCallee(p: Printer): boolean {
  let child: T.Node = p.node;
  for (let level = 0; ; level++) {
    const ancestor = p.ancestor(level);
    if (!ancestor) return false;
    if (!(ancestor.type === "MemberExpression" && ancestor.object === child)) return ancestor.type === "NewExpression" && ancestor.callee === child;
    child = ancestor;
  }
}

function printMemberLookup(p: Printer, node: T.MemberExpression): Doc {
  const property = p.print(node.property, "property");
  if (!node.computed) return [".", property];
  if (isNumericLiteral(node.property)) return ["[", property, "]"];
  return group(["[", indent([softline, property]), softline, "]"]);
}

const TEST_CALLEES = /^(?:skip|[fx]?(?:it|describe|test)|beforeEach|afterEach|beforeAll|afterAll|define|require)$/;

export function printCall(p: Printer, node: T.CallExpression): Doc {
  const typeArgs = node.typeArguments ? printTypeArguments(p, node.typeArguments, "typeArguments") : "";
  if (node.type === "NewExpression") return ["new ", p.print(node.callee, "callee"), typeArgs, printCallArguments(p, node)];
  if (node.callee.type === "Identifier" && TEST_CALLEES.test(node.callee.name)) throw new Unsupported(`a call of '${node.callee.name}'`);
  if (node.callee.type === "MemberExpression") return printMemberChain(p, node, typeArgs);
  if (node.callee.type === "CallExpression") throw new Unsupported("a curried call");
  return [p.print(node.callee, "callee"), typeArgs, printCallArguments(p, node)];
}

interface ChainLink {
  readonly node: T.Node;
  readonly printed: Doc;
}

/**
 * A call on a member (`a.b.c(…)`): prettier's member chain, for chains short enough to print on one
 * line (two groups, or three when the first is a factory or `this`). Longer chains are not ported.
 */
function printMemberChain(p: Printer, node: T.CallExpression, typeArgs: Doc): Doc {
  const links: ChainLink[] = [{ node, printed: [typeArgs, printCallArguments(p, node)] }];
  const walk = (member: T.MemberExpression, key: string): void => {
    p.call(member, key, () => {
      links.unshift({ node: member, printed: printMemberLookup(p, member) });
      const object = member.object;
      if (object.type === "MemberExpression") walk(object, "object");
      else if (object.type === "CallExpression") throw new Unsupported("a chain of calls");
      else links.unshift({ node: object, printed: p.print(object, "object") });
    });
  };
  walk(node.callee as T.MemberExpression, "callee");

  const isMember = (link: ChainLink | undefined) => link?.node.type === "MemberExpression";
  const groups: ChainLink[][] = [];
  let current: ChainLink[] = [links[0]!];
  let i = 1;
  for (; i < links.length; i++) {
    const link = links[i]!;
    if (link.node.type === "CallExpression" || (link.node.type === "MemberExpression" && link.node.computed && isNumericLiteral(link.node.property))) current.push(link);
    else break;
  }
  for (; i + 1 < links.length; i++) {
    if (isMember(links[i]) && isMember(links[i + 1])) current.push(links[i]!);
    else break;
  }
  groups.push(current);
  current = [];
  let seenCall = false;
  for (; i < links.length; i++) {
    const link = links[i]!;
    if (seenCall && isMember(link)) {
      groups.push(current);
      current = [];
      seenCall = false;
    }
    if (link.node.type === "CallExpression") seenCall = true;
    current.push(link);
  }
  if (current.length > 0) groups.push(current);

  const isFactory = (name: string) => /^[A-Z]|^[$_]+$/.test(name);
  const isExpressionStatement = p.parent.type === "ExpressionStatement";
  const shouldNotWrap = (): boolean => {
    const hasComputed = (groups[1]?.[0]?.node as T.MemberExpression | undefined)?.computed === true;
    if (groups[0]!.length === 1) {
      const first = groups[0]![0]!.node;
      return first.type === "ThisExpression" || (first.type === "Identifier" && (isFactory(first.name) || (isExpressionStatement && first.name.length <= 2) || hasComputed));
    }
    const last = groups[0]!.at(-1)!.node;
    return last.type === "MemberExpression" && last.property.type === "Identifier" && (isFactory(last.property.name) || hasComputed);
  };
  const cutoff = groups.length >= 2 && shouldNotWrap() ? 3 : 2;
  if (groups.length > cutoff) throw new Unsupported("a long member chain");
  return group(groups.map((g) => g.map((link) => link.printed)));
}

function printCallArguments(p: Printer, node: T.CallExpression): Doc {
  const args = node.arguments;
  if (args.length === 0) return "()";
  const printed = args.map((arg, i): Doc => {
    const doc = p.print(arg, "arguments");
    if (i === args.length - 1) return doc;
    if (isNextLineEmpty(p.text, arg.end)) throw new Unsupported("a blank line between arguments");
    return [doc, ",", line];
  });
  const allBrokenOut = () => group(["(", indent([line, ...printed]), ",", line, ")"], { shouldBreak: true });
  if (isFunctionCompositionArgs(args)) return allBrokenOut();
  if (shouldExpandLastArg(args)) {
    const head = printed.slice(0, -1);
    if (head.some(willBreak)) return allBrokenOut();
    const last = p.print(args.at(-1)!, "arguments", { expandLastArg: true });
    if (willBreak(last)) return [breakParent, conditionalGroup([["(", ...head, group(last, { shouldBreak: true }), ")"], allBrokenOut()])];
    return conditionalGroup([["(", ...head, last, ")"], ["(", ...head, group(last, { shouldBreak: true }), ")"], allBrokenOut()]);
  }
  return group(["(", indent([softline, ...printed]), ifBreak(","), softline, ")"], { shouldBreak: printed.some(willBreak) });
}

function isFunctionCompositionArgs(args: readonly T.Expression[]): boolean {
  if (args.length <= 1) return false;
  let functions = 0;
  for (const arg of args) {
    if (arg.type === "ArrowFunctionExpression") {
      if (++functions > 1) return true;
    } else if (arg.type === "CallExpression" && arg.arguments.some((a) => a.type === "ArrowFunctionExpression")) {
      return true;
    }
  }
  return false;
}

function shouldExpandLastArg(args: readonly T.Expression[]): boolean {
  const last = args.at(-1)!;
  const penultimate = args.at(-2);
  return (
    couldExpandArg(last) &&
    (!penultimate || penultimate.type !== last.type) &&
    (args.length !== 2 || penultimate!.type !== "ArrowFunctionExpression" || last.type !== "ArrayExpression") &&
    !(args.length > 1 && isConciselyPrintedArray(last))
  );
}

function couldExpandArg(arg: T.Expression): boolean {
  if (arg.type === "ObjectExpression") return arg.properties.length > 0;
  if (arg.type === "ArrayExpression") return arg.elements.length > 0;
  if (arg.type === "ArrowFunctionExpression") {
    // Bodies that are objects, arrays, calls or conditionals are not printed by this formatter (see below).
    return false;
  }
  return false;
}

// --- arrow functions -------------------------------------------------------------------------------

/** `(a) => b` with a body that is a name, a member or a literal: it breaks after the arrow. */
export function printArrowFunction(p: Printer, node: T.ArrowFunctionExpression, args: PrintArgs): Doc {
  const body = node.body;
  if (body.type !== "Identifier" && body.type !== "MemberExpression" && body.type !== "Literal" && body.type !== "ThisExpression") throw new Unsupported("an arrow function with a complex body");
  if (args.expandLastArg) throw new Unsupported("an expanded arrow function");
  const signature = group([printParameters(p, node.params), ""]);
  const bodyDoc = p.print(body, "body", args);
  return group([group(signature), " =>", group([indent([line, bodyDoc]), "", ""]), ""]);
}
