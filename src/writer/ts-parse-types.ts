/**
 * The type part of the parser of generated TypeScript (`ts-parse.ts`): annotations, type arguments,
 * unions and intersections, arrays, tuples, object type literals, literal and template literal types.
 */
import { Unsupported } from "./doc.js";
import { type Token, TokenReader } from "./ts-tokens.js";
import type * as T from "./ts-syntax.js";

/** What may stand between the `<` and `>` of type arguments. */
export const TYPE_PUNCTUATORS = new Set([".", ",", "|", "&", "[", "]", "{", "}", "(", ")", ":", ";", "?", "<", ">", ">>", ">>>", "=>", "-", "..."]);

const KEYWORD_TYPES = new Set(["string", "number", "boolean", "bigint", "symbol", "object", "any", "unknown", "never", "void", "undefined", "null"]);

export abstract class TypeParser extends TokenReader {
  protected typeAnnotation(): T.TypeAnnotation {
    const start = this.expect(":").start;
    const typeAnnotation = this.type();
    return { type: "TSTypeAnnotation", start, end: typeAnnotation.end, typeAnnotation };
  }

  protected typeArguments(): T.TypeNode[] {
    this.expect("<");
    const types: T.TypeNode[] = [];
    do types.push(this.type());
    while (this.eat(","));
    this.closeAngle();
    return types;
  }

  /** Takes one `>` closing type arguments; of a `>>` (two lists closing at once), the first. */
  protected closeAngle(): void {
    const token = this.peek();
    if (token.kind !== "punct" || !token.text.startsWith(">") || token.text.includes("=")) throw new Unsupported(`'${token.text}' where '>' was expected`);
    if (token.text === ">") {
      this.next();
      return;
    }
    if (token.comments) throw new Unsupported("a comment inside a type");
    this.splits.push({ index: this.at, token });
    this.tokens[this.at] = { ...token, text: token.text.slice(1), start: token.start + 1 };
  }

  protected type(): T.TypeNode {
    const start = this.peek().start;
    const leading = this.eat("|");
    const types = [this.intersectionType()];
    while (this.eat("|")) types.push(this.intersectionType());
    if (types.length === 1 && !leading) return types[0]!;
    if (types.length === 1) throw new Unsupported("a union of one");
    return { type: "TSUnionType", start, end: this.end(), types };
  }

  protected intersectionType(): T.TypeNode {
    const start = this.peek().start;
    if (this.is("&")) throw new Unsupported("a leading '&'");
    const types = [this.postfixType()];
    while (this.eat("&")) types.push(this.postfixType());
    return types.length === 1 ? types[0]! : { type: "TSIntersectionType", start, end: this.end(), types };
  }

  protected postfixType(): T.TypeNode {
    if (this.is("readonly")) {
      const start = this.next().start;
      const typeAnnotation = this.postfixType();
      return { type: "TSTypeOperator", start, end: typeAnnotation.end, operator: "readonly", typeAnnotation };
    }
    if (this.is("keyof") || this.is("typeof") || this.is("unique") || this.is("infer")) throw new Unsupported(`'${this.peek().text}' in a type`);
    let type = this.primaryType();
    while (this.is("[")) {
      this.next();
      if (!this.is("]")) throw new Unsupported("an indexed access type");
      this.next();
      type = { type: "TSArrayType", start: type.start, end: this.end(), elementType: type };
    }
    if (this.is("=>") || this.is("extends")) throw new Unsupported("a function or conditional type");
    return type;
  }

  protected primaryType(): T.TypeNode {
    const token = this.peek();
    const start = token.start;
    if (this.is("(")) {
      this.next();
      if (this.is(")") || this.isArrowType()) throw new Unsupported("a function type");
      const inner = this.type();
      this.expect(")");
      return inner;
    }
    if (this.is("[")) return this.tupleType();
    if (this.is("{")) return this.typeLiteral();
    if (token.kind === "string" || token.kind === "number") return { type: "TSLiteralType", start, end: token.end, literal: this.literal() };
    if (this.is("-") && this.peek(1).kind === "number") {
      this.next();
      const argument = this.literal();
      return { type: "TSLiteralType", start, end: argument.end, literal: { type: "UnaryExpression", start, end: argument.end, operator: "-", argument } };
    }
    if (token.kind === "template") {
      this.next();
      return this.templateType(token);
    }
    if (token.kind !== "name") throw new Unsupported(`'${token.text}' in a type`);
    if (token.text === "true" || token.text === "false") return { type: "TSLiteralType", start, end: token.end, literal: this.literal() };
    if (KEYWORD_TYPES.has(token.text) && !this.is(".", 1)) {
      this.next();
      return { type: "TSKeyword", start, end: token.end, keyword: token.text };
    }
    if (token.text === "new" || token.text === "import" || token.text === "asserts") throw new Unsupported(`'${token.text}' in a type`);
    let typeName = this.name().text;
    while (this.eat(".")) typeName += `.${this.name().text}`;
    const typeArguments = this.is("<") ? this.typeArguments() : undefined;
    return { type: "TSTypeReference", start, end: this.end(), typeName, typeArguments };
  }

  protected isArrowType(): boolean {
    // `(a: T) => R` or `(...a: T[]) => R`: a name followed by `:` or `?`, or `...`.
    return this.is("...") || (this.peek().kind === "name" && (this.is(":", 1) || this.is("?", 1) || this.is(",", 1)));
  }

  protected tupleType(): T.TupleType {
    const start = this.next().start;
    const elementTypes: T.TypeNode[] = [];
    while (!this.is("]")) {
      const elementStart = this.peek().start;
      if (this.eat("...")) {
        if (this.peek().kind === "name" && this.is(":", 1)) throw new Unsupported("a named rest element");
        const typeAnnotation = this.type();
        elementTypes.push({ type: "TSRestType", start: elementStart, end: typeAnnotation.end, typeAnnotation });
      } else if (this.peek().kind === "name" && (this.is(":", 1) || (this.is("?", 1) && this.is(":", 2)))) {
        const label = this.next().text;
        const optional = this.eat("?");
        this.expect(":");
        const elementType = this.type();
        elementTypes.push({ type: "TSNamedTupleMember", start: elementStart, end: elementType.end, label, optional, elementType });
      } else {
        const type = this.type();
        elementTypes.push(this.eat("?") ? { type: "TSOptionalType", start: elementStart, end: this.end(), typeAnnotation: type } : type);
      }
      if (!this.eat(",")) break;
    }
    this.expect("]");
    return { type: "TSTupleType", start, end: this.end(), elementTypes };
  }

  protected typeLiteral(): T.TypeLiteral {
    const start = this.next().start;
    const members: T.TypeLiteral["members"] = [];
    while (!this.is("}")) {
      if (this.peek().comments) throw new Unsupported("a comment in a type literal");
      const memberStart = this.peek().start;
      const readonly = this.is("readonly") && !this.is(":", 1) && !this.is("?", 1) && !this.is("(", 1) ? (this.next(), true) : false;
      if (this.is("[")) {
        this.next();
        const parameter = this.identifier();
        parameter.typeAnnotation = this.typeAnnotation();
        parameter.end = parameter.typeAnnotation.end;
        this.expect("]");
        if (!this.is(":")) throw new Unsupported("a mapped type");
        const typeAnnotation = this.typeAnnotation();
        members.push({ type: "TSIndexSignature", start: memberStart, end: this.end(), parameter, readonly, typeAnnotation });
      } else {
        const keyToken = this.peek();
        const key = keyToken.kind === "string" ? this.literal() : this.identifier();
        const optional = this.eat("?");
        if (!this.is(":")) throw new Unsupported("a method signature");
        const typeAnnotation = this.typeAnnotation();
        members.push({ type: "TSPropertySignature", start: memberStart, end: this.end(), key, optional, readonly, typeAnnotation });
      }
      if (!this.eat(";") && !this.eat(",") && !this.is("}")) throw new Unsupported("type members without a separator");
    }
    this.expect("}");
    return { type: "TSTypeLiteral", start, end: this.end(), members };
  }

  protected templateType(token: Token): T.TemplateLiteralType {
    const quasis: string[] = [];
    const types: T.TypeNode[] = [];
    const text = token.text;
    let from = 1;
    for (let i = 1; i < text.length - 1; i++) {
      if (text[i] === "\\") {
        i++;
        continue;
      }
      if (text[i] === "$" && text[i + 1] === "{") {
        quasis.push(text.slice(from, i));
        const close = text.indexOf("}", i);
        const inner = text.slice(i + 2, close);
        if (!/^\s*[A-Za-z]+\s*$/.test(inner) || !KEYWORD_TYPES.has(inner.trim())) throw new Unsupported("a template literal type with a complex hole");
        types.push({ type: "TSKeyword", start: token.start + i + 2, end: token.start + close, keyword: inner.trim() });
        i = close;
        from = close + 1;
      }
    }
    quasis.push(text.slice(from, text.length - 1));
    if (quasis.some((q) => q.includes("\n"))) throw new Unsupported("a line break in a template literal type");
    return { type: "TSTemplateLiteralType", start: token.start, end: token.end, quasis, types };
  }
}
