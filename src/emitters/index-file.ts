/** `index.ts`: re-exports every generated module, so users import from one place. */
import { render } from "../writer/render.js";
import type { Emitter } from "./emitter.js";
import { header, siblingSpecifier } from "./view.js";

export const indexEmitter: Emitter = {
  kind: "index",
  scope: "project",
  emit(model, options) {
    const modules: string[] = [];
    for (const service of model.services) {
      for (const kind of ["client", "server", "validate"] as const) {
        if (options.kinds.has(kind)) modules.push(siblingSpecifier(`${service.fileStem}.${kind}`, options.importExtension));
      }
    }
    if (modules.length === 0) return [];
    return [{ path: "index.ts", contents: render("index/index", { header: header(model.services.map((s) => s.file)), exports: modules.sort() }), language: "typescript" }];
  },
};
