/** Where a declaration comes from, for kinds that treat the standard library apart from user code. */
import type { Node } from "ts-morph";

/** Declared in TypeScript's standard library (`Date`, `Map`, `Promise`, `Partial`, ...). */
export function isStandardLibrary(node: Node): boolean {
  const file = node.getSourceFile();
  return file.isDeclarationFile() && node.getProject().getProgram().compilerObject.isSourceFileDefaultLibrary(file.compilerNode);
}
