/**
 * Parses the TypeScript jamp-gen generates into the tree of `ts-syntax.ts`: statements and expressions
 * here, tokens in `ts-tokens.ts`, types in `ts-parse-types.ts`. Anything outside that subset throws
 * `Unsupported`, and the formatter falls back to prettier: this parser only has to be right about what it
 * accepts.
 */
import { Unsupported } from "./doc.js";
import { TYPE_PUNCTUATORS, TypeParser } from "./ts-parse-types.js";
import { precedenceOf } from "./ts-tokens.js";
import type * as T from "./ts-syntax.js";

export { precedenceOf } from "./ts-tokens.js";

class Parser extends TypeParser {
  /** Inside a `for (… in …)` head, `in` ends the left side. */
  private noIn = false;

  program(): T.Program {
    const body: T.Statement[] = [];
    while (this.peek().kind !== "eof") body.push(this.statement());
    if (this.peek().comments) throw new Unsupported("a comment after the last statement");
    return { type: "Program", start: 0, end: this.text.length, body };
  }

  // --- statements ---------------------------------------------------------------------------------

  private statement(): T.Statement {
    const comments = this.leadingComments();
    const statement = this.statementWithoutComments();
    if (comments) statement.comments = comments;
    return statement;
  }

  private statementWithoutComments(): T.Statement {
    const start = this.peek().start;
    const token = this.peek();
    if (token.kind === "name") {
      switch (token.text) {
        case "import":
          return this.import();
        case "export":
          return this.export();
        case "function":
          return this.function(start);
        case "abstract":
        case "class":
          return this.class(start);
        case "const":
        case "let":
          return this.variable(true);
        case "if":
          return this.if();
        case "for":
          return this.for();
        case "switch":
          return this.switch();
        case "return": {
          this.next();
          const argument = this.is(";") ? undefined : this.expression();
          this.expect(";");
          return { type: "ReturnStatement", start, end: this.end(), argument };
        }
        case "break":
        case "continue":
          this.next();
          this.expect(";");
          return { type: token.text === "break" ? "BreakStatement" : "ContinueStatement", start, end: this.end() };
        case "var":
        case "while":
        case "do":
        case "try":
        case "throw":
        case "type":
        case "interface":
        case "enum":
        case "declare":
        case "namespace":
        case "async":
          throw new Unsupported(`a '${token.text}' statement`);
      }
    }
    if (this.is("{")) return this.block();
    if (this.is(";")) throw new Unsupported("an empty statement");
    const expression = this.expression();
    this.expect(";");
    return { type: "ExpressionStatement", start, end: this.end(), expression };
  }

  private block(): T.BlockStatement {
    const start = this.expect("{").start;
    const body: T.Statement[] = [];
    while (!this.is("}")) {
      if (this.peek().kind === "eof") throw new Unsupported("an unclosed block");
      body.push(this.statement());
    }
    if (this.peek().comments) throw new Unsupported("a comment at the end of a block");
    this.next();
    return { type: "BlockStatement", start, end: this.end(), body };
  }

  private import(): T.ImportDeclaration {
    const start = this.next().start;
    let importKind: "type" | "value" = "value";
    if (this.is("type") && !this.is("from", 1) && !this.is(",", 1)) {
      this.next();
      importKind = "type";
    }
    let namespace: string | undefined;
    const specifiers: string[] = [];
    if (this.eat("*")) {
      this.expect("as");
      namespace = this.name().text;
    } else {
      this.expect("{");
      while (!this.is("}")) {
        const name = this.name().text;
        if (this.is("as")) throw new Unsupported("a renamed import");
        specifiers.push(name);
        if (!this.eat(",")) break;
      }
      this.expect("}");
      if (specifiers.length === 0) throw new Unsupported("an import of nothing");
    }
    this.expect("from");
    const source = this.literal();
    if (typeof source.value !== "string") throw new Unsupported("an import from a non-string");
    this.expect(";");
    return { type: "ImportDeclaration", start, end: this.end(), importKind, namespace, specifiers, source };
  }

  private export(): T.ExportAllDeclaration | T.ExportNamedDeclaration {
    const start = this.next().start;
    if (this.eat("*")) {
      this.expect("from");
      const source = this.literal();
      if (typeof source.value !== "string") throw new Unsupported("an export from a non-string");
      this.expect(";");
      return { type: "ExportAllDeclaration", start, end: this.end(), source };
    }
    const at = this.peek().start;
    let declaration: T.ExportNamedDeclaration["declaration"];
    if (this.is("function")) declaration = this.function(at);
    else if (this.is("class") || this.is("abstract")) declaration = this.class(at);
    else if (this.is("const") || this.is("let")) declaration = this.variable(true);
    else throw new Unsupported(`'export ${this.peek().text}'`);
    return { type: "ExportNamedDeclaration", start, end: declaration.end, declaration };
  }

  private function(start: number): T.FunctionDeclaration {
    this.expect("function");
    const id = this.identifier();
    if (this.is("<")) throw new Unsupported("type parameters");
    const params = this.parameters();
    const returnType = this.is(":") ? this.typeAnnotation() : undefined;
    const body = this.block();
    return { type: "FunctionDeclaration", start, end: body.end, id, params, returnType, body };
  }

  private parameters(): T.Parameter[] {
    this.expect("(");
    const params: T.Parameter[] = [];
    while (!this.is(")")) {
      params.push(this.parameter());
      if (!this.eat(",")) break;
    }
    this.expect(")");
    return params;
  }

  private parameter(): T.Parameter {
    if (this.is("...") || this.is("{") || this.is("[")) throw new Unsupported("a rest or destructured parameter");
    const id = this.identifier();
    if (this.eat("?")) id.optional = true;
    if (this.is(":")) {
      id.typeAnnotation = this.typeAnnotation();
      id.end = id.typeAnnotation.end;
    }
    if (!this.eat("=")) return id;
    const right = this.assignment();
    return { type: "AssignmentPattern", start: id.start, end: right.end, left: id, right };
  }

  private class(start: number): T.ClassDeclaration {
    const abstract = this.eat("abstract");
    this.expect("class");
    const id = this.identifier();
    if (this.is("<") || this.is("extends")) throw new Unsupported("a generic or derived class");
    const implemented: T.TypeReference[] = [];
    if (this.eat("implements")) {
      do {
        const type = this.primaryType();
        if (type.type !== "TSTypeReference") throw new Unsupported("implementing a non-reference");
        implemented.push(type);
      } while (this.eat(","));
    }
    const bodyStart = this.expect("{").start;
    const members: T.ClassMember[] = [];
    while (!this.is("}")) {
      if (this.peek().kind === "eof") throw new Unsupported("an unclosed class");
      const comments = this.leadingComments();
      const member = this.member();
      if (comments) member.comments = comments;
      members.push(member);
    }
    if (this.peek().comments) throw new Unsupported("a comment at the end of a class");
    this.next();
    const body: T.ClassBody = { type: "ClassBody", start: bodyStart, end: this.end(), body: members };
    return { type: "ClassDeclaration", start, end: body.end, abstract, id, implements: implemented, body };
  }

  private member(): T.ClassMember {
    const start = this.peek().start;
    let readonly = false;
    let abstract = false;
    for (;;) {
      if (this.is("readonly") && !this.is("(", 1) && !this.is(":", 1)) {
        this.next();
        readonly = true;
      } else if (this.is("abstract") && !this.is("(", 1) && !this.is(":", 1)) {
        this.next();
        abstract = true;
      } else if (["static", "public", "private", "protected", "override", "async", "get", "set", "declare", "accessor"].includes(this.peek().text) && !this.is("(", 1) && !this.is(":", 1)) {
        throw new Unsupported(`a '${this.peek().text}' member`);
      } else break;
    }
    const keyToken = this.peek();
    if (keyToken.kind === "private") {
      if (abstract) throw new Unsupported("an abstract private member");
      this.next();
      const key: T.PrivateIdentifier = { type: "PrivateIdentifier", start: keyToken.start, end: keyToken.end, name: keyToken.text.slice(1) };
      return this.propertyRest(start, key, readonly);
    }
    const key = this.identifier();
    if (this.is("(")) {
      if (readonly) throw new Unsupported("a readonly method");
      const params = this.parameters();
      const returnType = this.is(":") ? this.typeAnnotation() : undefined;
      const kind = key.name === "constructor" ? "constructor" : "method";
      if (abstract) {
        this.expect(";");
        return { type: "TSAbstractMethodDefinition", start, end: this.end(), kind, key, params, returnType, body: undefined };
      }
      const body = this.block();
      return { type: "MethodDefinition", start, end: body.end, kind, key, params, returnType, body };
    }
    if (abstract) throw new Unsupported("an abstract property");
    return this.propertyRest(start, key, readonly);
  }

  private propertyRest(start: number, key: T.Identifier | T.PrivateIdentifier, readonly: boolean): T.PropertyDefinition {
    if (this.is("?") || this.is("!")) throw new Unsupported("an optional or definite property");
    const typeAnnotation = this.is(":") ? this.typeAnnotation() : undefined;
    const value = this.eat("=") ? this.assignment() : undefined;
    this.expect(";");
    return { type: "PropertyDefinition", start, end: this.end(), readonly, key, typeAnnotation, value };
  }

  /** `const a: T = b` with its `;` when `terminated`, else as a `for` head's declaration. */
  private variable(terminated: boolean): T.VariableDeclaration {
    const startToken = this.next();
    const kind = startToken.text as "const" | "let";
    const id = this.identifier();
    if (this.is(":")) {
      id.typeAnnotation = this.typeAnnotation();
      id.end = id.typeAnnotation.end;
    }
    const init = this.eat("=") ? this.assignment() : undefined;
    if (this.is(",")) throw new Unsupported("several declarations in one");
    if (terminated) this.expect(";");
    return { type: "VariableDeclaration", start: startToken.start, end: this.end(), kind, id, init };
  }

  private if(): T.IfStatement {
    const start = this.next().start;
    this.expect("(");
    const test = this.expression();
    this.expect(")");
    const consequent = this.statement();
    const alternate = this.eat("else") ? this.statement() : undefined;
    return { type: "IfStatement", start, end: this.end(), test, consequent, alternate };
  }

  private for(): T.ForStatement | T.ForInStatement {
    const start = this.next().start;
    this.expect("(");
    if (!this.is("const") && !this.is("let")) throw new Unsupported("a for loop without a declaration");
    this.noIn = true;
    const left = this.variable(false);
    this.noIn = false;
    if (this.is("in") || this.is("of")) {
      if (left.init) throw new Unsupported("an initialised for-in variable");
      const type = this.next().text === "in" ? "ForInStatement" : "ForOfStatement";
      const right = this.expression();
      this.expect(")");
      const body = this.statement();
      return { type, start, end: body.end, left, right, body };
    }
    left.end = this.expect(";").end;
    const test = this.expression();
    this.expect(";");
    const update = this.expression();
    this.expect(")");
    const body = this.statement();
    return { type: "ForStatement", start, end: body.end, init: left, test, update, body };
  }

  private switch(): T.SwitchStatement {
    const start = this.next().start;
    this.expect("(");
    const discriminant = this.expression();
    this.expect(")");
    this.expect("{");
    const cases: T.SwitchCase[] = [];
    while (!this.is("}")) {
      if (this.peek().comments) throw new Unsupported("a comment in a switch");
      const caseStart = this.peek().start;
      let test: T.Expression | undefined;
      if (this.eat("case")) test = this.expression();
      else this.expect("default");
      this.expect(":");
      const consequent: T.Statement[] = [];
      while (!this.is("case") && !this.is("default") && !this.is("}")) consequent.push(this.statement());
      cases.push({ type: "SwitchCase", start: caseStart, end: this.end(), test, consequent });
    }
    if (this.peek().comments) throw new Unsupported("a comment at the end of a switch");
    this.next();
    return { type: "SwitchStatement", start, end: this.end(), discriminant, cases };
  }

  // --- expressions --------------------------------------------------------------------------------

  private expression(): T.Expression {
    const expression = this.assignment();
    if (this.is(",")) throw new Unsupported("a sequence expression");
    return expression;
  }

  private assignment(): T.Expression {
    if (this.isArrow()) return this.arrow();
    const left = this.conditional();
    const operator = this.peek().text;
    if (this.peek().kind === "punct" && ["=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "**="].includes(operator)) {
      this.next();
      const right = this.assignment();
      return { type: "AssignmentExpression", start: left.start, end: right.end, operator, left, right };
    }
    return left;
  }

  /** `() =>`, `(a, b: T) =>` or `a =>` ahead. */
  private isArrow(): boolean {
    if (this.peek().kind === "name" && this.is("=>", 1)) return true;
    if (!this.is("(")) return false;
    let depth = 0;
    for (let k = 0; ; k++) {
      const token = this.peek(k);
      if (token.kind === "eof") return false;
      if (token.text === "(" && token.kind === "punct") depth++;
      else if (token.text === ")" && token.kind === "punct" && --depth === 0) return this.is("=>", k + 1);
    }
  }

  private arrow(): T.ArrowFunctionExpression {
    const start = this.peek().start;
    let params: T.Parameter[];
    if (this.is("(")) params = this.parameters();
    else params = [this.identifier()];
    if (this.is(":")) throw new Unsupported("an arrow function's return type");
    this.expect("=>");
    if (this.is("{")) throw new Unsupported("an arrow function with a block");
    const body = this.assignment();
    return { type: "ArrowFunctionExpression", start, end: body.end, params, body };
  }

  private conditional(): T.Expression {
    const test = this.binary(1);
    if (!this.eat("?")) return test;
    const consequent = this.assignment();
    this.expect(":");
    const alternate = this.assignment();
    return { type: "ConditionalExpression", start: test.start, end: alternate.end, test, consequent, alternate };
  }

  private binary(minimum: number): T.Expression {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== "punct" && !(token.kind === "name" && (token.text === "instanceof" || (token.text === "in" && !this.noIn)))) break;
      const precedence = precedenceOf(token.text);
      if (precedence === 0 || precedence < minimum) break;
      this.next();
      // `**` is right-associative; the others associate to the left.
      const right = token.text === "**" ? this.binary(precedence) : this.binary(precedence + 1);
      const type = token.text === "&&" || token.text === "||" || token.text === "??" ? "LogicalExpression" : "BinaryExpression";
      left = { type, start: left.start, end: right.end, operator: token.text, left, right };
    }
    if (this.is("as") || this.is("satisfies")) throw new Unsupported("a type assertion");
    return left;
  }

  private unary(): T.Expression {
    const token = this.peek();
    if ((token.kind === "punct" && ["!", "-", "+", "~"].includes(token.text)) || (token.kind === "name" && (token.text === "typeof" || token.text === "void"))) {
      this.next();
      const argument = this.unary();
      return { type: "UnaryExpression", start: token.start, end: argument.end, operator: token.text, argument };
    }
    if (token.kind === "punct" && (token.text === "++" || token.text === "--")) {
      this.next();
      const argument = this.unary();
      return { type: "UpdateExpression", start: token.start, end: argument.end, operator: token.text, prefix: true, argument };
    }
    if (token.kind === "name" && (token.text === "await" || token.text === "delete" || token.text === "yield")) throw new Unsupported(`'${token.text}'`);
    const expression = this.postfix();
    if (this.is("++") || this.is("--")) {
      const operator = this.next().text as "++" | "--";
      return { type: "UpdateExpression", start: expression.start, end: this.end(), operator, prefix: false, argument: expression };
    }
    return expression;
  }

  private postfix(): T.Expression {
    let expression = this.is("new") ? this.new() : this.primary();
    for (;;) {
      if (this.eat(".")) {
        const token = this.peek();
        if (token.kind !== "name" && token.kind !== "private") throw new Unsupported("a member name");
        this.next();
        const property: T.Identifier | T.PrivateIdentifier = token.kind === "private" ? { type: "PrivateIdentifier", start: token.start, end: token.end, name: token.text.slice(1) } : { type: "Identifier", start: token.start, end: token.end, name: token.text };
        expression = { type: "MemberExpression", start: expression.start, end: token.end, object: expression, property, computed: false };
      } else if (this.is("[")) {
        this.next();
        const property = this.expression();
        this.expect("]");
        expression = { type: "MemberExpression", start: expression.start, end: this.end(), object: expression, property, computed: true };
      } else if (this.is("(") || (this.is("<") && this.typeArgumentsAhead())) {
        const typeArguments = this.is("<") ? this.typeArguments() : undefined;
        const args = this.arguments();
        expression = { type: "CallExpression", start: expression.start, end: this.end(), callee: expression, typeArguments, arguments: args };
      } else if (this.is("?.") || this.is("!") || this.peek().kind === "template") {
        throw new Unsupported("optional chaining, a non-null assertion or a tagged template");
      } else {
        return expression;
      }
    }
  }

  private new(): T.CallExpression {
    const start = this.next().start;
    let callee: T.Expression = this.primary();
    while (this.eat(".")) {
      const property = this.identifier();
      callee = { type: "MemberExpression", start: callee.start, end: property.end, object: callee, property, computed: false };
    }
    const typeArguments = this.is("<") ? this.typeArguments() : undefined;
    if (!this.is("(")) throw new Unsupported("'new' without arguments");
    const args = this.arguments();
    return { type: "NewExpression", start, end: this.end(), callee, typeArguments, arguments: args };
  }

  /** Whether the `<` ahead opens type arguments of a call (`query<T>(`), not a comparison. */
  private typeArgumentsAhead(): boolean {
    // A scan first, which rules out comparisons (`i1 < value.length;`) without a parse that throws.
    let angles = 0;
    for (let k = 0; ; k++) {
      const token = this.peek(k);
      if (token.kind === "eof") return false;
      if (token.kind === "punct" && !TYPE_PUNCTUATORS.has(token.text)) return false;
      if (token.text === "<") angles++;
      else if (token.kind === "punct" && token.text.startsWith(">")) {
        angles -= token.text.length;
        if (angles < 0) return false;
        if (angles === 0) {
          if (!this.is("(", k + 1)) return false;
          break;
        }
      }
    }
    const saved = this.at;
    const splits = this.splits.length;
    try {
      this.typeArguments();
      return this.is("(");
    } catch (error) {
      if (error instanceof Unsupported) return false;
      throw error;
    } finally {
      this.at = saved;
      while (this.splits.length > splits) {
        const { index, token } = this.splits.pop()!;
        this.tokens[index] = token;
      }
    }
  }

  private arguments(): T.Expression[] {
    this.expect("(");
    const args: T.Expression[] = [];
    while (!this.is(")")) {
      if (this.is("...")) throw new Unsupported("a spread argument");
      args.push(this.assignment());
      if (!this.eat(",")) break;
    }
    this.expect(")");
    return args;
  }

  private primary(): T.Expression {
    const token = this.peek();
    switch (token.kind) {
      case "name":
        if (token.text === "this") {
          this.next();
          return { type: "ThisExpression", start: token.start, end: token.end };
        }
        if (token.text === "true" || token.text === "false" || token.text === "null") return this.literal();
        if (["function", "class", "import", "super", "async", "yield", "await"].includes(token.text)) throw new Unsupported(`'${token.text}' in an expression`);
        return this.identifier();
      case "number":
      case "string":
        return this.literal();
      case "template": {
        this.next();
        const raw = token.text.slice(1, -1);
        if (raw.includes("${")) throw new Unsupported("a template literal with substitutions");
        return { type: "TemplateLiteral", start: token.start, end: token.end, raw };
      }
      case "private":
        throw new Unsupported("a private name in an expression");
      default:
        break;
    }
    if (this.is("(")) {
      this.next();
      const expression = this.expression();
      this.expect(")");
      return expression;
    }
    if (this.is("[")) {
      const start = this.next().start;
      const elements: T.Expression[] = [];
      while (!this.is("]")) {
        if (this.is(",") || this.is("...")) throw new Unsupported("an array hole or spread");
        elements.push(this.assignment());
        if (!this.eat(",")) break;
      }
      this.expect("]");
      return { type: "ArrayExpression", start, end: this.end(), elements };
    }
    if (this.is("{")) return this.object();
    throw new Unsupported(`'${token.text}' in an expression`);
  }

  private object(): T.ObjectExpression {
    const start = this.next().start;
    const properties: T.Property[] = [];
    while (!this.is("}")) {
      const keyToken = this.peek();
      let key: T.Identifier | T.Literal;
      if (keyToken.kind === "name") key = this.identifier();
      else if (keyToken.kind === "string" || keyToken.kind === "number") key = this.literal();
      else throw new Unsupported("a computed, spread or method property");
      if (!this.is(":")) throw new Unsupported("a shorthand or method property");
      this.next();
      const value = this.assignment();
      properties.push({ type: "Property", start: key.start, end: value.end, key, value });
      if (!this.eat(",")) break;
    }
    if (this.peek().comments) throw new Unsupported("a comment in an object");
    this.expect("}");
    return { type: "ObjectExpression", start, end: this.end(), properties };
  }
}

/** The program the source holds; `Unsupported` for anything outside what jamp-gen generates. */
export function parseTypeScript(text: string): T.Program {
  return new Parser(text).program();
}
