/**
 * `<service>.validate.ts`: the validators compiled from the service's JSON Schema, the revivers of
 * its types that JSON cannot carry, and the `ServiceDescriptor` that client and server read.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Model, Service } from "../model/model.js";
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
    for (const service of model.services) {
      const renderer = new TypeRenderer(model);
      revivers(model, service, renderer);
      for (const problem of renderer.problems) {
        out.push({ code: "JG2001", severity: "error", message: `In ${service.name}: ${problem}.`, hint: "give each member of such a union a distinct shape, or split the method", span: service.span });
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
    method.params.forEach((p, i) => roots.push({ name: paramValidator(method.name, i), schema: p.schema }));
    if (method.result !== undefined) roots.push({ name: `${method.name}$result`, schema: method.result });
  }
  const compiled = compileValidators(schema.defs, roots);
  const renderer = new TypeRenderer(model);
  const defRevivers = revivers(model, service, renderer);
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
function revivers(model: Model, service: Service, renderer: TypeRenderer): { name: string; code: string }[] {
  const reviving = renderer.revivingNames();
  const out: { name: string; code: string }[] = [];
  for (const name of reachableTypes(model, service)) {
    if (!reviving.has(name)) continue;
    const code = renderer.reviveBody(name);
    if (code !== undefined) out.push({ name: reviverName(name), code });
  }
  // Methods' own revivers are rendered too, so problems in them surface in `check`.
  for (const m of service.methods) {
    for (const p of m.params) renderer.revive(p.type);
    if (m.result) renderer.revive(m.result);
  }
  return out;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
