/**
 * Reading services: exported interfaces with methods (or tagged `@service`) become the model's
 * services, their parameters and results read through the kinds by a `TypeReader`.
 */
import type { InterfaceDeclaration, MethodSignature, SourceFile } from "ts-morph";
import { Node, ts } from "./ts-morph.js";
import type { Method, Param, Service } from "../model/model.js";
import { kebabCase } from "../model/names.js";
import type { TypeReader } from "./context.js";
import { paramDescription, taggedAliasAt } from "./keywords.js";
import { readDoc, relativeFile, spanOf, wrapSyntax } from "./source.js";

/** The services a file declares, in declaration order. */
export function readServices(file: SourceFile, reader: TypeReader, cwd: string): Service[] {
  const services: Service[] = [];
  // Only the interfaces are wrapped, not the imports and other statements around them.
  for (const statement of file.compilerNode.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const declaration = wrapSyntax(file, statement) as InterfaceDeclaration;
    if (declaration.isExported() && isService(declaration)) services.push(readService(declaration, reader, cwd));
  }
  return services;
}

function isService(declaration: InterfaceDeclaration): boolean {
  if (declaration.getJsDocs().some((doc) => doc.getTags().some((tag) => tag.getTagName() === "service"))) return true;
  // Asked of every exported interface, most of them data: on the compiler's type, without wrapping its members.
  const type = declaration.getType().compilerType;
  return type.getProperties().some((p) => p.declarations?.some(ts.isMethodSignature) === true);
}

function readService(declaration: InterfaceDeclaration, reader: TypeReader, cwd: string): Service {
  const name = declaration.getName();
  const doc = readDoc(declaration);
  const methods: Method[] = [];
  for (const member of declaration.getType().getProperties()) {
    const declarations = member.getDeclarations();
    const signatures = declarations.filter(Node.isMethodSignature);
    const first = declarations[0];
    if (!first) continue;
    const where = `${name}.${member.getName()}`;
    if (signatures.length !== declarations.length) {
      reportAt(reader, first, [where], "JG1003", `Service member '${member.getName()}' is not a method; a service has methods only.`, `declare it as a method, e.g. '${member.getName()}(): Promise<T>', or move data into its own interface`);
      continue;
    }
    if (signatures.length > 1) {
      reportAt(reader, signatures[1]!, [where], "JG1004", `Method '${member.getName()}' is overloaded; a wire method has one signature.`, "give each overload its own method name");
      continue;
    }
    methods.push(readMethod(signatures[0]!, where, reader, cwd));
  }
  const addressTag = doc?.tags.find((t) => t.name === "address");
  let address = `/${kebabCase(name)}`;
  if (addressTag) {
    if (/^\S+$/.test(addressTag.text)) address = addressTag.text;
    else reportAt(reader, declaration.getNameNode(), [name], "JG1013", `The @address tag of '${name}' must be one address without spaces, not '${addressTag.text}'.`, "write e.g. '@address /calculator'");
  }
  return { name, address, fileStem: kebabCase(name), file: relativeFile(declaration.getSourceFile().getFilePath(), cwd), doc, span: spanOf(declaration.getNameNode(), cwd), methods };
}

function readMethod(signature: MethodSignature, where: string, reader: TypeReader, cwd: string): Method {
  if (signature.getTypeParameters().length > 0) {
    reportAt(reader, signature.getTypeParameters()[0]!, [where], "JG1005", `Method '${signature.getName()}' has type parameters; the wire needs concrete types.`, "replace the type parameter with the concrete types it takes");
    // Its parameters and result would only repeat the same complaint about each use of the parameter.
    return { name: signature.getName(), kind: "query", params: [], result: null, doc: readDoc(signature), span: spanOf(signature.getNameNode(), cwd) };
  }
  const params: Param[] = [];
  for (const [index, param] of signature.getParameters().entries()) {
    const nameNode = param.getNameNode();
    if (param.getName() === "this") {
      // TypeScript's `this` parameter types the receiver; nothing travels for it, and a remote service has no caller-chosen receiver.
      reportAt(reader, param, [where], "JG1032", `Method '${signature.getName()}' declares a 'this' parameter; a wire method has no receiver type.`, "remove the 'this' parameter");
      continue;
    }
    if (param.isRestParameter() || !Node.isIdentifier(nameNode)) {
      reportAt(reader, param, [where], "JG1006", `Parameter ${index + 1} of '${signature.getName()}' is ${param.isRestParameter() ? "a rest parameter" : "destructured"}; wire parameters are named one by one.`, "declare each parameter by name, or take one object parameter");
      continue;
    }
    const paramType = param.getType();
    const undefinedValue = !param.isOptional() && paramType.isUnion() && paramType.getUnionTypes().some((t) => t.isUndefined());
    const optional = param.isOptional() || undefinedValue;
    const site = param.getTypeNode() ?? param;
    const steps = [where, `param ${param.getName()}`];
    const tagged = reader.readParamKeywords(param, steps, reader.readAt(param.getType(), site, steps, optional));
    const description = paramDescription(param, signature, param.getName());
    params.push({ name: param.getName(), optional, ...(undefinedValue ? { undefinedValue } : {}), type: tagged.type, ...(description ? { description } : {}), ...(tagged.keywords ? { keywords: tagged.keywords } : {}), span: spanOf(param, cwd) });
  }
  const returns = readReturn(signature, where, reader);
  const iterator = returns.iterator ? { iterator: returns.iterator } : {};
  return { name: signature.getName(), kind: returns.kind, params, result: returns.result, ...iterator, doc: readDoc(signature), span: spanOf(signature.getNameNode(), cwd) };
}

function readReturn(signature: MethodSignature, where: string, reader: TypeReader): Pick<Method, "kind" | "result" | "iterator"> {
  const type = signature.getReturnType();
  const site = signature.getReturnTypeNode() ?? signature;
  if (type.getFlags() & ts.TypeFlags.Void) return { kind: "send", result: null };
  const symbolName = type.getSymbol()?.getName();
  const [argument] = type.getTypeArguments();
  if (symbolName === "Promise" && argument) {
    if (argument.getFlags() & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return { kind: "query", result: null };
    // `Promise<Name>` with a tagged `type Name = string`: only the argument's type node still names `Name`.
    const argumentSite = Node.isTypeReference(site) ? site.getTypeArguments()[0] : undefined;
    const resultSite = argumentSite && taggedAliasAt(argumentSite) ? argumentSite : site;
    return { kind: "query", result: reader.readAt(argument, resultSite, [where, "result"], false) };
  }
  if ((symbolName === "AsyncIterable" || symbolName === "AsyncGenerator" || symbolName === "AsyncIterableIterator") && argument) {
    // The item type; a generator's return and `next` argument types never travel, so they are not read.
    const argumentSite = Node.isTypeReference(site) ? site.getTypeArguments()[0] : undefined;
    const itemSite = argumentSite && taggedAliasAt(argumentSite) ? argumentSite : site;
    const result = reader.readAt(argument, itemSite, [where, "item"], false);
    return symbolName === "AsyncIterable" ? { kind: "stream", result } : { kind: "stream", result, iterator: symbolName };
  }
  reportAt(
    reader,
    site,
    [where],
    "JG1002",
    `Method '${signature.getName()}' returns '${reader.typeText(type)}'; a service method returns Promise<T> (a query), AsyncIterable<T> (a stream) or void (a one-way send).`,
    symbolName === "Iterable" || symbolName === "Generator" || symbolName === "IterableIterator"
      ? `return AsyncIterable<${argument ? reader.typeText(argument) : "T"}> for a stream, or a Promise of an array`
      : `return 'Promise<${reader.typeText(type)}>'`,
  );
  return { kind: "query", result: null };
}

function reportAt(reader: TypeReader, node: Node, steps: string[], code: string, message: string, hint: string): void {
  reader.reportAt(node, steps, "error", code, message, hint);
}
