/**
 * The string formats validators check, each by a checker exported from `jamp-gen/runtime`
 * (`src/runtime/validation.ts`). A format missing here is refused at compile time rather than
 * accepted unchecked. `regex` is deliberately absent: checking it would compile a pattern per call.
 */
export const formatCheckers: Readonly<Record<string, string>> = {
  date: "isDate",
  "date-time": "isDateTime",
  duration: "isDuration",
  email: "isEmail",
  hostname: "isHostname",
  ipv4: "isIpv4",
  ipv6: "isIpv6",
  "json-pointer": "isJsonPointer",
  "relative-json-pointer": "isRelativeJsonPointer",
  time: "isTime",
  uri: "isUri",
  "uri-reference": "isUriReference",
  uuid: "isUuid",
};
