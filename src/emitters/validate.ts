/**
 * `<service>.validate.ts`: the validators compiled from the service's JSON Schema, the revivers of
 * its types that JSON cannot carry, and the `ServiceDescriptor` that client and server read.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Model, Service, SourceSpan } from "../model/model.js";
import { acceptsNull, reachableTypes } from "../model/walk.js";
import { compileValidators, type ValidatorRoot } from "../validators/compile.js";
import { render } from "../writer/render.js";
import type { EmitOptions, Emitter } from "./emitter.js";
import { serviceSchema } from "./schema.js";
import { reviverName, TypeRenderer } from "./type-renderer.js";
import { docComment, header, runtimeImport, serviceNames } from "./view.js";

export const validateEmitter: Emitter = {
  kind: "validate",
  check(model) {
    const out: Diagnostic[] = [];
    const report = (render: (r: TypeRenderer) => void, span: SourceSpan, path: string) => {
      const renderer = new TypeRenderer(model);
      render(renderer);
      for (const message of renderer.problems) {
        out.push({ code: "JG2001", severity: "error", message: `${message}.`, hint: "use separate members or methods for the Date and the other type", span, path });
      }
    };
    const seen = new Set<string>();
    for (const service of model.services) {
      for (const m of service.methods) {
        m.params.forEach((p) => report((r) => r.revive(p.type), p.span, `${service.name}.${m.name} → param ${p.name}`));
        if (m.result) report((r) => r.revive(m.result!), m.span, `${service.name}.${m.name} → result`);
      }
      for (const name of reachableTypes(model, service)) {
        const named = model.types[name]!;
        if (!seen.has(name)) report((r) => r.revive(named.type), named.span, name);
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

/** Validator function names: `add$0` for the first parameter of `add`, `add$result` for its result. */
function paramValidator(method: string, index: number): string {
  return `${method}$${index}`;
}

function emitValidate(model: Model, service: Service, options: EmitOptions): string {
  const names = serviceNames(service);
  const schema = serviceSchema(model, service);
  const roots: ValidatorRoot[] = [];
  for (const method of schema.methods) {
    const where = `\`${service.name}.${method.name}\``;
    method.params.forEach((p, i) => roots.push({ name: paramValidator(method.name, i), schema: p.schema, doc: `Checks parameter \`${p.name}\` of ${where}.` }));
    if (method.result !== undefined) roots.push({ name: `${method.name}$result`, schema: method.result, doc: `Checks the result of ${where}.` });
  }
  const compiled = compileValidators(schema.defs, roots);
  const renderer = new TypeRenderer(model);
  const defRevivers = namedRevivers(model, service, renderer);
  const methods = service.methods.map((m, i) => {
    const params = m.params.map((p, index) => {
      const revive = renderer.revive(p.type);
      const nullable = acceptsNull(model, p.type);
      return `{ name: ${JSON.stringify(p.name)}, optional: ${p.optional}, nullable: ${nullable}, validate: ${paramValidator(m.name, index)}${revive ? `, revive: ${revive}` : ""} }`;
    });
    const reviveResult = m.result ? renderer.revive(m.result) : undefined;
    const result = [schema.methods[i]!.result !== undefined ? `result: ${m.name}$result,` : "", reviveResult ? `reviveResult: ${reviveResult},` : ""].join(" ").trim();
    return { key: propertyKey(m.name), kind: m.kind, params: params.join(", "), result };
  });
  const runtimeValues = [...compiled.runtimeImports, ...renderer.runtimeImports];
  const runtimeTypes = ["ServiceDescriptor", "ValidationIssue", ...(defRevivers.length > 0 ? ["Reviver"] : [])];
  return render("validate/validate", {
    header: header([service.file]),
    imports: [runtimeImport(runtimeTypes, options.runtime, true), runtimeImport(runtimeValues, options.runtime)].filter(Boolean),
    validators: compiled.code,
    revivers: defRevivers,
    descriptorDoc: docComment(null, undefined, [`How \`${service.name}\`'s methods travel: their kinds, parameter validators and revivers.`]),
    descriptor: names.descriptor,
    nameLiteral: JSON.stringify(service.name),
    addressLiteral: JSON.stringify(service.address),
    methods,
  });
}

/** The named revivers the service needs, as `{ name, code }`, sorted by type name. */
function namedRevivers(model: Model, service: Service, renderer: TypeRenderer): { name: string; code: string }[] {
  const reviving = renderer.revivingNames();
  const out: { name: string; code: string }[] = [];
  for (const name of reachableTypes(model, service)) {
    const code = reviving.has(name) ? renderer.reviveBody(name) : undefined;
    if (code !== undefined) out.push({ name: reviverName(name), code });
  }
  return out;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
