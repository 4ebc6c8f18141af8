/**
 * The syntax tree of the TypeScript jamp-gen generates, shaped as prettier's TypeScript parser shapes it
 * (ESTree node types and fields), and its tokens. Only what the emitters write: imports and exports,
 * functions, classes, `const`/`let`, `if`, `for`, `switch`, expressions without regular expressions or
 * template substitutions, and the types signatures spell. Comments only on lines of their own before a
 * statement or a class member.
 */

export interface Span {
  readonly start: number;
  end: number;
}

/** A comment before a statement or a member: `//` text, or a `/* … *\/` block with its text. */
export interface Comment extends Span {
  readonly block: boolean;
  /** Between the delimiters for a block, after `//` for a line comment. */
  readonly value: string;
}

interface Base extends Span {
  /** Comments on their own lines before the node (statements and class members only). */
  comments?: Comment[];
}

export type Expression =
  | Identifier
  | PrivateIdentifier
  | ThisExpression
  | Literal
  | TemplateLiteral
  | ArrayExpression
  | ObjectExpression
  | ArrowFunctionExpression
  | UnaryExpression
  | UpdateExpression
  | BinaryExpression
  | AssignmentExpression
  | ConditionalExpression
  | MemberExpression
  | CallExpression;

export interface Identifier extends Base {
  type: "Identifier";
  name: string;
  optional?: boolean;
  typeAnnotation?: TypeAnnotation;
}
export interface PrivateIdentifier extends Base {
  type: "PrivateIdentifier";
  name: string;
}
export interface ThisExpression extends Base {
  type: "ThisExpression";
}
export interface Literal extends Base {
  type: "Literal";
  value: string | number | boolean | null;
  raw: string;
}
export interface TemplateLiteral extends Base {
  type: "TemplateLiteral";
  /** The raw text between the backticks (no substitutions). */
  raw: string;
}
export interface ArrayExpression extends Base {
  type: "ArrayExpression";
  elements: Expression[];
}
export interface Property extends Base {
  type: "Property";
  key: Identifier | Literal;
  value: Expression;
}
export interface ObjectExpression extends Base {
  type: "ObjectExpression";
  properties: Property[];
}
export interface ArrowFunctionExpression extends Base {
  type: "ArrowFunctionExpression";
  params: Parameter[];
  body: Expression;
}
export interface UnaryExpression extends Base {
  type: "UnaryExpression";
  operator: string;
  argument: Expression;
}
export interface UpdateExpression extends Base {
  type: "UpdateExpression";
  operator: "++" | "--";
  prefix: boolean;
  argument: Expression;
}
export interface BinaryExpression extends Base {
  /** `&&`, `||` and `??` make a LogicalExpression. */
  type: "BinaryExpression" | "LogicalExpression";
  operator: string;
  left: Expression;
  right: Expression;
}
export interface AssignmentExpression extends Base {
  type: "AssignmentExpression";
  operator: string;
  left: Expression;
  right: Expression;
}
export interface ConditionalExpression extends Base {
  type: "ConditionalExpression";
  test: Expression;
  consequent: Expression;
  alternate: Expression;
}
export interface MemberExpression extends Base {
  type: "MemberExpression";
  object: Expression;
  property: Expression;
  computed: boolean;
}
export interface CallExpression extends Base {
  type: "CallExpression" | "NewExpression";
  callee: Expression;
  typeArguments: TypeNode[] | undefined;
  arguments: Expression[];
}

/** A function's parameter: `a`, `a?: T`, `a: T = b`. */
export type Parameter = Identifier | AssignmentPattern;
export interface AssignmentPattern extends Base {
  type: "AssignmentPattern";
  left: Identifier;
  right: Expression;
}

export interface TypeAnnotation extends Base {
  type: "TSTypeAnnotation";
  typeAnnotation: TypeNode;
}

export type TypeNode =
  | KeywordType
  | TypeReference
  | UnionType
  | ArrayType
  | TupleType
  | TypeLiteral
  | LiteralType
  | TypeOperator
  | TemplateLiteralType
  | OptionalType
  | RestType
  | NamedTupleMember;

export interface KeywordType extends Base {
  type: "TSKeyword";
  /** `string`, `number`, `null`, `undefined`, ... */
  keyword: string;
}
export interface TypeReference extends Base {
  type: "TSTypeReference";
  /** `Name` or `ns.Name`: the dotted parts. */
  typeName: string;
  typeArguments: TypeNode[] | undefined;
}
export interface UnionType extends Base {
  type: "TSUnionType" | "TSIntersectionType";
  types: TypeNode[];
}
export interface ArrayType extends Base {
  type: "TSArrayType";
  elementType: TypeNode;
}
export interface TupleType extends Base {
  type: "TSTupleType";
  elementTypes: TypeNode[];
}
export interface PropertySignature extends Base {
  type: "TSPropertySignature";
  key: Identifier | Literal;
  optional: boolean;
  readonly: boolean;
  typeAnnotation: TypeAnnotation;
}
export interface IndexSignature extends Base {
  type: "TSIndexSignature";
  parameter: Identifier;
  readonly: boolean;
  typeAnnotation: TypeAnnotation;
}
export interface TypeLiteral extends Base {
  type: "TSTypeLiteral";
  members: (PropertySignature | IndexSignature)[];
}
export interface LiteralType extends Base {
  type: "TSLiteralType";
  literal: Literal | UnaryExpression;
}
export interface TypeOperator extends Base {
  type: "TSTypeOperator";
  operator: "readonly";
  typeAnnotation: TypeNode;
}
export interface TemplateLiteralType extends Base {
  type: "TSTemplateLiteralType";
  /** Raw texts around the holes. */
  quasis: string[];
  types: TypeNode[];
}
export interface OptionalType extends Base {
  type: "TSOptionalType";
  typeAnnotation: TypeNode;
}
export interface RestType extends Base {
  type: "TSRestType";
  typeAnnotation: TypeNode;
}
export interface NamedTupleMember extends Base {
  type: "TSNamedTupleMember";
  label: string;
  optional: boolean;
  elementType: TypeNode;
}

export type Statement =
  | ImportDeclaration
  | ExportAllDeclaration
  | ExportNamedDeclaration
  | FunctionDeclaration
  | ClassDeclaration
  | VariableDeclaration
  | ExpressionStatement
  | ReturnStatement
  | IfStatement
  | ForStatement
  | ForInStatement
  | SwitchStatement
  | BreakStatement
  | BlockStatement;

export interface ImportDeclaration extends Base {
  type: "ImportDeclaration";
  importKind: "type" | "value";
  /** `* as name`: the namespace; otherwise named specifiers `{ a, b }` (one of the two). */
  namespace: string | undefined;
  specifiers: string[];
  source: Literal;
}
export interface ExportAllDeclaration extends Base {
  type: "ExportAllDeclaration";
  source: Literal;
}
export interface ExportNamedDeclaration extends Base {
  type: "ExportNamedDeclaration";
  declaration: FunctionDeclaration | ClassDeclaration | VariableDeclaration;
}
export interface FunctionDeclaration extends Base {
  type: "FunctionDeclaration";
  id: Identifier;
  params: Parameter[];
  returnType: TypeAnnotation | undefined;
  body: BlockStatement;
}
export interface ClassDeclaration extends Base {
  type: "ClassDeclaration";
  abstract: boolean;
  id: Identifier;
  implements: TypeReference[];
  body: ClassBody;
}
export interface ClassBody extends Base {
  type: "ClassBody";
  body: ClassMember[];
}
export type ClassMember = PropertyDefinition | MethodDefinition;
export interface PropertyDefinition extends Base {
  type: "PropertyDefinition";
  readonly: boolean;
  key: Identifier | PrivateIdentifier;
  typeAnnotation: TypeAnnotation | undefined;
  value: Expression | undefined;
}
export interface MethodDefinition extends Base {
  type: "MethodDefinition" | "TSAbstractMethodDefinition";
  kind: "constructor" | "method";
  key: Identifier;
  params: Parameter[];
  returnType: TypeAnnotation | undefined;
  /** Absent for an abstract method. */
  body: BlockStatement | undefined;
}
export interface VariableDeclaration extends Base {
  type: "VariableDeclaration";
  kind: "const" | "let";
  id: Identifier;
  init: Expression | undefined;
}
export interface ExpressionStatement extends Base {
  type: "ExpressionStatement";
  expression: Expression;
}
export interface ReturnStatement extends Base {
  type: "ReturnStatement";
  argument: Expression | undefined;
}
export interface IfStatement extends Base {
  type: "IfStatement";
  test: Expression;
  consequent: Statement;
  alternate: Statement | undefined;
}
export interface ForStatement extends Base {
  type: "ForStatement";
  init: VariableDeclaration;
  test: Expression;
  update: Expression;
  body: Statement;
}
export interface ForInStatement extends Base {
  type: "ForInStatement" | "ForOfStatement";
  left: VariableDeclaration;
  right: Expression;
  body: Statement;
}
export interface SwitchCase extends Base {
  type: "SwitchCase";
  test: Expression | undefined;
  consequent: Statement[];
}
export interface SwitchStatement extends Base {
  type: "SwitchStatement";
  discriminant: Expression;
  cases: SwitchCase[];
}
export interface BreakStatement extends Base {
  type: "BreakStatement" | "ContinueStatement";
}
export interface BlockStatement extends Base {
  type: "BlockStatement";
  body: Statement[];
}

export interface Program extends Base {
  type: "Program";
  body: Statement[];
}

export type Node = Expression | Statement | TypeNode | TypeAnnotation | Property | AssignmentPattern | PropertySignature | IndexSignature | ClassBody | ClassMember | SwitchCase | Program;
