/**
 * Schema keywords that JSDoc tags put on a property, a parameter or a named type (`@minimum 0` →
 * `{ minimum: 0 }`), and how the schema emitter merges them into the member's schema. Plain JSON, so
 * the model stays serialisable; the analyzer has already checked each value and that it fits the type.
 */
import type { TypeNode } from "../kinds/index.js";
import type { JsonSchema, JsonSchemaObject } from "../validators/json-schema.js";

export interface Keywords {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  title?: string;
  /** A JSON value. */
  default?: unknown;
  /** JSON values. */
  examples?: unknown[];
  deprecated?: true;
}

export type KeywordName = keyof Keywords;

/** What a member's tags say: its keywords, and its type as `@integer` leaves it. */
export interface TagKeywords {
  type: TypeNode;
  keywords?: Keywords;
}

/**
 * The member's schema with its description and keywords: `{ description, ...schema, ...keywords }`,
 * the order the source reads in. A keyword the type's own schema already sets (a `pattern` on a
 * template literal type, a `format` on a Date) must not replace it: then the type's schema moves
 * under `allOf`, so both apply. Beside a `$ref`, siblings are fine in draft 2020-12.
 */
export function annotate(schema: JsonSchema, description: string | undefined, keywords: Keywords | undefined): JsonSchema {
  const head = description ? { description } : {};
  const tail: JsonSchemaObject = { ...keywords };
  if (Object.keys(head).length === 0 && Object.keys(tail).length === 0) return schema;
  if (schema === true) return { ...head, ...tail };
  const clash = typeof schema === "boolean" || Object.keys(tail).some((key) => key in schema);
  return clash ? { ...head, allOf: [schema], ...tail } : { ...head, ...schema, ...tail };
}
