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
