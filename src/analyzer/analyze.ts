/**
 * The analyzer: TypeScript sources in, model and diagnostics out. It is the only place (with the
 * kinds) that knows ts-morph. It never throws for a user's mistake; it reports and carries on, so
 * one run shows every problem.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { type InterfaceDeclaration, type MethodSignature, Node, Project, type SourceFile, ts } from "ts-morph";
import type { Diagnostic } from "../diagnostics.js";
import { sortDiagnostics } from "../diagnostics.js";
import type { TypeNode } from "../kinds/index.js";
import { kebabCase } from "../model/names.js";
import { directRefs } from "../model/walk.js";
import type { Method, Model, Param, Service } from "../model/model.js";
import { TypeReader } from "./context.js";
import { openProject } from "./project.js";
import { paramDescription, taggedAliasAt } from "./keywords.js";
import { readDoc, relativeFile, spanOf } from "./source.js";

export interface AnalyzeOptions {
  /** Files or globs, relative to `cwd` or absolute. */
  inputs: readonly string[];
  cwd: string;
  /** A tsconfig.json whose compilerOptions resolve the inputs' imports. */
  tsconfig?: string;
}

export interface AnalyzeResult {
  model: Model;
  diagnostics: Diagnostic[];
}

export function analyze(options: AnalyzeOptions): AnalyzeResult {
  const diagnostics: Diagnostic[] = [];
  const project = openProject(options, diagnostics);
  const files = addInputs(project, options, diagnostics);
  if (files.length === 0) return { model: emptyModel(), diagnostics: sortDiagnostics(diagnostics) };
  diagnostics.push(...typeScriptErrors(project, files, options.cwd));

  const reader = new TypeReader(options.cwd, files[0]!);
  const services: Service[] = [];
  for (const file of files) {
    for (const declaration of file.getInterfaces()) {
      if (declaration.isExported() && isService(declaration)) services.push(readService(declaration, reader, options.cwd));
    }
  }
  if (services.length === 0 && diagnostics.length === 0) {
    diagnostics.push({ code: "JG1015", severity: "error", message: "No service interface found in the input files.", hint: "export an interface with at least one method, or tag it with @service" });
  }
  services.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const types = Object.fromEntries([...reader.types.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const model: Model = { modelVersion: 1, services, types };
  diagnostics.push(...reader.diagnostics, ...reader.checkKeywords(model), ...checkServices(services, reader));
  return { model, diagnostics: sortDiagnostics(diagnostics) };
}

function addInputs(project: Project, options: AnalyzeOptions, diagnostics: Diagnostic[]): SourceFile[] {
  const files = new Map<string, SourceFile>();
  for (const input of options.inputs) {
    const absolute = path.resolve(options.cwd, input);
    const isGlob = /[*?[\]{}]/.test(input);
    const added = isGlob ? project.addSourceFilesAtPaths(absolute.split(path.sep).join("/")) : existsSync(absolute) ? [project.addSourceFileAtPath(absolute)] : [];
    if (added.length === 0) {
      diagnostics.push({ code: "JG3001", severity: "error", message: isGlob ? `No file matches '${input}'.` : `Input file '${input}' does not exist.` });
    }
    for (const file of added) files.set(file.getFilePath(), file);
  }
  return [...files.values()].sort((a, b) => (a.getFilePath() < b.getFilePath() ? -1 : 1));
}

/** Errors TypeScript itself finds in the inputs: a half-typed file must not become a wrong model. */
function typeScriptErrors(project: Project, files: readonly SourceFile[], cwd: string): Diagnostic[] {
  const program = project.getProgram();
  const out: Diagnostic[] = [];
  for (const file of files) {
    const found = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    for (const d of found) {
      if (d.getCategory() !== ts.DiagnosticCategory.Error) continue;
      const start = d.getStart() ?? 0;
      const source = d.getSourceFile() ?? file;
      const at = source.getLineAndColumnAtPos(start);
      const end = source.getLineAndColumnAtPos(start + (d.getLength() ?? 0));
      const text = d.getMessageText();
      const message = typeof text === "string" ? text : text.getMessageText();
      out.push({
        code: "JG1000",
        severity: "error",
        message: `${message} (TS${d.getCode()})`,
        span: { file: relativeFile(source.getFilePath(), cwd), line: at.line, column: at.column, endLine: end.line, endColumn: end.column },
      });
    }
  }
  return out;
}

function isService(declaration: InterfaceDeclaration): boolean {
  if (declaration.getJsDocs().some((doc) => doc.getTags().some((tag) => tag.getTagName() === "service"))) return true;
  return declaration.getType().getProperties().some((p) => p.getDeclarations().some(Node.isMethodSignature));
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
  return { name: signature.getName(), kind: returns.kind, params, result: returns.result, doc: readDoc(signature), span: spanOf(signature.getNameNode(), cwd) };
}

function readReturn(signature: MethodSignature, where: string, reader: TypeReader): { kind: Method["kind"]; result: TypeNode | null } {
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
  const streaming = symbolName === "AsyncIterable" || symbolName === "AsyncGenerator" || symbolName === "AsyncIterableIterator";
  reportAt(
    reader,
    site,
    [where],
    "JG1002",
    streaming
      ? `Method '${signature.getName()}' returns a stream ('${reader.typeText(type)}'); streaming methods are not supported yet.`
      : `Method '${signature.getName()}' returns '${reader.typeText(type)}'; a service method returns Promise<T> (a query) or void (a one-way send).`,
    streaming ? "return Promise<T[]> until streams land" : `return 'Promise<${reader.typeText(type)}>'`,
  );
  return { kind: "query", result: null };
}

function reportAt(reader: TypeReader, node: Node, steps: string[], code: string, message: string, hint: string): void {
  reader.reportAt(node, steps, "error", code, message, hint);
}

/** Checks across services: distinct output files, and every type a signature names is importable. */
function checkServices(services: readonly Service[], reader: TypeReader): Diagnostic[] {
  const out: Diagnostic[] = [];
  const stems = new Map<string, Service>();
  for (const service of services) {
    const other = stems.get(service.fileStem);
    if (other) {
      out.push({ code: "JG1014", severity: "error", message: `Services '${other.name}' and '${service.name}' would both generate '${service.fileStem}.*' files.`, hint: "rename one of them", span: service.span });
    }
    stems.set(service.fileStem, service);
    for (const method of service.methods) {
      const signatureTypes = [...method.params.map((p) => ({ type: p.type, span: p.span })), ...(method.result ? [{ type: method.result, span: method.span }] : [])];
      for (const { type, span } of signatureTypes) {
        for (const name of directRefs(type)) {
          const named = reader.types.get(name);
          if (named && !named.exported) {
            out.push({ code: "JG1011", severity: "error", message: `Type '${name}' is used by ${service.name}.${method.name} but is not exported, so generated code cannot import it.`, hint: `add 'export' to '${name}' in ${named.file}`, span });
          }
        }
      }
    }
  }
  return out;
}

function emptyModel(): Model {
  return { modelVersion: 1, services: [], types: {} };
}

