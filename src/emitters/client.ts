/**
 * `<service>.client.ts`: `class <Service>Client implements <Service>`, one thin method per service
 * method, each a single runtime call. Queries and streams take an extra optional `CallOptions` (timeout,
 * signal).
 */
import type { Method, Model, Service } from "../model/model.js";
import { memberText } from "../kinds/object.js";
import { render } from "../writer/render.js";
import type { EmitOptions, Emitter } from "./emitter.js";
import { TypeRenderer } from "./type-renderer.js";
import { docComment, header, nameClashes, runtimeNamespaceImport, serviceNames, siblingSpecifier, userTypeImports } from "./view.js";

export const clientEmitter: Emitter = {
  kind: "client",
  scope: "service",
  check: (model) =>
    model.services.flatMap((service) => {
      const names = serviceNames(service);
      return nameClashes(service, [names.client, names.descriptor], `${names.stem}.client.ts`);
    }),
  emit: (model, options) =>
    model.services.map((service) => ({
      path: `${service.fileStem}.client.ts`,
      contents: emitClient(model, service, options),
      language: "typescript",
    })),
};

function emitClient(model: Model, service: Service, options: EmitOptions): string {
  const names = serviceNames(service);
  const types = new TypeRenderer(model, options.schema);
  const methods = service.methods.map((m) => clientMethod(service, m, types));
  const imports = [
    runtimeNamespaceImport(options.runtime),
    ...userTypeImports(model, service, types.usedTypes, options),
    `import { ${names.descriptor} } from "${siblingSpecifier(`${names.stem}.validate`, options.importExtension)}";`,
  ];
  return render("client/client", {
    header: header([service.file]),
    imports,
    classDoc: docComment(service.doc, service.name, [`A typed client of \`${service.name}\`: each call travels as a JAMP message to the service's address.`]),
    client: names.client,
    service: service.name,
    address: service.address,
    descriptor: names.descriptor,
    methods,
  });
}

interface ClientMethodView {
  name: string;
  doc: string;
  params: string;
  returns: string;
  body: string;
}

export function signatureParams(method: Method, types: TypeRenderer): string[] {
  return method.params.map((p) => memberText(p.name, p, types.tsType(p.type)));
}

export function returnType(method: Method, types: TypeRenderer): string {
  if (method.kind === "send") return "void";
  if (method.kind === "stream") return `${method.iterator ?? "AsyncIterable"}<${method.result ? types.tsType(method.result) : "void"}>`;
  return `Promise<${method.result ? types.tsType(method.result) : "void"}>`;
}

function clientMethod(service: Service, method: Method, types: TypeRenderer): ClientMethodView {
  const params = signatureParams(method, types);
  const args = `[${method.params.map((p) => p.name).join(", ")}]`;
  const name = JSON.stringify(method.name);
  if (method.kind === "send") {
    return { name: method.name, doc: docComment(method.doc, `${service.name}.${method.name}`), params: params.join(", "), returns: "void", body: `this.#client.send(${name}, ${args});` };
  }
  // The per-call options parameter must not shadow a parameter of the interface's own.
  const taken = (name: string) => method.params.some((p) => p.name === name);
  let optionsName = taken("options") ? "callOptions" : "options";
  while (taken(optionsName)) optionsName = `_${optionsName}`;
  const result = method.result ? types.tsType(method.result) : "void";
  const call = method.kind === "stream" ? "stream" : "query";
  return {
    name: method.name,
    doc: docComment(method.doc, `${service.name}.${method.name}`),
    params: [...params, `${optionsName}?: jamp.${method.kind === "stream" ? "StreamOptions" : "CallOptions"}`].join(", "),
    returns: returnType(method, types),
    body: `return this.#client.${call}<${result}>(${name}, ${args}, ${optionsName});`,
  };
}
