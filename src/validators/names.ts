/** Identifiers and JSON pointers for generated validator code. */

const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "implements interface let package private protected public static yield await arguments eval undefined NaN Infinity"
  ).split(" "),
);

/** Whether `name` can name a function in generated code (ASCII identifiers only, no reserved words). */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED_WORDS.has(name);
}

/** `Page<User, string>` → `Page_User_string`: runs of non-identifier characters become one `_`. */
export function sanitizeIdentifier(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return cleaned === "" ? "def" : cleaned;
}

/** Hands out unique names: the first claim of a name gets it as is, later ones `name2`, `name3`, ... */
export class SymbolTable {
  readonly #taken = new Set<string>();
  /** Told of every claim (the module records them to replay a def's generation elsewhere). */
  onClaim: ((desired: string, name: string) => void) | undefined;

  /** Marks names as used elsewhere (roots, runtime helpers) so claims avoid them. */
  reserve(name: string): void {
    this.#taken.add(name);
  }

  has(name: string): boolean {
    return this.#taken.has(name);
  }

  claim(desired: string): string {
    let name = desired;
    for (let n = 2; this.#taken.has(name); n++) name = `${desired}${n}`;
    this.#taken.add(name);
    this.onClaim?.(desired, name);
    return name;
  }
}

/** One JSON pointer token for an object key (RFC 6901): `~` → `~0`, `/` → `~1`. */
export function escapePointerToken(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

export function unescapePointerToken(token: string): string {
  return token.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** Appends tokens to a location such as `#/$defs/Entry` for error messages. */
export function pointerTo(base: string, ...tokens: readonly (string | number)[]): string {
  return tokens.reduce<string>((at, token) => `${at}/${escapePointerToken(String(token))}`, base);
}
