/**
 * `<service>.validate.ts`: the validators compiled from the service's JSON Schema, the revivers and
 * encoders of its types that JSON cannot carry, and the `ServiceDescriptor` that client and server read.
 * Those of types declared in other files are imported from the modules of their files
 * (`shared-validate.ts`), so each is written once however many services reach it.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Model, Service, SourceSpan, TypeNode } from "../model/model.js";
import { typeIdentifier } from "../model/names.js";
import { acceptsNull, reachableTypes } from "../model/walk.js";
import { identifiers } from "../validators/code.js";
import { compileValidators, type DefFunctions, type ValidatorRoot } from "../validators/compile.js";
import { render } from "../writer/render.js";
import type { EmitOptions, Emitter } from "./emitter.js";
import { serviceSchema } from "./schema.js";
import { converterName, type Direction, TypeRenderer } from "./type-renderer.js";
import { docComment, generatedSpecifier, header, runtimeImport, serviceNames, sharedModulePath } from "./view.js";

export const validateEmitter: Emitter = {
  kind: "validate",
  scope: "service",
  check(model, options) {
    const out: Diagnostic[] = [];
    // Both directions render, so a type that converts one way but not the other is reported too. A
    // renderer per type collects its problems alone; which types convert is found once for them all.
    const converting = new Map<Direction, ReadonlySet<string>>();
    const report = (node: TypeNode, span: SourceSpan, path: string) => {
      const renderer = new TypeRenderer(model, options.schema, converting);
      renderer.revive(node);
      renderer.encode(node);
      for (const { message, hint } of renderer.problems) {
        out.push({ code: "JG2001", severity: "error", message: `${message}.`, hint: hint ?? "keep the values JSON cannot carry in members of their own", span, path });
      }
    };
    const seen = new Set<string>();
    for (const service of model.services) {
      for (const m of service.methods) {
        m.params.forEach((p) => report(p.type, p.span, `${service.name}.${m.name} → param ${p.name}`));
        if (m.result) report(m.result, m.span, `${service.name}.${m.name} → ${m.kind === "stream" ? "item" : "result"}`);
      }
      for (const name of reachableTypes(model, service)) {
        const named = model.types[name]!;
        if (!seen.has(name)) report(named.type, named.span, name);
        seen.add(name);
      }
    }
    return out;
  },
  emit: (model, options) =>
    model.services.map((service) => ({
      path: `${service.fileStem}.validate.ts`,
      contents: emitValidate(model, service, options),
      language: "typescript",
    })),
};

/**
 * Validator function names: `add$0` for the first parameter of `add`, `add$result` for its result,
 * `ticks$item` for each item of the stream `ticks`.
 */
function paramValidator(method: string, index: number): string {
  return `${method}$${index}`;
}

function emitValidate(model: Model, service: Service, options: EmitOptions): string {
  const names = serviceNames(service);
  const schema = serviceSchema(model, service, options.schema);
  const roots: ValidatorRoot[] = [];
  const streams = new Set(service.methods.filter((m) => m.kind === "stream").map((m) => m.name));
  for (const method of schema.methods) {
    const where = `\`${service.name}.${method.name}\``;
    method.params.forEach((p, i) => roots.push({ name: paramValidator(method.name, i), schema: p.schema, doc: `Checks parameter \`${p.name}\` of ${where}.` }));
    if (method.result === undefined) continue;
    if (streams.has(method.name)) roots.push({ name: `${method.name}$item`, schema: method.result, doc: `Checks each item of the stream ${where}.` });
    else roots.push({ name: `${method.name}$result`, schema: method.result, doc: `Checks the result of ${where}.` });
  }
  // The types of other files come from the modules of their files; those of the service's own file stay here.
  const reached = reachableTypes(model, service);
  const imported = new Set(reached.filter((name) => model.types[name]!.file !== service.file));
  const compiled = compileValidators(schema.defs, roots, { defFunctions, imported });
  const renderer = new TypeRenderer(model, options.schema);
  const local = reached.filter((name) => !imported.has(name));
  const revivers = namedConverters(local, renderer, "revive");
  const encoders = namedConverters(local, renderer, "encode");
  // A converter built by a call (`reviveArray(revive$Entry)`) gets a constant of its own, `history$reviveResult`,
  // so that the descriptors hold names alone: a bundler drops the one its bundle does not use (a client's
  // the server's), which it cannot do for an object holding a call.
  const made: { name: string; type: string; code: string }[] = [];
  const named = (code: string | undefined, name: string, type: "Reviver" | "Encoder"): string | undefined => {
    if (code === undefined || !code.includes("(")) return code;
    made.push({ name, type, code });
    return name;
  };
  const methods = service.methods.map((m, i) => {
    const params = m.params.map((p, index) => {
      const fields = [`name: ${JSON.stringify(p.name)}`, `optional: ${p.optional}`, `nullable: ${acceptsNull(model, p.type)}`, `validate: ${paramValidator(m.name, index)}`];
      const revive = named(renderer.revive(p.type), `${paramValidator(m.name, index)}$revive`, "Reviver");
      const encode = named(renderer.encode(p.type), `${paramValidator(m.name, index)}$encode`, "Encoder");
      if (revive) fields.push(`revive: ${revive}`);
      if (encode) fields.push(`encode: ${encode}`);
      return { server: `{ ${fields.join(", ")} }`, client: `{ ${[fields[0], ...(encode ? [`encode: ${encode}`] : [])].join(", ")} }` };
    });
    const fields: string[] = [];
    // A stream's values are its items: the same three fields, named for what they check.
    const [value, Value] = m.kind === "stream" ? ["item", "Item"] : ["result", "Result"];
    const check = schema.methods[i]!.result !== undefined ? `${value}: ${m.name}$${value}` : undefined;
    if (check) fields.push(`${check},`);
    const revive = m.result ? named(renderer.revive(m.result), `${m.name}$revive${Value}`, "Reviver") : undefined;
    const encode = m.result ? named(renderer.encode(m.result), `${m.name}$encode${Value}`, "Encoder") : undefined;
    // A client's descriptor revives; its checks are the module's ResultValidators, which only a client that checks imports.
    const client = revive ? `revive${Value}: ${revive},` : "";
    if (client) fields.push(client);
    if (encode) fields.push(`encode${Value}: ${encode},`);
    const key = propertyKey(m.name);
    return {
      key,
      kind: m.kind,
      params: params.map((p) => p.server).join(", "),
      result: fields.join(" "),
      client: { key, params: params.map((p) => p.client).join(", "), result: client },
      check: check === undefined ? undefined : { key, check },
    };
  });
  const converters = [...revivers, ...encoders, ...made];
  const used = [...compiled.imports, ...usedConverters(imported, [...converters.map((c) => c.code), ...methods.map((m) => `${m.params} ${m.result}`)])];
  const runtimeValues = [...compiled.runtimeImports, ...renderer.runtimeImports];
  const runtimeTypes = ["ClientDescriptor", "ResultValidators", "ServiceDescriptor", "ValidationIssue", ...(revivers.length > 0 ? ["Reviver"] : []), ...(encoders.length > 0 ? ["Encoder"] : [])];
  return render("validate/validate", {
    header: header([service.file]),
    imports: [runtimeImport(runtimeTypes, options.runtime, true), runtimeImport(runtimeValues, options.runtime), ...sharedImports(model, `${service.fileStem}.validate.ts`, used, options)].filter(Boolean),
    validators: compiled.code,
    converters,
    descriptorDoc: docComment(null, undefined, [`How \`${service.name}\`'s methods travel: their kinds, parameter validators, revivers and encoders.`]),
    descriptor: names.descriptor,
    clientDescriptorDoc: docComment(null, undefined, [
      `What every client of \`${service.name}\` reads of its methods: parameter names and encoders, revivers of results.`,
      `The validators of results are in \`${names.resultValidators}\`, for a client that checks them.`,
    ]),
    clientDescriptor: names.clientDescriptor,
    clientMethods: methods.map((m) => m.client),
    resultValidatorsDoc: docComment(null, undefined, [
      `The validators of \`${service.name}\`'s results, for a client that checks what it is answered:`,
      `\`new ${names.client}(caller, undefined, { validateResults: ${names.resultValidators} })\`.`,
    ]),
    resultValidators: names.resultValidators,
    checks: methods.flatMap((m) => (m.check === undefined ? [] : [m.check])),
    nameLiteral: JSON.stringify(service.name),
    addressLiteral: JSON.stringify(service.address),
    methods,
  });
}

/**
 * The names of a def's validator functions in every module: `$Money` reports what is wrong, `$is$Money`
 * only answers whether a value matches. Distinct for distinct types: `typeIdentifier` is one-to-one and
 * holds `$` only in pairs, so the odd `$` of `$is$` tells a predicate from any reporter.
 */
export function defFunctions(def: string): DefFunctions {
  const id = typeIdentifier(def);
  return { reporter: `$${id}`, predicate: `$is$${id}` };
}

/** The named revivers or encoders of `names` (sorted), as `{ name, type, code }`, for those that convert. */
export function namedConverters(names: readonly string[], renderer: TypeRenderer, direction: Direction): { name: string; type: string; code: string }[] {
  const converting = renderer.convertingNames(direction);
  const type = direction === "revive" ? "Reviver" : "Encoder";
  const out: { name: string; type: string; code: string }[] = [];
  for (const name of names) {
    const code = converting.has(name) ? renderer.converterBody(direction, name) : undefined;
    if (code !== undefined) out.push({ name: converterName(direction, name), type, code });
  }
  return out;
}

/** The converters of `imported` types that `code` refers to. */
export function usedConverters(imported: ReadonlySet<string>, code: readonly string[]): string[] {
  const mentioned = identifiers(code.join("\n"));
  return [...imported].flatMap((name) => [converterName("revive", name), converterName("encode", name)]).filter((name) => mentioned.has(name));
}

/**
 * `import { $Money, $is$Money, revive$Money } from "./shared/types.validate.js";` lines, one per module
 * of the types whose functions `used` names, for the generated module at `from`.
 */
export function sharedImports(model: Model, from: string, used: readonly string[], options: EmitOptions): string[] {
  const owner = new Map<string, string>();
  for (const named of Object.values(model.types)) {
    const { reporter, predicate } = defFunctions(named.name);
    for (const name of [reporter, predicate, converterName("revive", named.name), converterName("encode", named.name)]) owner.set(name, named.file);
  }
  const byModule = new Map<string, string[]>();
  for (const name of new Set(used)) {
    const module = sharedModulePath(owner.get(name)!);
    byModule.set(module, [...(byModule.get(module) ?? []), name]);
  }
  return [...byModule]
    .map(([module, names]) => ({ specifier: generatedSpecifier(from, module, options.importExtension), names: names.sort() }))
    .sort((a, b) => (a.specifier < b.specifier ? -1 : a.specifier > b.specifier ? 1 : 0))
    .map(({ specifier, names }) => `import { ${names.join(", ")} } from "${specifier}";`);
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
