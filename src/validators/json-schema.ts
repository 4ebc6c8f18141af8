/**
 * The JSON Schema (draft 2020-12) subset that jamp-gen emits and `compileValidators` compiles.
 * Anything outside it is refused at compile time (see `check-schema.ts`), so a schema typed here
 * either compiles to exact checks or fails loudly.
 */

/** The `type` names of JSON Schema. `integer` is a number with no fractional part (`1.0` is one). */
export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "array" | "object";

export const jsonTypes: readonly JsonType[] = ["string", "number", "integer", "boolean", "null", "array", "object"];

/** `true` accepts every value, `false` none. */
export type JsonSchema = boolean | JsonSchemaObject;

export interface JsonSchemaObject {
  // Identification, ignored by the compiler at the top of a def or root.
  readonly $schema?: string;
  readonly $id?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
  /** `#/$defs/<name>`, with `~` and `/` in the name escaped as `~0` and `~1`. */
  readonly $ref?: string;

  // Any instance.
  readonly type?: JsonType | readonly JsonType[];
  /** A JSON value; compared by JSON equality (`1` equals `1.0`, key order does not matter). */
  readonly const?: unknown;
  /** JSON values, at least one. */
  readonly enum?: readonly unknown[];
  readonly allOf?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly not?: JsonSchema;

  // Objects: non-null, non-array objects; properties are own properties only.
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  /** ECMAScript regular expressions (compiled with the `u` flag), matched anywhere in the key. */
  readonly patternProperties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: JsonSchema;
  readonly propertyNames?: JsonSchema;
  readonly minProperties?: number;
  readonly maxProperties?: number;

  // Arrays.
  readonly prefixItems?: readonly JsonSchema[];
  /** Items after `prefixItems` (all items when there is none). */
  readonly items?: JsonSchema;
  readonly contains?: JsonSchema;
  readonly minContains?: number;
  readonly maxContains?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: boolean;

  // Numbers.
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;

  // Strings; lengths count Unicode code points.
  readonly minLength?: number;
  readonly maxLength?: number;
  /** An ECMAScript regular expression (compiled with the `u` flag), matched anywhere in the string. */
  readonly pattern?: string;
  /** One of `formatCheckers` (`date-time`, `email`, ...); others are refused. */
  readonly format?: string;

  // Annotations: carried for readers, ignored by validation.
  readonly title?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly examples?: readonly unknown[];
  readonly deprecated?: boolean;
  readonly readOnly?: boolean;
  readonly writeOnly?: boolean;
  readonly $comment?: string;
  readonly contentEncoding?: string;
  readonly contentMediaType?: string;
  readonly [extension: `x-${string}`]: unknown;
}
