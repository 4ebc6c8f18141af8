/**
 * `<service>.server.ts`: `serve<Service>(impl)`, the binding that validates, revives and dispatches
 * (all in the runtime), and `<Service>Skeleton`, an abstract base class for class-style services.
 */
import type { Model, Service } from "../model/model.js";
import { render } from "../writer/render.js";
import { freeParamName, returnType, signatureParams } from "./client.js";
import type { EmitOptions, Emitter } from "./emitter.js";
import { TypeRenderer } from "./type-renderer.js";
import { docComment, header, nameClashes, runtimeNamespaceImport, serviceNames, siblingSpecifier, userTypeImports } from "./view.js";

export const serverEmitter: Emitter = {
  kind: "server",
  scope: "service",
  check: (model) =>
    model.services.flatMap((service) => {
      const names = serviceNames(service);
      return nameClashes(service, [names.serve, names.skeleton, names.descriptor], `${names.stem}.server.ts`);
    }),
  emit: (model, options) =>
    model.services.map((service) => ({
      path: `${service.fileStem}.server.ts`,
      contents: emitServer(model, service, options),
      language: "typescript",
    })),
};

function emitServer(model: Model, service: Service, options: EmitOptions): string {
  const names = serviceNames(service);
  const types = new TypeRenderer(model, options.schema);
  const methods = service.methods.map((m) => ({
    name: m.name,
    doc: docComment(m.doc, `${service.name}.${m.name}`),
    // The runtime passes the call's context after the declared parameters.
    params: [...signatureParams(m, types), `${freeParamName(m, "context", "callContext")}?: jamp.CallContext`].join(", "),
    returns: returnType(m, types),
  }));
  return render("server/server", {
    header: header([service.file]),
    imports: [
      runtimeNamespaceImport(options.runtime),
      ...userTypeImports(model, service, types.usedTypes, options),
      `import { ${names.descriptor} } from "${siblingSpecifier(`${names.stem}.validate`, options.importExtension)}";`,
    ],
    serveDoc: docComment(null, undefined, [
      `Serves \`${service.name}\` at \`${service.address}\` (or \`options.address\`): pass the result to \`listen({ services })\` or \`peer.serve()\`.`,
      "Arguments are validated against the schema and revived before `impl` runs; a bad call answers `invalid-arguments`.",
      "Each method of `impl` may take the call's `jamp.CallContext` after its declared parameters.",
    ]),
    serve: names.serve,
    skeleton: names.skeleton,
    skeletonDoc: docComment(service.doc, service.name, [
      `Extend this class to implement \`${service.name}\`, then pass an instance to \`${names.serve}\`.`,
      "When served, each method also gets the call's `jamp.CallContext` after its parameters: declare it",
      "(`context?: jamp.CallContext`, or required) where a method needs the caller, the headers or the signal.",
    ]),
    service: service.name,
    descriptor: names.descriptor,
    methods,
  });
}
