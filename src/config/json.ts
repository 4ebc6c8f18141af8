/**
 * A strict JSON reader (RFC 8259) that keeps where every value and key starts and ends, so that a
 * configuration error can name its line and column, which `JSON.parse` cannot. It accepts exactly what
 * `JSON.parse` accepts, plus a leading byte order mark (as npm does for package.json).
 *
 * Objects keep their members in a `Map`: a key such as `__proto__` or `constructor` is plain data
 * here and can never reach a prototype. A key given twice keeps its last value, as with `JSON.parse`,
 * and the earlier occurrences are listed in `repeated` so a reader can refuse them.
 */

/** Offsets into the text, in UTF-16 code units: `start` inclusive, `end` exclusive. */
export interface Extent {
  start: number;
  end: number;
}

export type JsonNode = Extent &
  (
    | { type: "object"; members: Map<string, JsonMember>; repeated: JsonMember[] }
    | { type: "array"; items: JsonNode[] }
    | { type: "string"; value: string }
    | { type: "number"; value: number }
    | { type: "boolean"; value: boolean }
    | { type: "null"; value: null }
  );

export interface JsonMember {
  key: string;
  /** Where the key's string token is. */
  keyAt: Extent;
  value: JsonNode;
}

/** A 1-based line and column (UTF-16 code units, as editors count them). */
export interface Position {
  line: number;
  column: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** Where the reader stopped. */
    readonly offset: number,
  ) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

/** Reads one JSON document; throws `JsonSyntaxError` at the first character that does not fit. */
export function parseJson(text: string): JsonNode {
  const reader = new Reader(text);
  reader.skipBom();
  const root = reader.value();
  reader.whitespace();
  if (!reader.atEnd()) reader.fail("expected the end of the document");
  return root;
}

/** Converts offsets to lines and columns; a line ends at `\n`, `\r\n` or a lone `\r`. */
export function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const escapes: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const maxDepth = 256;
const numberPattern = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class Reader {
  private at = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  skipBom(): void {
    if (this.text.charCodeAt(0) === 0xfeff) this.at = 1;
  }

  atEnd(): boolean {
    return this.at >= this.text.length;
  }

  fail(expected: string, offset = this.at): never {
    const found = offset >= this.text.length ? "the end of the file" : describeChar(this.text.charAt(offset));
    throw new JsonSyntaxError(`${expected}; found ${found}`, offset);
  }

  whitespace(): void {
    while (this.at < this.text.length && " \t\n\r".includes(this.text.charAt(this.at))) this.at++;
  }

  value(): JsonNode {
    this.whitespace();
    const start = this.at;
    const c = this.text.charAt(start);
    if (c === "{" || c === "[") {
      // A bound instead of a stack overflow: no configuration nests this deep.
      if (++this.depth > maxDepth) this.fail(`expected at most ${maxDepth} nested arrays and objects`);
      const node = c === "{" ? this.object() : this.array();
      this.depth--;
      return node;
    }
    if (c === '"') return { type: "string", value: this.string(), start, end: this.at };
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, start)) {
        this.at += word.length;
        return value === null ? { type: "null", value, start, end: this.at } : { type: "boolean", value, start, end: this.at };
      }
    }
    return this.fail("expected a JSON value");
  }

  private object(): JsonNode {
    const start = this.at++;
    const members = new Map<string, JsonMember>();
    const repeated: JsonMember[] = [];
    this.whitespace();
    if (this.text.charAt(this.at) === "}") return { type: "object", members, repeated, start, end: ++this.at };
    for (;;) {
      this.whitespace();
      if (this.text.charAt(this.at) !== '"') this.fail("expected a key in double quotes");
      const keyStart = this.at;
      const key = this.string();
      const keyAt = { start: keyStart, end: this.at };
      this.whitespace();
      if (this.text.charAt(this.at) !== ":") this.fail("expected ':' after the key");
      this.at++;
      const member = { key, keyAt, value: this.value() };
      const earlier = members.get(key);
      if (earlier) repeated.push(earlier);
      members.set(key, member);
      this.whitespace();
      const next = this.text.charAt(this.at);
      this.at++;
      if (next === "}") return { type: "object", members, repeated, start, end: this.at };
      if (next !== ",") this.fail("expected ',' or '}' after a member", this.at - 1);
    }
  }

  private array(): JsonNode {
    const start = this.at++;
    const items: JsonNode[] = [];
    this.whitespace();
    if (this.text.charAt(this.at) === "]") return { type: "array", items, start, end: ++this.at };
    for (;;) {
      items.push(this.value());
      this.whitespace();
      const next = this.text.charAt(this.at);
      this.at++;
      if (next === "]") return { type: "array", items, start, end: this.at };
      if (next !== ",") this.fail("expected ',' or ']' after an item", this.at - 1);
    }
  }

  /** Reads a string token starting at its opening quote; leaves `at` after the closing one. */
  private string(): string {
    this.at++;
    let value = "";
    for (;;) {
      if (this.atEnd()) this.fail("expected '\"' to close the string");
      const c = this.text.charAt(this.at);
      if (c === '"') {
        this.at++;
        return value;
      }
      if (c < " ") this.fail("expected no control character inside a string (escape it)");
      if (c !== "\\") {
        value += c;
        this.at++;
        continue;
      }
      const e = this.text.charAt(this.at + 1);
      if (e === "u") {
        const hex = this.text.slice(this.at + 2, this.at + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("expected four hex digits after '\\u'", this.at);
        value += String.fromCharCode(Number.parseInt(hex, 16));
        this.at += 6;
      } else if (Object.hasOwn(escapes, e)) {
        value += escapes[e];
        this.at += 2;
      } else {
        this.fail("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after a backslash", this.at + 1);
      }
    }
  }

  private number(): JsonNode {
    const start = this.at;
    numberPattern.lastIndex = start;
    const match = numberPattern.exec(this.text);
    if (!match) return this.fail("expected a number");
    this.at += match[0].length;
    return { type: "number", value: Number(match[0]), start, end: this.at };
  }
}

function describeChar(c: string): string {
  if (c === "'") return `"'"`;
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `the character U+${code.toString(16).toUpperCase().padStart(4, "0")}` : `'${c}'`;
}
