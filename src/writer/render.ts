/** Renders the handlebars templates in `templates/`, compiled once per process. */
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";

const templatesDir = new URL("../../templates/", import.meta.url);
const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Renders `templates/<name>.hbs` with a view model; unknown fields are errors, never blanks. */
export function render(name: string, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(new URL(`${name}.hbs`, templatesDir), "utf8");
    template = Handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(view);
}
