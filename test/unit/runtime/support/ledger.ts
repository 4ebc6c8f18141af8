/**
 * A hand-written descriptor whose values JSON cannot carry (bigints, Dates), with the encoders and
 * revivers generated code would give it, for the client and server tests of encoding.
 */

import type { ServiceDescriptor, Validator } from "../../../../src/runtime/descriptor.js";
import { encodeArray, encodeBigInt, encodeDate, encodeObject } from "../../../../src/runtime/encode.js";
import { reviveArray, reviveBigInt, reviveDate, reviveObject } from "../../../../src/runtime/revive.js";

const isDecimal: Validator = (value, path, issues) => {
  if (typeof value === "string" && /^(0|-?[1-9][0-9]*)$/.test(value)) return true;
  issues.push({ path, keyword: "pattern", message: "must be a decimal string" });
  return false;
};
const isDecimals: Validator = (value, path, issues) =>
  Array.isArray(value) && value.every((item, i) => isDecimal(item, `${path}/${i}`, issues));
const isEntry: Validator = (value) =>
  typeof value === "object" && value !== null && typeof (value as { at?: unknown }).at === "string";

export const ledgerDescriptor: ServiceDescriptor = {
  name: "Ledger",
  address: "/ledger",
  methods: {
    total: {
      kind: "query",
      params: [
        {
          name: "amounts",
          optional: false,
          nullable: false,
          validate: isDecimals,
          revive: reviveArray(reviveBigInt),
          encode: encodeArray(encodeBigInt),
        },
        { name: "scale", optional: true, nullable: true, validate: isDecimal, revive: reviveBigInt, encode: encodeBigInt },
      ],
      result: isDecimal,
      reviveResult: reviveBigInt,
      encodeResult: encodeBigInt,
    },
    entry: {
      kind: "query",
      params: [],
      result: isEntry,
      reviveResult: reviveObject({ at: reviveDate }),
      encodeResult: encodeObject({ at: encodeDate }),
    },
    stamp: {
      kind: "send",
      params: [{ name: "at", optional: false, nullable: false, validate: () => true, revive: reviveDate, encode: encodeDate }],
    },
  },
};
