import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, test } from "vitest";
import type { ValidationIssue } from "../../../src/runtime/descriptor.js";
import {
  addIssue,
  codePointLength,
  escapePointerToken,
  findDuplicateItems,
  isDate,
  isDateTime,
  isDuration,
  isEmail,
  isHostname,
  isIpv4,
  isIpv6,
  isJsonEqual,
  isJsonObject,
  isJsonPointer,
  isMultipleOf,
  isRelativeJsonPointer,
  isTime,
  isUri,
  isUriReference,
  isUuid,
  MAX_VALIDATION_ISSUES,
} from "../../../src/runtime/validation.js";
import { formatCheckers } from "../../../src/validators/formats.js";
import * as runtime from "../../../src/runtime/validation.js";

const ajv = new Ajv2020({ strict: false });
addFormatsModule.default(ajv);

/** Per format: its checker and samples with the expected verdict, which ajv-formats shares unless listed in `differs`. */
const formats: Record<
  string,
  { check: (text: string) => boolean; valid: string[]; invalid: string[]; differs?: string[] }
> = {
  "date-time": {
    check: isDateTime,
    // RFC 3339 § 5.6 wants "T" between date and time; ajv also takes a space.
    valid: [
      "2024-02-29T08:30:00Z",
      "1990-12-31T23:59:60Z",
      "1990-12-31T15:59:60-08:00",
      "2024-01-01T00:59:60+01:00",
      "2024-01-01t00:00:00.123456+05:45",
      "0000-01-01T00:00:00z",
      "1990-12-31T18:29:60-05:30",
      "2024-01-01T05:29:60.25+05:30",
    ],
    invalid: [
      "2023-02-29T00:00:00Z",
      "2024-01-01T23:58:60Z",
      "2024-01-01T23:59:60+01:00",
      "2024-01-01T00:00:00",
      "2024-01-01T0:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-01-01T00:00:00.Z",
      "2024-01-01T00:00:00+24:00",
      "2024-01-01T00:00:00Z ",
      "2024-01-01T00:00:00Z\n",
      "2024-04-31T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2024-01-01T00:00:00.5.5Z",
      "2024-01-01T12:29:60-05:30",
      "2024-01-01T00:00:00+01:60",
      "",
      "2024-01-01 00:00:00Z",
    ],
    differs: ["2024-01-01 00:00:00Z"],
  },
  date: {
    check: isDate,
    valid: ["2024-02-29", "2000-02-29", "2023-04-30"],
    invalid: [
      "1900-02-29",
      "2023-04-31",
      "2023-00-01",
      "2023-1-01",
      "20230101",
      "2023-01-01T00:00:00Z",
      "２０２３-01-01",
    ],
  },
  time: {
    check: isTime,
    valid: ["00:00:00Z", "23:59:59.999+23:59", "12:30:00-00:00"],
    invalid: ["24:00:00Z", "12:60:00Z", "12:00:61Z", "23:59:60+00:01", "12:00:00", "12:00Z", "12:00:00+1:00", "12:00:00+01:60"],
  },
  duration: {
    check: isDuration,
    valid: ["P1Y", "P1M2D", "PT1H", "PT1M30S", "P1DT1S", "P12W"],
    invalid: ["P", "PT", "P1", "1Y", "P1S", "P1D2Y", "PT1.5S", "P1WT1H"],
  },
  email: {
    check: isEmail,
    valid: ["a@b.co", "first.last@sub.example.org", "x+y=z@example.com", "o'hara@example.ie"],
    invalid: [
      "@b.co",
      "a@",
      "a@b",
      "a..b@c.org",
      ".a@b.org",
      "a.@b.org",
      "a b@c.org",
      "a@-b.org",
      "a@b_c.org",
      '"a"@b.org',
      "a@[127.0.0.1]",
      "ä@b.org",
    ],
  },
  hostname: {
    check: isHostname,
    valid: ["example", "a.b-c.d", "xn--bcher-kva.example", "example.com.", "1.2.3.4", `${"a".repeat(63)}.com`],
    invalid: ["", ".", "-a", "a-", "a..b", "a_b", `${"a".repeat(64)}.com`, `${"a.".repeat(127)}ab`],
  },
  ipv4: {
    check: isIpv4,
    valid: ["0.0.0.0", "255.255.255.255", "10.0.0.1"],
    invalid: ["256.0.0.0", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", "1.2.3.4 ", "a.b.c.d"],
  },
  ipv6: {
    check: isIpv6,
    valid: [
      "::",
      "::1",
      "1::",
      "1:2:3:4:5:6:7:8",
      "1::8",
      "fe80::1:2",
      "::ffff:1.2.3.4",
      "1:2:3:4:5:6:1.2.3.4",
      "ABCD:ef01::",
    ],
    invalid: [
      ":",
      ":1",
      "1:",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      "12345::",
      "1:2:3:4:5:6:7:1.2.3.4",
      "::1.2.3",
      "fe80::1%eth0",
      "g::",
      "1:::2",
    ],
  },
  uri: {
    check: isUri,
    valid: [
      "http://example.com",
      "https://u:p@[2001:db8::1]:8080/p/a?q=1&r#frag",
      "mailto:a@b.org",
      "urn:isbn:0451450523",
      "file:///etc/hosts",
      "a+b.c-d:x",
      "http://h/%20",
    ],
    invalid: [
      "example.com",
      "/path",
      "1http://x",
      "http://exa mple.com",
      "http://h/%2",
      "http://[::1/",
      "http://h:80a/",
      "http://h/a#b#c",
      "http://h/\u00e9",
    ],
    // ajv's pattern reads "//h:80a/" as "/" and an empty authority followed by the path "/h:80a/".
    differs: ["http://h:80a/"],
  },
  "uri-reference": {
    check: isUriReference,
    valid: ["", "#", "/a/b", "a/b?c", "../x", "//host/p", "http://x/y", "?q", "a@b"],
    invalid: ["a b", "\\\\x", "%zz", "http://h/#a#b"],
  },
  uuid: {
    check: isUuid,
    valid: [
      "123e4567-e89b-12d3-a456-426614174000",
      "00000000-0000-0000-0000-000000000000",
      "ABCDEF01-2345-6789-abcd-ef0123456789",
    ],
    invalid: [
      "123e4567e89b12d3a456426614174000",
      "123e4567-e89b-12d3-a456-42661417400",
      "123e4567-e89b-12d3-a456-4266141740000",
      "g23e4567-e89b-12d3-a456-426614174000",
      "{123e4567-e89b-12d3-a456-426614174000}",
    ],
  },
  "json-pointer": {
    check: isJsonPointer,
    valid: ["", "/", "/a/b", "/a~0b/~1", "//"],
    invalid: ["a", "/~", "/~2", "#/a"],
  },
  "relative-json-pointer": {
    check: isRelativeJsonPointer,
    valid: ["0", "1/a", "12#", "0/"],
    invalid: ["", "-1", "01", "1#/a", "/a", "a"],
  },
};

describe("format checkers", () => {
  test("cover exactly the formats the compiler accepts, under the names it imports", () => {
    expect(Object.keys(formats).sort()).toEqual(Object.keys(formatCheckers).sort());
    for (const [format, name] of Object.entries(formatCheckers))
      expect((runtime as Record<string, unknown>)[name], format).toBe(formats[format]!.check);
  });

  describe.each(Object.entries(formats))("%s", (format, { check, valid, invalid, differs = [] }) => {
    test.each(valid)("accepts %j", (text) => expect(check(text)).toBe(true));
    test.each(invalid)("rejects %j", (text) => expect(check(text)).toBe(false));
    test("agrees with ajv-formats on every sample but the listed differences", () => {
      const ajvCheck = ajv.compile({ type: "string", format });
      const disagreements = [...valid, ...invalid].filter((text) => ajvCheck(text) !== check(text));
      expect(disagreements).toEqual(differs);
    });
  });
});

describe("codePointLength", () => {
  test.each([
    ["", 0],
    ["abc", 3],
    ["é", 1],
    ["😀", 1],
    ["a😀b😀", 4],
    ["\ud800", 1],
    ["\ud800a", 2],
    ["\udc00\ud800", 2],
  ])("counts %j as %i code points", (text, length) => expect(codePointLength(text)).toBe(length));
});

describe("isMultipleOf", () => {
  test.each([
    [0.3, 0.1, true],
    [19.99, 0.01, true],
    [-4.5, 1.5, true],
    [1e-7, 1e-8, true],
    [0.35, 0.1, false],
    [1.0000001, 0.5, false],
    [1e21, 0.3, false],
  ])("%d is a multiple of %d: %s", (value, divisor, expected) => expect(isMultipleOf(value, divisor)).toBe(expected));
});

describe("isJsonEqual", () => {
  test.each([
    [1, 1.0, true],
    [0, -0, true],
    ["1", 1, false],
    [null, {}, false],
    [[1, { a: [2] }], [1, { a: [2] }], true],
    [[1, 2], [2, 1], false],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [{ a: undefined }, { b: undefined }, false],
    [[], {}, false],
  ])("%j equals %j: %s", (a, b, expected) => {
    expect(isJsonEqual(a, b)).toBe(expected);
    expect(isJsonEqual(b, a)).toBe(expected);
  });

  test("compares an own __proto__ key like any other", () => {
    expect(isJsonEqual(JSON.parse('{"__proto__": 1}'), {})).toBe(false);
    expect(isJsonEqual(JSON.parse('{"__proto__": 1}'), JSON.parse('{"__proto__": 1}'))).toBe(true);
  });
});

describe("findDuplicateItems", () => {
  test.each([
    [[], undefined],
    [[1, "1", true, null], undefined],
    [
      [1, 2, 1],
      [0, 2],
    ],
    [
      [
        { a: 1, b: [1] },
        { b: [1], a: 1 },
      ],
      [0, 1],
    ],
  ])("finds the first duplicate pair in %j: %j", (items, expected) =>
    expect(findDuplicateItems(items)).toEqual(expected),
  );

  test("agrees with pairwise comparison on long arrays of mixed values", () => {
    const distinct = [
      ...Array.from({ length: 20 }, (_, i) => i),
      ...Array.from({ length: 20 }, (_, i) => String(i)),
      { a: 1 },
      { a: "1" },
      [1],
      ["1"],
      null,
      true,
    ];
    expect(findDuplicateItems(distinct)).toBeUndefined();
    expect(findDuplicateItems([...distinct, { a: "1" }])).toEqual([41, distinct.length]);
    expect(findDuplicateItems([...distinct, "7"])).toEqual([27, distinct.length]);
  });
});

describe("helpers", () => {
  test("addIssue appends until the list is full and always returns false", () => {
    const issues: ValidationIssue[] = [];
    for (let i = 0; i < MAX_VALIDATION_ISSUES + 5; i++)
      expect(addIssue(issues, `/${i}`, "type", "must be string")).toBe(false);
    expect(issues).toHaveLength(MAX_VALIDATION_ISSUES);
    expect(issues[0]).toEqual({ path: "/0", keyword: "type", message: "must be string" });
  });

  test("isJsonObject accepts objects only, not null or arrays", () => {
    expect([{}, JSON.parse("{}"), Object.create(null)].every(isJsonObject)).toBe(true);
    expect([null, [], "{}", 1, undefined].some(isJsonObject)).toBe(false);
  });

  test("escapePointerToken escapes ~ before /", () => {
    expect(escapePointerToken("a/b~c~1")).toBe("a~1b~0c~01");
  });
});
