/** Name conventions shared by the analyzer and the emitters, so both derive the same names. */

/** `ChatRoom` → `chat-room`, `HTTPServer` → `http-server`, `calc2Api` → `calc2-api`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
}

/** `ChatRoom` → `chatRoom`, `HTTPServer` → `httpServer`. */
export function camelCase(name: string): string {
  const lead = /^[A-Z]+(?=[A-Z][a-z]|$|[0-9])/.exec(name)?.[0] ?? name.charAt(0);
  return lead.toLowerCase() + name.slice(lead.length);
}

/**
 * A named type's part in the identifiers of generated code (`$Money`, `$is$Money`, `revive$Money`): the
 * name itself when it is an ASCII identifier without `$` (every type name but exotic ones), otherwise
 * each other character as `$<hex code>$` (`Größe` → `Gr$f6$$df$e`). One-to-one, so modules that import
 * a type's functions from the module of its file name them as that module does.
 */
export function typeIdentifier(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return name;
  return name.replace(/[^A-Za-z0-9_]/g, (c) => `$${c.charCodeAt(0).toString(16)}$`);
}
