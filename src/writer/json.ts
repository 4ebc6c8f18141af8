/**
 * Prints a JSON document exactly as prettier (`parser: "json"`, print width 100) prints the one-line
 * `JSON.stringify` text of it, without prettier's cost: generated schemas and models are large, and
 * formatting them was most of a run's time.
 *
 * Prettier's rules for JSON, as they apply to one-line input: an object or array is printed on one line
 * (`{ "a": 1 }`, `[1, 2]`) when that line, with what follows it up to the next line break (a comma),
 * fits in the width; otherwise each member goes on its own line, indented by two. An array of two or
 * more objects (or arrays) that all have more than one member always breaks, and a broken group breaks
 * every group around it. Arrays of numbers that do not fit are filled line by line; that case is left
 * to prettier (`printJson` returns `undefined`), as are inputs that are not JSON.
 * `test/unit/writer/json.test.ts` holds it to prettier's output on generated and arbitrary documents.
 */

const width = 100;

/** The formatted document with a final newline, or `undefined` where prettier must do it. */
export function printJson(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const printer = new Printer();
  const out = printer.print(value, 0, 0, 0);
  return printer.giveUp ? undefined : `${out}\n`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class Printer {
  giveUp = false;
  readonly #flat = new Map<object, string>();
  readonly #mustBreak = new Map<object, boolean>();

  /** `value` starting at `column`, followed by `trailing` characters before the next line break. */
  print(value: unknown, indent: number, column: number, trailing: number): string {
    const json = value as Json;
    if (json === null || typeof json !== "object") return scalar(json);
    const entries = Array.isArray(json) ? json.map((v) => ["", v] as const) : Object.entries(json).map(([k, v]) => [`${JSON.stringify(k)}: `, v] as const);
    if (entries.length === 0) return Array.isArray(json) ? "[]" : "{}";
    if (!this.#breaks(json)) {
      const flat = this.#flatText(json);
      if (column + flat.length + trailing <= width) return flat;
      if (Array.isArray(json) && json.every((v) => typeof v === "number")) {
        this.giveUp = true; // prettier fills such arrays line by line
        return flat;
      }
    }
    const pad = " ".repeat(indent + 2);
    const lines = entries.map(([key, v], i) => `${pad}${key}${this.print(v, indent + 2, indent + 2 + key.length, i < entries.length - 1 ? 1 : 0)}`);
    const [open, close] = Array.isArray(json) ? ["[", "]"] : ["{", "}"];
    return `${open}\n${lines.join(",\n")}\n${" ".repeat(indent)}${close}`;
  }

  /** Whether the group breaks whatever the width: it or a group inside it must. */
  #breaks(json: Json[] | { [key: string]: Json }): boolean {
    const known = this.#mustBreak.get(json);
    if (known !== undefined) return known;
    const members = Array.isArray(json) ? json : Object.values(json);
    const containers = members.filter((v): v is Json[] | { [key: string]: Json } => v !== null && typeof v === "object");
    let breaks = containers.some((v) => this.#breaks(v));
    if (!breaks && Array.isArray(json) && json.length > 1) {
      const first = json[0];
      breaks = json.every((v) => v !== null && typeof v === "object" && Array.isArray(v) === Array.isArray(first) && (Array.isArray(v) ? v.length : Object.keys(v).length) > 1);
    }
    this.#mustBreak.set(json, breaks);
    return breaks;
  }

  #flatText(json: Json[] | { [key: string]: Json }): string {
    const known = this.#flat.get(json);
    if (known !== undefined) return known;
    const text = Array.isArray(json)
      ? `[${json.map((v) => this.#flatOf(v)).join(", ")}]`
      : `{ ${Object.entries(json)
          .map(([k, v]) => `${JSON.stringify(k)}: ${this.#flatOf(v)}`)
          .join(", ")} }`;
    this.#flat.set(json, text);
    return text;
  }

  #flatOf(value: Json): string {
    if (value === null || typeof value !== "object") return scalar(value);
    if (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0) return Array.isArray(value) ? "[]" : "{}";
    return this.#flatText(value);
  }
}

/** A scalar as prettier prints it: as JSON writes it, but without the `+` of a positive exponent (`1e21`). */
function scalar(value: null | boolean | number | string): string {
  const text = JSON.stringify(value);
  return typeof value === "number" ? text.replace("e+", "e") : text;
}
