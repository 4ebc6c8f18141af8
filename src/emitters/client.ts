/**
 * `<service>.client.ts`: `class <Service>Client implements <Service>`, one thin method per service
 * method, each a single runtime call. Each takes an extra optional last parameter: `CallOptions` for queries
 * (timeout, signal, headers), `StreamOptions` for streams (plus credit), `SendOptions` for sends (headers).
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
      return nameClashes(service, [names.client, names.clientDescriptor], `${names.stem}.client.ts`);
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
    `import { ${names.clientDescriptor} } from "${siblingSpecifier(`${names.stem}.validate`, options.importExtension)}";`,
  ];
  return render("client/client", {
    header: header([service.file]),
    imports,
    classDoc: docComment(service.doc, service.name, [`A typed client of \`${service.name}\`: each call travels as a JAMP message to the service's address.`]),
    client: names.client,
    service: service.name,
    address: service.address,
    descriptor: names.clientDescriptor,
    resultValidators: names.resultValidators,
    // Streams on a call-only caller are a module of their own, which only clients of services with streams load.
    caller: service.methods.some((m) => m.kind === "stream") ? "jamp.withStreams(caller)" : "caller",
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

/** `name`, or `alternative`, prefixed with `_` until no parameter of `method` has it: an added parameter must not shadow one. */
export function freeParamName(method: Method, name: string, alternative: string): string {
  const taken = (candidate: string) => method.params.some((p) => p.name === candidate);
  let free = taken(name) ? alternative : name;
  while (taken(free)) free = `_${free}`;
  return free;
}

const optionsTypes = { query: "CallOptions", stream: "StreamOptions", send: "SendOptions" } as const;

function clientMethod(service: Service, method: Method, types: TypeRenderer): ClientMethodView {
  const params = signatureParams(method, types);
  const args = `[${method.params.map((p) => p.name).join(", ")}]`;
  const name = JSON.stringify(method.name);
  const optionsName = freeParamName(method, "options", "callOptions");
  const result = method.result ? types.tsType(method.result) : "void";
  return {
    name: method.name,
    doc: docComment(method.doc, `${service.name}.${method.name}`),
    params: [...params, `${optionsName}?: jamp.${optionsTypes[method.kind]}`].join(", "),
    returns: returnType(method, types),
    body:
      method.kind === "send"
        ? `this.#client.send(${name}, ${args}, ${optionsName});`
        : `return this.#client.${method.kind}<${result}>(${name}, ${args}, ${optionsName});`,
  };
}
