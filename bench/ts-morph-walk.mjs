// The generation bench's "bare ts-morph walk": what reading the services costs in ts-morph before jamp-gen
// does anything of its own. It opens the project as jamp-gen does (the tsconfig's compilerOptions, the
// service files added by glob), asks for the TypeScript errors of each service file (jamp-gen refuses a file
// with errors, so it asks too), then resolves every type the services' methods reach, through parameters,
// results, properties (their types at their declarations, as jamp-gen asks), union and intersection members,
// type and alias arguments, array and tuple elements and index signatures, each type once (the members of
// the standard library's types, such as Date's methods, are left alone). No text, no
// JSDoc, no model: the floor under any generator built on ts-morph.
//
//   node bench/ts-morph-walk.mjs <tsconfig.json> <glob>...      (prints the counts as one JSON line)
// Plain JavaScript, so that it runs in a bare `node` as tsc does, without a TypeScript loader's start-up.
import path from "node:path";
import { Node, Project } from "ts-morph";

const [tsconfig, ...globs] = process.argv.slice(2);
if (!tsconfig || globs.length === 0) throw new Error("usage: node bench/ts-morph-walk.mjs <tsconfig.json> <glob>...");
const project = new Project({ tsConfigFilePath: tsconfig, skipAddingFilesFromTsConfig: true });
const files = project.addSourceFilesAtPaths(globs.map((g) => path.resolve(g).split(path.sep).join("/")));
const program = project.getProgram();

let errors = 0;
for (const file of files) errors += program.getSyntacticDiagnostics(file).length + program.getSemanticDiagnostics(file).length;

const seen = new Set();
function visit(type) {
  if (seen.has(type.compilerType)) return;
  seen.add(type.compilerType);
  for (const member of type.isUnion() ? type.getUnionTypes() : type.isIntersection() ? type.getIntersectionTypes() : []) visit(member);
  for (const argument of [...type.getTypeArguments(), ...type.getAliasTypeArguments()]) visit(argument);
  if (type.isArray()) visit(type.getArrayElementTypeOrThrow());
  for (const element of type.isTuple() ? type.getTupleElements() : []) visit(element);
  const [stringIndex, numberIndex] = [type.getStringIndexType(), type.getNumberIndexType()];
  if (stringIndex) visit(stringIndex);
  if (numberIndex) visit(numberIndex);
  if (!type.isObject() || type.getCallSignatures().length > 0) return;
  // The members of the standard library's types (Date, Promise, Map) are not data anyone generates from.
  if (type.getSymbol()?.getDeclarations().some((d) => d.getSourceFile().isDeclarationFile())) return;
  for (const property of type.getProperties()) {
    const declaration = property.getValueDeclaration() ?? property.getDeclarations()[0];
    if (declaration) visit(property.getTypeAtLocation(declaration));
  }
}

let methods = 0;
for (const file of files) {
  for (const declaration of file.getInterfaces()) {
    if (!declaration.isExported()) continue;
    for (const member of declaration.getType().getProperties()) {
      for (const signature of member.getDeclarations().filter(Node.isMethodSignature)) {
        methods++;
        for (const parameter of signature.getParameters()) visit(parameter.getType());
        visit(signature.getReturnType());
      }
    }
  }
}
console.log(JSON.stringify({ files: files.length, errors, methods, types: seen.size }));
