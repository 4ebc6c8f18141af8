/**
 * `shared/<path>.validate.ts`: the validators, revivers and encoders of the types a source file declares
 * that services of other files reach, written once for all of them (README "How it is built"). The
 * services' validate modules import them, as do the modules of other files whose types refer to them.
 *
 * Modules of two files may import each other (types in each file referring to the other's). That is
 * safe because nothing at a module's top level reads an import as it runs: the validators are function
 * declarations, their constants (`$keys`, patterns) are the module's own, and a converter refers to the
 * converter of another type through `reviveLazy`/`encodeLazy`, which read it on first use.
 */
import { compileValidators } from "../validators/compile.js";
import { render } from "../writer/render.js";
import type { Emitter } from "./emitter.js";
import { defSchemas } from "./schema.js";
import { TypeRenderer } from "./type-renderer.js";
import { defFunctions, namedConverters, sharedImports, usedConverters } from "./validate.js";
import { header, runtimeImport, sharedModulePath } from "./view.js";

export const sharedValidateEmitter: Emitter = {
  kind: "validate",
  scope: "source",
  emit(model, options, source) {
    if (source === undefined) return [];
    const names = Object.keys(model.types).sort();
    const owned = names.filter((name) => model.types[name]!.file === source);
    const imported = new Set(names.filter((name) => model.types[name]!.file !== source));
    const compiled = compileValidators(defSchemas(model, names, options.schema), [], { defFunctions, imported, exported: new Set(owned) });
    const renderer = new TypeRenderer(model, options.schema);
    const revivers = namedConverters(owned, renderer, "revive");
    const encoders = namedConverters(owned, renderer, "encode");
    const converters = [...revivers, ...encoders];
    const path = sharedModulePath(source);
    const used = [...compiled.imports, ...usedConverters(imported, converters.map((c) => c.code))];
    const runtimeTypes = ["ValidationIssue", ...(revivers.length > 0 ? ["Reviver"] : []), ...(encoders.length > 0 ? ["Encoder"] : [])];
    const runtimeValues = [...compiled.runtimeImports, ...renderer.runtimeImports];
    const contents = render("validate/shared", {
      header: header([source]),
      doc: `// The validators and converters of the types of ${source} that services of other files use.`,
      imports: [runtimeImport(runtimeTypes, options.runtime, true), runtimeImport(runtimeValues, options.runtime), ...sharedImports(model, path, used, options)].filter(Boolean),
      validators: compiled.code,
      converters,
    });
    return [{ path, contents, language: "typescript" }];
  },
};
