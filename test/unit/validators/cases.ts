/**
 * Schemas with valid and invalid samples, each sample's verdict agreeing with ajv's (checked by
 * `oracle.test.ts`); `compile.test.ts` also type-checks all of them compiled into one module.
 */
import type { JsonSchema } from "../../../src/validators/json-schema.js";

export interface Case {
  name: string;
  schema: JsonSchema;
  defs?: Record<string, JsonSchema>;
  valid: unknown[];
  invalid: unknown[];
}

export const json = (text: string): unknown => JSON.parse(text);

const tree: Record<string, JsonSchema> = {
  Tree: {
    type: "object",
    properties: { value: { type: "number" }, children: { type: "array", items: { $ref: "#/$defs/Tree" } } },
    required: ["value"],
    additionalProperties: false,
  },
};

const jsonValue: Record<string, JsonSchema> = {
  Json: {
    anyOf: [
      { type: ["string", "number", "boolean", "null"] },
      { type: "array", items: { $ref: "#/$defs/Json" } },
      { type: "object", additionalProperties: { $ref: "#/$defs/Json" } },
    ],
  },
};

const shapes: Record<string, JsonSchema> = {
  Circle: {
    type: "object",
    properties: { kind: { const: "circle" }, radius: { type: "number", exclusiveMinimum: 0 } },
    required: ["kind", "radius"],
    additionalProperties: false,
  },
  Square: {
    type: "object",
    properties: { kind: { const: "square" }, side: { type: "number", minimum: 0 } },
    required: ["kind", "side"],
    additionalProperties: false,
  },
  Shape: { oneOf: [{ $ref: "#/$defs/Circle" }, { $ref: "#/$defs/Square" }] },
};

const user: Record<string, JsonSchema> = {
  Address: {
    type: "object",
    properties: { street: { type: "string" }, zip: { type: "string", pattern: "^[0-9]{5}$" } },
    required: ["street", "zip"],
    additionalProperties: false,
  },
  User: {
    type: "object",
    properties: {
      id: { type: "integer", minimum: 1 },
      name: { type: "string", minLength: 1, maxLength: 20 },
      address: { anyOf: [{ $ref: "#/$defs/Address" }, { type: "null" }] },
      tags: { type: "array", items: { type: "string", pattern: "^[a-z]+$" }, uniqueItems: true },
      meta: {
        type: "object",
        properties: { since: { type: "string", format: "date-time" } },
        additionalProperties: false,
      },
    },
    required: ["id", "name", "address"],
    additionalProperties: false,
  },
};

export const cases: Case[] = [
  { name: "true", schema: true, valid: [null, 0, "", [], {}], invalid: [] },
  { name: "false", schema: false, valid: [], invalid: [null, 0, "", [], {}] },
  { name: "an empty schema", schema: {}, valid: [null, 1.5, "x", [1], { a: 1 }], invalid: [] },
  {
    name: "annotations only",
    schema: { title: "T", description: "d", default: 1, examples: [1], deprecated: true, "x-kind": "k" },
    valid: [1, "a"],
    invalid: [],
  },
  { name: "type string", schema: { type: "string" }, valid: ["", "é"], invalid: [1, null, [], {}, true] },
  { name: "type number", schema: { type: "number" }, valid: [0, -1.5, 1e300], invalid: ["1", null, [], {}, false] },
  { name: "type integer", schema: { type: "integer" }, valid: [0, -7, 1.0, 1e300], invalid: [1.5, "1", null] },
  { name: "type boolean", schema: { type: "boolean" }, valid: [true, false], invalid: [0, "true", null] },
  { name: "type null", schema: { type: "null" }, valid: [null], invalid: [0, "", false, {}] },
  { name: "type array", schema: { type: "array" }, valid: [[], [1, "a"]], invalid: [{}, "[]", null] },
  { name: "type object", schema: { type: "object" }, valid: [{}, { a: 1 }], invalid: [[], null, "{}"] },
  { name: "a nullable string", schema: { type: ["string", "null"] }, valid: ["a", null], invalid: [0, [], {}] },
  { name: "integer or string", schema: { type: ["integer", "string"] }, valid: [1, "1"], invalid: [1.5, null] },
  { name: "number and integer", schema: { type: ["number", "integer"] }, valid: [1, 1.5], invalid: ["1"] },
  { name: "a string const", schema: { const: "add" }, valid: ["add"], invalid: ["Add", 1, null] },
  { name: "a null const", schema: { const: null }, valid: [null], invalid: [0, "", false] },
  {
    name: "an object const",
    schema: { const: { a: 1, b: [1, 2] } },
    valid: [{ b: [1, 2], a: 1 }],
    invalid: [{ a: 1 }, { a: 1, b: [2, 1] }, { a: 1, b: [1, 2], c: 0 }],
  },
  {
    name: "an enum of strings",
    schema: { enum: ["add", "divide"] },
    valid: ["add", "divide"],
    invalid: ["sub", 1, null],
  },
  {
    name: "an enum of mixed literals",
    schema: { enum: ["a", 1, true, null, { x: 1 }, [1, 2]] },
    valid: ["a", 1, 1.0, true, null, { x: 1 }, [1, 2]],
    invalid: ["1", 2, false, { x: 2 }, [2, 1], [], {}],
  },
  {
    name: "a long enum",
    schema: { enum: ["a", "b", "c", "d", "e", "f", "g", "h", 1, 2] },
    valid: ["a", "h", 2],
    invalid: ["i", 3, "1"],
  },
  {
    name: "an enum narrowed by type",
    schema: { type: "string", enum: ["a", 1, null] },
    valid: ["a"],
    invalid: [1, null, "b"],
  },
  { name: "const and enum together", schema: { const: "a", enum: ["a", "b"] }, valid: ["a"], invalid: ["b", "c"] },
  {
    name: "minimum and maximum",
    schema: { minimum: 0, maximum: 10 },
    valid: [0, 10, 5.5, "not a number"],
    invalid: [-0.1, 10.5],
  },
  {
    name: "exclusive bounds",
    schema: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
    valid: [0.5],
    invalid: [0, 1, -1],
  },
  { name: "an integer multipleOf", schema: { type: "number", multipleOf: 3 }, valid: [0, 9, -3], invalid: [1, 9.5] },
  {
    name: "a fractional multipleOf",
    schema: { type: "number", multipleOf: 0.25 },
    valid: [0.5, 1.75, 3],
    invalid: [0.3, 1.1],
  },
  {
    name: "minLength and maxLength",
    schema: { type: "string", minLength: 2, maxLength: 3 },
    valid: ["ab", "abc", "😀😀", "é😀"],
    invalid: ["a", "abcd", "😀", "😀😀😀😀"],
  },
  { name: "minLength 1", schema: { type: "string", minLength: 1 }, valid: ["a", "😀"], invalid: [""] },
  {
    name: "a pattern",
    schema: { type: "string", pattern: "[0-9]{3}" },
    valid: ["abc123", "123"],
    invalid: ["12a", ""],
  },
  { name: "a Unicode pattern", schema: { pattern: "^\\p{Lu}\\p{Ll}+$" }, valid: ["Élan", 5], invalid: ["élan", "E"] },
  {
    name: "properties, required and additionalProperties false",
    schema: {
      type: "object",
      properties: { op: { enum: ["add", "divide"] }, n: { type: "number" } },
      required: ["op"],
      additionalProperties: false,
    },
    valid: [{ op: "add" }, { op: "divide", n: 1 }],
    invalid: [{}, { n: 1 }, { op: "add", x: 1 }, { op: "mul" }, { op: "add", n: "1" }, []],
  },
  {
    name: "additionalProperties as a schema",
    schema: { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "number" } },
    valid: [{ a: "x", b: 1, c: 2 }, {}],
    invalid: [{ a: 1 }, { a: "x", b: "y" }],
  },
  {
    name: "patternProperties",
    schema: {
      type: "object",
      patternProperties: { "^x-": { type: "string" }, "^n": { type: "number" } },
      additionalProperties: false,
    },
    valid: [{ "x-a": "1", n1: 2 }, {}],
    invalid: [{ "x-a": 1 }, { other: 1 }, { n: "1" }],
  },
  {
    name: "a false pattern property",
    schema: { type: "object", patternProperties: { "^_": false } },
    valid: [{ a: 1 }],
    invalid: [{ _a: 1 }],
  },
  {
    name: "propertyNames",
    schema: { type: "object", propertyNames: { pattern: "^[a-z]+$", maxLength: 3 } },
    valid: [{ abc: 1 }, {}],
    invalid: [{ abcd: 1 }, { A: 1 }],
  },
  {
    name: "minProperties and maxProperties",
    schema: { minProperties: 1, maxProperties: 2 },
    valid: [{ a: 1 }, { a: 1, b: 2 }, [], "x"],
    invalid: [{}, { a: 1, b: 2, c: 3 }],
  },
  {
    name: "a required property without a schema",
    schema: { required: ["a", "b"] },
    valid: [{ a: 1, b: null }, "not an object"],
    invalid: [{ a: 1 }],
  },
  {
    name: "a forbidden property",
    schema: { type: "object", properties: { secret: false } },
    valid: [{ other: 1 }],
    invalid: [{ secret: 1 }],
  },
  {
    name: "items",
    schema: { type: "array", items: { type: "integer" } },
    valid: [[], [1, 2]],
    invalid: [[1, "2"], [1.5]],
  },
  {
    name: "prefixItems with items false",
    schema: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], items: false, minItems: 1 },
    valid: [["a"], ["a", 1]],
    invalid: [[], [1], ["a", "b"], ["a", 1, 2]],
  },
  {
    name: "prefixItems with items",
    schema: { type: "array", prefixItems: [{ type: "string" }], items: { type: "boolean" } },
    valid: [[], ["a"], ["a", true, false]],
    invalid: [[1], ["a", 1]],
  },
  {
    name: "minItems and maxItems",
    schema: { minItems: 1, maxItems: 2 },
    valid: [[1], [1, 2], {}],
    invalid: [[], [1, 2, 3]],
  },
  {
    name: "uniqueItems",
    schema: { uniqueItems: true },
    valid: [
      [],
      [1, "1", true, null, [1], { a: 1 }],
      [
        { a: 1, b: 2 },
        { a: 1, b: 3 },
      ],
      Array.from({ length: 40 }, (_, i) => i),
    ],
    invalid: [
      [1, 1],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [
        [1, [2]],
        [1, [2]],
      ],
      [...Array.from({ length: 40 }, (_, i) => ({ i })), { i: 3 }],
      [0, -0],
    ],
  },
  {
    name: "contains",
    schema: { type: "array", contains: { type: "string" } },
    valid: [["a"], [1, "a"]],
    invalid: [[], [1, 2]],
  },
  {
    name: "minContains and maxContains",
    schema: { contains: { const: 1 }, minContains: 2, maxContains: 3 },
    valid: [
      [1, 1],
      [1, 2, 1, 1],
    ],
    invalid: [[1], [1, 1, 1, 1]],
  },
  {
    name: "minContains 0",
    schema: { contains: { const: 1 }, minContains: 0 },
    valid: [[], [2]],
    invalid: [],
  },
  {
    name: "anyOf with overlapping branches",
    schema: {
      anyOf: [
        { type: "string", minLength: 3 },
        { type: "string", pattern: "^[0-9]+$" },
      ],
    },
    valid: ["abc", "1", "123"],
    invalid: ["ab", 1],
  },
  {
    name: "anyOf of objects that are told apart by type only",
    schema: {
      anyOf: [
        { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
        { type: "array", items: { type: "number" } },
      ],
    },
    valid: [{ a: "x" }, [1, 2]],
    invalid: [{ a: 1 }, ["x"], "s"],
  },
  {
    name: "oneOf that counts matches",
    schema: { oneOf: [{ multipleOf: 2 }, { multipleOf: 3 }] },
    valid: [2, 3, 4],
    invalid: [6, 1],
  },
  {
    name: "oneOf with disjoint types",
    schema: { oneOf: [{ type: "string" }, { type: "object", properties: { a: { type: "number" } } }] },
    valid: ["x", { a: 1 }],
    invalid: [1, { a: "x" }],
  },
  {
    name: "a discriminated oneOf",
    schema: { $ref: "#/$defs/Shape" },
    defs: shapes,
    valid: [
      { kind: "circle", radius: 1 },
      { kind: "square", side: 0 },
    ],
    invalid: [
      { kind: "circle", radius: 0 },
      { kind: "square" },
      { kind: "triangle" },
      {},
      { radius: 1 },
      "circle",
      { kind: "circle", radius: 1, side: 1 },
    ],
  },
  {
    name: "a discriminated anyOf with inline branches",
    schema: {
      anyOf: [
        { type: "object", properties: { type: { const: 1 }, a: { type: "string" } }, required: ["type", "a"] },
        { type: "object", properties: { type: { const: 2 }, b: { type: "string" } }, required: ["type"] },
      ],
    },
    valid: [{ type: 1, a: "x" }, { type: 2 }],
    invalid: [{ type: 1 }, { type: 2, b: 1 }, { type: "1", a: "x" }, { type: 3 }],
  },
  {
    name: "a discriminated oneOf with closed inline branches",
    schema: {
      oneOf: [
        {
          type: "object",
          properties: { kind: { const: "a" }, n: { type: "number" } },
          required: ["kind"],
          additionalProperties: false,
        },
        {
          type: "object",
          properties: { kind: { enum: ["b"] }, s: { type: "string" } },
          required: ["kind", "s"],
          additionalProperties: false,
        },
      ],
    },
    valid: [{ kind: "a" }, { kind: "a", n: 1 }, { kind: "b", s: "x" }],
    invalid: [{ kind: "a", s: "x" }, { kind: "b" }, { kind: "b", s: "x", n: 1 }, { kind: "c" }, { n: 1 }],
  },
  {
    name: "allOf",
    schema: { allOf: [{ $ref: "#/$defs/Address" }, { properties: { zip: { pattern: "^7" } } }] },
    defs: user,
    valid: [{ street: "s", zip: "75001" }],
    invalid: [{ street: "s", zip: "12345" }, { street: "s" }],
  },
  {
    name: "allOf of contradicting types",
    schema: { allOf: [{ type: "string" }, { type: "number" }, { const: null }] },
    valid: [],
    invalid: ["a", 1, null],
  },
  { name: "not", schema: { not: { type: "string" } }, valid: [1, null], invalid: ["a"] },
  {
    name: "not of an object schema",
    schema: { not: { type: "object", required: ["a"] } },
    valid: [{}, 1],
    invalid: [{ a: 1 }],
  },
  {
    name: "a $ref to a def whose name needs escaping",
    schema: { $ref: "#/$defs/Page<a~1b~0c>" },
    defs: { "Page<a/b~c>": { type: "array", items: { type: "string" } } },
    valid: [["x"]],
    invalid: [[1], {}],
  },
  {
    name: "a $ref beside other keywords",
    schema: { $ref: "#/$defs/Address", required: ["zip"], description: "where" },
    defs: user,
    valid: [{ street: "a", zip: "12345" }],
    invalid: [{ street: "a" }],
  },
  {
    name: "a recursive tree",
    schema: { $ref: "#/$defs/Tree" },
    defs: tree,
    valid: [{ value: 1 }, { value: 1, children: [{ value: 2, children: [{ value: 3 }] }] }],
    invalid: [
      { value: 1, children: [{ value: "2" }] },
      { value: 1, children: [{ value: 2, children: [{}] }] },
      { value: 1, extra: true },
    ],
  },
  {
    name: "any JSON value",
    schema: { $ref: "#/$defs/Json" },
    defs: jsonValue,
    valid: [null, 1, "a", [1, [true, { a: [null] }]], { a: { b: [1, "c"] } }],
    invalid: [],
  },
  {
    name: "nested objects with unions and patterns",
    schema: { type: "array", items: { $ref: "#/$defs/User" } },
    defs: user,
    valid: [
      [],
      [
        { id: 1, name: "Ann", address: null },
        {
          id: 2,
          name: "Bob",
          address: { street: "Main", zip: "12345" },
          tags: ["a", "b"],
          meta: { since: "2024-02-29T10:00:00Z" },
        },
      ],
    ],
    invalid: [
      [{ id: 0, name: "Ann", address: null }],
      [{ id: 1, name: "", address: null }],
      [{ id: 1, name: "Ann", address: { street: "Main", zip: "1234" } }],
      [{ id: 1, name: "Ann", address: 5 }],
      [{ id: 1, name: "Ann", address: null, tags: ["a", "a"] }],
      [{ id: 1, name: "Ann", address: null, tags: ["A"] }],
      [{ id: 1, name: "Ann", address: null, meta: { since: "2024-02-30T10:00:00Z" } }],
      [{ id: 1, name: "Ann", address: null, meta: { until: "x" } }],
      [{ id: 1.5, name: "Ann" }],
    ],
  },
  {
    name: "formats",
    schema: {
      type: "object",
      properties: {
        dateTime: { format: "date-time" },
        date: { format: "date" },
        time: { format: "time" },
        duration: { format: "duration" },
        email: { format: "email" },
        hostname: { format: "hostname" },
        ipv4: { format: "ipv4" },
        ipv6: { format: "ipv6" },
        uri: { format: "uri" },
        uriReference: { format: "uri-reference" },
        uuid: { format: "uuid" },
        pointer: { format: "json-pointer" },
        relativePointer: { format: "relative-json-pointer" },
      },
    },
    valid: [
      {
        dateTime: "2024-02-29T23:59:60Z",
        date: "2000-02-29",
        time: "08:30:00.123+02:00",
        duration: "P1Y2M3DT4H5M6S",
        email: "first.last+tag@example.co.uk",
        hostname: "a-b.example.com",
        ipv4: "192.168.0.255",
        ipv6: "2001:db8::ff00:42:8329",
        uri: "https://user@example.com:8080/a/b?c=d#e",
        uriReference: "../a/b?c#d",
        uuid: "123e4567-E89B-12d3-a456-426614174000",
        pointer: "/a~1b/0",
        relativePointer: "1/a",
      },
      {
        dateTime: "2024-01-01t00:00:00.5-05:30",
        ipv6: "::ffff:192.0.2.1",
        uri: "urn:isbn:0451450523",
        uriReference: "",
        pointer: "",
        relativePointer: "0#",
        duration: "P4W",
      },
      { date: 20240101, email: null },
    ],
    invalid: [
      { dateTime: "2024-02-30T00:00:00Z" },
      { dateTime: "2024-01-01T24:00:00Z" },
      { dateTime: "2024-01-01T10:00:60Z" },
      { dateTime: "2024-01-01" },
      { date: "2023-02-29" },
      { date: "2024-1-01" },
      { time: "25:00:00Z" },
      { duration: "PT" },
      { duration: "P1W2D" },
      { email: "no-at.example.com" },
      { email: "a@localhost" },
      { hostname: "-a.example.com" },
      { hostname: "a..b" },
      { ipv4: "256.1.1.1" },
      { ipv4: "01.1.1.1" },
      { ipv6: "1::2::3" },
      { ipv6: "12345::" },
      { uri: "no-scheme/path" },
      { uri: "http://exa mple.com" },
      { uriReference: "a b" },
      { uuid: "123e4567e89b12d3a456426614174000" },
      { pointer: "a/b" },
      { pointer: "/~2" },
      { relativePointer: "01/a" },
    ],
  },
];
