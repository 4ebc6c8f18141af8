/**
 * Prints the TypeScript jamp-gen generates as prettier prints it: the syntax tree of `ts-parse.ts` becomes
 * the documents prettier's TypeScript printer builds for the same code (its rules ported one by one, for
 * the node types of `ts-syntax.ts`), laid out by `doc.ts`. This file holds the walk, comments,
 * parentheses and statements; `ts-print-expressions.ts` and `ts-print-types.ts` the rest. A construct
 * whose printing is not ported throws `Unsupported`, and the formatter gives the file to prettier.
 *
 * Options are prettier's with jamp-gen's settings: 100 columns, two spaces, double quotes, semicolons,
 * trailing commas everywhere, bracket spacing, arrow parentheses always, `objectWrap: preserve`.
 */
import { align, comment, type Doc, group, hardline, ifBreak, indent, join, label, type Label, layout, line, softline, Unsupported, willBreak } from "./doc.js";
import { printArrowFunction, printAssignment, printBinaryish, printCall, printLiteral, printMember, printObject, printArray, printPropertyKey } from "./ts-print-expressions.js";
import { parseTypeScript, precedenceOf } from "./ts-parse.js";
import type * as T from "./ts-syntax.js";
import { printType } from "./ts-print-types.js";

export const PRINT_WIDTH = 100;

/** What a parent asks of a child's printing (prettier's `args`). */
export interface PrintArgs {
  readonly expandLastArg?: boolean;
  readonly assignmentLayout?: string;
}

/** The walk: the path from the root to the node being printed, as prettier's `AstPath`. */
export class Printer {
  readonly #stack: { node: T.Node; key: string }[] = [];

  constructor(readonly text: string) {}

  get node(): T.Node {
    return this.#stack.at(-1)!.node;
  }

  /** The property of the parent holding the node (`"callee"`, `"arguments"`, ...). */
  get key(): string {
    return this.#stack.at(-1)!.key;
  }

  /** The ancestor `level` steps up (0: the parent). */
  ancestor(level = 0): T.Node | undefined {
    return this.#stack.at(-2 - level)?.node;
  }

  /** The key under which the ancestor `level` steps up sits in its own parent. */
  ancestorKey(level = 0): string | undefined {
    return this.#stack.at(-2 - level)?.key;
  }

  get parent(): T.Node {
    const parent = this.ancestor();
    if (!parent) throw new Unsupported("a node without a parent");
    return parent;
  }

  /** Prints a child: its own document, in parentheses where prettier puts them, after its comments. */
  print(node: T.Node, key: string, args: PrintArgs = {}): Doc {
    return this.call(node, key, () => {
      let doc = printNode(this, node, args);
      if (needsParens(this)) doc = inheritLabel(doc, (inner) => ["(", inner, ")"]);
      if (node.comments) doc = [node.comments.map((c) => printLeadingComment(this.text, c)), doc];
      return doc;
    });
  }

  /** Runs `fn` with `node` (the parent's `key`) at the top of the walk, as prettier's `path.call`. */
  call<R>(node: T.Node, key: string, fn: () => R): R {
    this.#stack.push({ node, key });
    try {
      return fn();
    } finally {
      this.#stack.pop();
    }
  }

  /** Whether the node at the top of the walk gets parentheses. */
  needsParens(): boolean {
    return needsParens(this);
  }

  /** Prints the root. */
  root(program: T.Program): Doc {
    this.#stack.push({ node: program, key: "" });
    try {
      return printStatements(this, program.body, "body");
    } finally {
      this.#stack.pop();
    }
  }
}

/** `fn(doc)`, keeping `doc`'s label on the result (prettier's `inheritLabel`). */
export function inheritLabel(doc: Doc, fn: (doc: Doc) => Doc): Doc {
  if (typeof doc === "object" && !Array.isArray(doc) && (doc as Label).type === "label") {
    const labelled = doc as Label;
    return label(labelled.label, fn(labelled.contents));
  }
  return fn(doc);
}

/**
 * Formats a chunk of generated TypeScript exactly as prettier would, or throws `Unsupported` when it
 * holds something this printer does not handle. The result has no line break at either end.
 */
export function formatTypeScript(text: string): string {
  const program = parseTypeScript(text);
  return layout(new Printer(text).root(program), PRINT_WIDTH).trim();
}

function printNode(p: Printer, node: T.Node, args: PrintArgs): Doc {
  switch (node.type) {
    case "ImportDeclaration":
      return printImport(p, node);
    case "ExportAllDeclaration":
      return ["export", " *", " from", " ", p.print(node.source, "source"), ";"];
    case "ExportNamedDeclaration":
      return ["export", " ", p.print(node.declaration, "declaration")];
    case "FunctionDeclaration":
      return ["function ", p.print(node.id, "id"), printSignature(p, node), " ", p.print(node.body, "body")];
    case "ClassDeclaration":
      return printClass(p, node);
    case "ClassBody":
      return printClassBody(p, node);
    case "PropertyDefinition": {
      const parts: Doc[] = [node.readonly ? "readonly " : "", p.print(node.key, "key"), node.typeAnnotation ? p.print(node.typeAnnotation, "typeAnnotation") : ""];
      return [printAssignment(p, parts, " =", node.value ? "value" : undefined), ";"];
    }
    case "MethodDefinition":
    case "TSAbstractMethodDefinition":
      return [node.type === "TSAbstractMethodDefinition" ? "abstract " : "", p.print(node.key, "key"), printSignature(p, node), node.body ? [" ", p.print(node.body, "body")] : ";"];
    case "VariableDeclaration":
      return printVariable(p, node);
    case "ExpressionStatement":
      return [p.print(node.expression, "expression"), ";"];
    case "ReturnStatement":
      return printReturn(p, node);
    case "IfStatement":
      return printIf(p, node);
    case "ForStatement":
      return group([
        "for (",
        group([indent([softline, p.print(node.init, "init"), ";", line, p.print(node.test, "test"), ";", [line, p.print(node.update, "update")]]), softline]),
        ")",
        printClause(p, node.body, "body"),
      ]);
    case "ForInStatement":
    case "ForOfStatement":
      return group(["for (", p.print(node.left, "left"), node.type === "ForInStatement" ? " in " : " of ", p.print(node.right, "right"), ")", printClause(p, node.body, "body")]);
    case "SwitchStatement":
      return printSwitch(p, node);
    case "SwitchCase": {
      const parts: Doc[] = node.test ? ["case ", p.print(node.test, "test"), ":"] : ["default:"];
      if (node.consequent.length > 0) {
        const body = printStatements(p, node.consequent, "consequent");
        parts.push(node.consequent.length === 1 && node.consequent[0]!.type === "BlockStatement" ? [" ", body] : indent([hardline, body]));
      }
      return parts;
    }
    case "BreakStatement":
      return "break;";
    case "ContinueStatement":
      return "continue;";
    case "BlockStatement":
      return printBlock(p, node);
    case "AssignmentPattern":
      return [p.print(node.left, "left"), " = ", p.print(node.right, "right")];
    case "Identifier":
      return [node.name, node.optional ? "?" : "", node.typeAnnotation ? p.print(node.typeAnnotation, "typeAnnotation") : ""];
    case "PrivateIdentifier":
      return ["#", node.name];
    case "ThisExpression":
      return "this";
    case "Literal":
      return printLiteral(node);
    case "TemplateLiteral":
      if (node.raw.includes("\n")) throw new Unsupported("a template literal over several lines");
      return ["`", node.raw, "`"];
    case "ArrayExpression":
      return printArray(p, node);
    case "ObjectExpression":
      return printObject(p, node);
    case "Property":
      return printAssignment(p, printPropertyKey(p, node), ":", "value");
    case "ArrowFunctionExpression":
      return printArrowFunction(p, node, args);
    case "UnaryExpression":
      return [node.operator, /[a-z]$/.test(node.operator) ? " " : "", p.print(node.argument, "argument")];
    case "UpdateExpression":
      return node.prefix ? [node.operator, p.print(node.argument, "argument")] : [p.print(node.argument, "argument"), node.operator];
    case "BinaryExpression":
    case "LogicalExpression":
      return printBinaryish(p, node);
    case "AssignmentExpression":
      if (node.right.type === "AssignmentExpression") throw new Unsupported("an assignment chain");
      return printAssignment(p, p.print(node.left, "left"), [" ", node.operator], "right");
    case "ConditionalExpression":
      return printConditional(p, node);
    case "MemberExpression":
      return printMember(p, node);
    case "CallExpression":
    case "NewExpression":
      return printCall(p, node);
    default:
      return printType(p, node, args);
  }
}

// --- comments -------------------------------------------------------------------------------------

/** A comment on its own line before a statement or member, and the line break(s) after it. */
function printLeadingComment(text: string, c: T.Comment): Doc {
  const parts: Doc[] = [printComment(text, c)];
  if (c.block) {
    // A block comment is always followed by a line break here; the one before it may be missing at the start.
    parts.push(hasNewline(text, c.start, true) ? hardline : line);
  } else {
    parts.push(hardline);
  }
  const index = skipNewline(text, skipSpaces(text, c.end));
  if (index !== false && hasNewline(text, index, false)) parts.push(hardline);
  return parts;
}

function printComment(text: string, c: T.Comment): Doc {
  if (!c.block) return comment(text.slice(c.start, c.end).trimEnd());
  const lines = c.value.split("\n");
  const indentable = `*${c.value}*`.split("\n");
  if (indentable.length > 1 && indentable.every((l) => l.trimStart()[0] === "*")) {
    return ["/*", join(hardline, lines.map((l, i) => comment(i === 0 ? l.trimEnd() : ` ${i < lines.length - 1 ? l.trim() : l.trimStart()}`))), "*/"];
  }
  if (lines.length > 1) throw new Unsupported("a block comment over several lines not starting with '*'");
  return comment(`/*${c.value}*/`);
}

// --- text helpers, as prettier's ---------------------------------------------------------------------

/** The index after spaces and tabs from `index` (backwards: before it), or the end reached. */
export function skipSpaces(text: string, index: number, backwards = false): number {
  let i = index;
  while (i >= 0 && i < text.length && (text[i] === " " || text[i] === "\t")) i += backwards ? -1 : 1;
  return i;
}

/** The index after one line break at `index` (backwards: before it), or `index`. */
export function skipNewline(text: string, index: number | false, backwards = false): number | false {
  if (index === false) return false;
  const c = text[index];
  if (backwards) {
    if (text[index - 1] === "\r" && c === "\n") return index - 2;
    return c === "\n" || c === "\r" ? index - 1 : index;
  }
  if (c === "\r" && text[index + 1] === "\n") return index + 2;
  return c === "\n" || c === "\r" ? index + 1 : index;
}

/** Whether a line break follows `index` after spaces (backwards: precedes it). */
export function hasNewline(text: string, index: number, backwards: boolean): boolean {
  const i = skipSpaces(text, backwards ? index - 1 : index, backwards);
  return skipNewline(text, i, backwards) !== i;
}

export function hasNewlineInRange(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text[i] === "\n") return true;
  return false;
}

/** Whether the line after the one `index` is on is empty (prettier's `isNextLineEmpty`). */
export function isNextLineEmpty(text: string, index: number): boolean {
  let i = index;
  for (;;) {
    const before = i;
    while (i < text.length && (text[i] === "," || text[i] === ";" || text[i] === " " || text[i] === "\t")) i++;
    if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end >= 0 && !hasNewlineInRange(text, i, end)) i = end + 2;
    }
    if (i === before) break;
  }
  if (text.startsWith("//", i)) while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
  const next = skipNewline(text, i);
  return next !== false && next !== i && hasNewline(text, next, false);
}

// --- parentheses -----------------------------------------------------------------------------------

const BINARYISH = new Set(["BinaryExpression", "LogicalExpression"]);

/** Whether prettier wraps the node at the top of the walk in parentheses (the cases this subset meets). */
function needsParens(p: Printer): boolean {
  const node = p.node;
  const parent = p.ancestor();
  if (!parent) return false;
  const key = p.key;
  switch (node.type) {
    case "UnaryExpression":
    case "UpdateExpression":
      if (node.type === "UpdateExpression" && parent.type === "UnaryExpression") return node.prefix && ((node.operator === "++" && parent.operator === "+") || (node.operator === "--" && parent.operator === "-"));
      switch (parent.type) {
        case "UnaryExpression":
          return node.operator === parent.operator && (node.operator === "+" || node.operator === "-");
        case "MemberExpression":
          return key === "object";
        case "CallExpression":
        case "NewExpression":
          return key === "callee";
        case "BinaryExpression":
          if (key === "left" && node.type === "UnaryExpression" && (parent.operator === "in" || parent.operator === "instanceof")) return true;
          return key === "left" && parent.operator === "**";
        default:
          return false;
      }
    case "BinaryExpression":
    case "LogicalExpression":
      switch (parent.type) {
        case "CallExpression":
        case "NewExpression":
          return key === "callee";
        case "UpdateExpression":
        case "UnaryExpression":
          return true;
        case "MemberExpression":
          return key === "object";
        case "LogicalExpression":
        case "BinaryExpression": {
          if (parent.type === "LogicalExpression" && node.type === "LogicalExpression") return parent.operator !== node.operator;
          const precedence = precedenceOf(node.operator);
          const parentPrecedence = precedenceOf(parent.operator);
          if (parentPrecedence > precedence) return true;
          if (key === "right" && parentPrecedence === precedence) return true;
          if (parentPrecedence === precedence && !shouldFlatten(parent.operator, node.operator)) return true;
          if (parentPrecedence < precedence && node.operator === "%") return parent.operator === "+" || parent.operator === "-";
          return isBitwise(parent.operator);
        }
        case "ForStatement":
          if (node.operator === "in" && key === "init") throw new Unsupported("'in' in a for loop's initialiser");
          return false;
        default:
          return false;
      }
    case "AssignmentExpression":
      if ((key === "init" || key === "update") && parent.type === "ForStatement") return false;
      if (key === "expression" && parent.type === "ExpressionStatement") return false;
      return parent.type !== "AssignmentExpression";
    case "ArrowFunctionExpression":
      switch (parent.type) {
        case "BinaryExpression":
        case "LogicalExpression":
        case "UnaryExpression":
          return true;
        case "CallExpression":
        case "NewExpression":
          return key === "callee";
        case "MemberExpression":
          return key === "object";
        default:
          return false;
      }
    case "Literal":
      if (typeof node.value === "string" && parent.type === "ExpressionStatement") throw new Unsupported("a string statement");
      return key === "object" && parent.type === "MemberExpression" && typeof node.value === "number";
    case "ObjectExpression":
      if (parent.type === "ExpressionStatement" || parent.type === "ArrowFunctionExpression") throw new Unsupported("an object at the start of a statement or arrow body");
      return false;
    case "TSUnionType":
    case "TSIntersectionType":
    case "TSTypeOperator":
      if (node.type !== "TSTypeOperator" && (parent.type === "TSUnionType" || parent.type === "TSIntersectionType")) return true;
      return parent.type === "TSArrayType" || parent.type === "TSOptionalType" || parent.type === "TSRestType" || parent.type === "TSTypeOperator";
    default:
      if (BINARYISH.has(parent.type) && node.type === "ConditionalExpression") return true;
      return false;
  }
}

const EQUALITY = new Set(["==", "===", "!=", "!=="]);
const MULTIPLICATIVE = new Set(["*", "/", "%"]);
const BITSHIFT = new Set([">>", ">>>", "<<"]);

/** Whether `a op b op c` prints without parentheses (prettier's `shouldFlatten`). */
export function shouldFlatten(parentOperator: string, operator: string): boolean {
  if (precedenceOf(operator) !== precedenceOf(parentOperator)) return false;
  if (parentOperator === "**") return false;
  if (EQUALITY.has(parentOperator) && EQUALITY.has(operator)) return false;
  if ((operator === "%" && MULTIPLICATIVE.has(parentOperator)) || (parentOperator === "%" && MULTIPLICATIVE.has(operator))) return false;
  if (operator !== parentOperator && MULTIPLICATIVE.has(operator) && MULTIPLICATIVE.has(parentOperator)) return false;
  if (BITSHIFT.has(parentOperator) && BITSHIFT.has(operator)) return false;
  return true;
}

function isBitwise(operator: string): boolean {
  return operator === "|" || operator === "^" || operator === "&" || BITSHIFT.has(operator);
}

// --- statements ------------------------------------------------------------------------------------

/** Statements one per line, keeping one blank line where the source had one or more. */
function printStatements(p: Printer, statements: readonly T.Statement[], key: string): Doc {
  const parts: Doc[] = [];
  statements.forEach((statement, i) => {
    parts.push(p.print(statement, key));
    if (i < statements.length - 1) {
      parts.push(hardline);
      if (isNextLineEmpty(p.text, statement.end)) parts.push(hardline);
    }
  });
  return parts;
}

function printBlock(p: Printer, node: T.BlockStatement): Doc {
  if (node.body.length > 0) return ["{", indent([hardline, printStatements(p, node.body, "body")]), hardline, "}"];
  // Empty: `{}` as a function's or a loop's body, else broken (`if (a) {` and `}` on the next line).
  const parent = p.parent;
  if (parent.type === "FunctionDeclaration" || parent.type === "MethodDefinition" || parent.type === "ForStatement" || parent.type === "ForInStatement" || parent.type === "ForOfStatement") return "{}";
  return ["{", hardline, "}"];
}

/** The body of an `if`, `else` or loop: a block after a space, anything else indented on its own line. */
function printClause(p: Printer, body: T.Statement, key: string, forceSpace = false): Doc {
  const doc = p.print(body, key);
  return body.type === "BlockStatement" || forceSpace ? [" ", doc] : indent([line, doc]);
}

function printIf(p: Printer, node: T.IfStatement): Doc {
  const test = p.print(node.test, "test");
  const condition = shouldInlineCondition(node.test) ? test : group([indent([softline, test]), softline]);
  const parts: Doc[] = [group(["if (", condition, ")", printClause(p, node.consequent, "consequent")])];
  if (node.alternate) {
    parts.push(node.consequent.type === "BlockStatement" ? " " : hardline);
    parts.push("else", group(printClause(p, node.alternate, "alternate", node.alternate.type === "IfStatement")));
  }
  return parts;
}

/** `!(a || b)` and `!!(a || b)` keep their parentheses against the `if`'s. */
function shouldInlineCondition(node: T.Expression): boolean {
  if (node.type !== "UnaryExpression" || node.operator !== "!") return false;
  const inner = node.argument.type === "UnaryExpression" && node.argument.operator === "!" ? node.argument.argument : node.argument;
  return inner.type === "LogicalExpression";
}

/** `a ? b : c`, not nested, broken before `?` and `:` (prettier's ternaries outside JSX). */
function printConditional(p: Printer, node: T.ConditionalExpression): Doc {
  if ([node.test, node.consequent, node.alternate, p.parent].some((n) => n.type === "ConditionalExpression")) throw new Unsupported("nested conditional expressions");
  if ((p.key === "object" && p.parent.type === "MemberExpression") || p.key === "callee") throw new Unsupported("a conditional expression as an object or callee");
  const parts = [line, "? ", align(2, p.print(node.consequent, "consequent")), line, ": ", align(2, p.print(node.alternate, "alternate"))];
  return group([p.print(node.test, "test"), indent(parts), ""]);
}

function printReturn(p: Printer, node: T.ReturnStatement): Doc {
  if (!node.argument) return "return;";
  const argument = p.print(node.argument, "argument");
  if (node.argument.type === "BinaryExpression" || node.argument.type === "LogicalExpression") {
    return ["return ", group([ifBreak("("), indent([softline, argument]), softline, ifBreak(")")]), ";"];
  }
  return ["return ", argument, ";"];
}

function printSwitch(p: Printer, node: T.SwitchStatement): Doc {
  return [
    group(["switch (", indent([softline, p.print(node.discriminant, "discriminant")]), softline, ")"]),
    " {",
    node.cases.length > 0
      ? indent([hardline, join(hardline, node.cases.map((c, i) => [p.print(c, "cases"), i < node.cases.length - 1 && isNextLineEmpty(p.text, c.end) ? hardline : ""]))])
      : "",
    hardline,
    "}",
  ];
}

function printVariable(p: Printer, node: T.VariableDeclaration): Doc {
  const parent = p.parent;
  const inLoopHead = parent.type === "ForStatement" || parent.type === "ForInStatement" || parent.type === "ForOfStatement";
  // The declarator is printed as prettier's VariableDeclarator: an assignment of `init` to `id`.
  const declarator = printAssignment(p, p.print(node.id, "id"), " =", node.init ? "init" : undefined);
  return group([node.kind, " ", declarator, inLoopHead ? "" : ";"]);
}

function printImport(p: Printer, node: T.ImportDeclaration): Doc {
  const parts: Doc[] = ["import", node.importKind === "type" ? " type" : "", " "];
  if (node.namespace !== undefined) parts.push(`* as ${node.namespace}`);
  else if (node.specifiers.length > 1) parts.push(group(["{", indent([line, join([",", line], node.specifiers)]), ifBreak(","), line, "}"]));
  else parts.push(["{", " ", node.specifiers[0]!, " ", "}"]);
  return [parts, " from", " ", p.print(node.source, "source"), ";"];
}

function printClass(p: Printer, node: T.ClassDeclaration): Doc {
  const parts: Doc[] = [node.abstract ? "abstract " : "", "class"];
  const id = p.print(node.id, "id");
  if (node.implements.length === 0) return [...parts, " ", id, " ", p.print(node.body, "body")];
  const heritage = Symbol("heritageGroup");
  const implemented = node.implements.map((type) => p.print(type, "implements"));
  const clauses: Doc = [line, "implements", group(indent([line, join([",", line], implemented)]))];
  parts.push(group(indent([" ", id, clauses]), { id: heritage }));
  parts.push(node.body.body.length > 0 ? ifBreak(hardline, " ", heritage) : " ");
  parts.push(p.print(node.body, "body"));
  return parts;
}

function printClassBody(p: Printer, node: T.ClassBody): Doc {
  const parts: Doc[] = [];
  node.body.forEach((member, i) => {
    parts.push(p.print(member, "body"));
    if (i < node.body.length - 1) {
      parts.push(hardline);
      if (isNextLineEmpty(p.text, member.end)) parts.push(hardline);
    }
  });
  return ["{", parts.length > 0 ? [indent([hardline, parts]), hardline] : "", "}"];
}

/**
 * The parameters and return type of a function or method: `(a: A, b: B): R`. The parameters are grouped
 * apart when there is one parameter and the return type is an object type or breaks.
 */
function printSignature(p: Printer, node: T.FunctionDeclaration | T.MethodDefinition): Doc {
  const params = printParameters(p, node.params);
  const returnType = node.returnType ? p.print(node.returnType, "returnType") : "";
  const groupParams = node.returnType !== undefined && node.params.length === 1 && (node.returnType.typeAnnotation.type === "TSTypeLiteral" || willBreak(returnType));
  return group([groupParams ? group(params) : params, returnType]);
}

export function printParameters(p: Printer, params: readonly T.Parameter[]): Doc {
  if (params.length === 0) return "()";
  const printed: Doc[] = [];
  params.forEach((param, i) => {
    printed.push(p.print(param, "params"));
    if (i === params.length - 1) return;
    printed.push(",");
    if (isNextLineEmpty(p.text, param.end)) throw new Unsupported("a blank line between parameters");
    printed.push(shouldHugTheOnlyParameter(params) ? " " : line);
  });
  if (shouldHugTheOnlyParameter(params)) return ["(", ...printed, ")"];
  return ["(", indent([softline, ...printed]), ifBreak(","), softline, ")"];
}

/** One parameter whose type is an object type literal hugs the parentheses: `({ … })`. */
export function shouldHugTheOnlyParameter(params: readonly T.Parameter[]): boolean {
  if (params.length !== 1) return false;
  const [param] = params;
  return param!.type === "Identifier" && param!.typeAnnotation?.typeAnnotation.type === "TSTypeLiteral";
}
