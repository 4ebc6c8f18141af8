/**
 * Agreement with an independent oracle. For every named type of every fixture's model, ajv judges
 * values twice: against jamp-gen's emitted schema (`expected/*.schema.json`, `$defs[name]`) and against
 * the schema ts-json-schema-generator writes from the same TypeScript (`support/oracle.ts`). The values
 * are generated from the model (`support/arbitrary.ts`): valid ones, and each of those once mutated
 * (a required member dropped, an unknown one added, a JSON type changed, a literal replaced, a keyword
 * broken). The two verdicts must be the same, but where `intendedDifferences` says why they are not.
 * Fixed seed, bounded runs: the same values every time.
 */
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { kinds, type TypeNode } from "../src/kinds/index.js";
import type { Model } from "../src/model/model.js";
import { mutate, sampleOf, supportedKinds, type Mutation } from "./support/arbitrary.js";
import { findFixtures, type Fixture } from "./support/fixtures.js";
import { createOracle } from "./support/oracle.js";

const SEED = 20_260_521;
/** Valid values per type; each is also mutated once, so twice as many verdicts. */
const RUNS = 100;

interface Disagreement {
  /** Every kind the named type reaches, through other named types too. */
  kinds: ReadonlySet<string>;
  /** The fixture's `unknownProperties` choice, as its schema records it (`reject` when it says none). */
  unknownProperties: string;
  /** `undefined` for a valid value, else the mutation that made it. */
  mutation: Mutation | undefined;
  value: unknown;
  jamp: boolean;
  oracle: boolean;
}

interface Difference {
  reason: string;
  covers(d: Disagreement): boolean;
}

/** Where jamp-gen's schemas and the oracle's differ on purpose. Any other disagreement fails. */
const intendedDifferences: Readonly<Record<string, Difference>> = {
  integer: {
    reason: "jamp-gen's integer brand and @integer tag emit `type: integer`; the oracle knows neither and says `number`",
    covers: (d) => d.mutation?.kind === "break-keyword" && d.mutation.detail === "integer" && !d.jamp && d.oracle,
  },
  numberKeys: {
    reason: "jamp-gen checks the keys of a `[key: number]` index signature against a numeric pattern (`propertyNames`); the oracle allows any key",
    covers: (d) => d.mutation?.kind === "add-unknown" && d.mutation.detail.endsWith("(number-keyed)") && !d.jamp && d.oracle,
  },
  openObjects: {
    reason: "a fixture with `unknownProperties: allow` or `strip` (its options.json) leaves objects open; the oracle closes them",
    covers: (d) => d.unknownProperties !== "reject" && d.mutation?.kind === "add-unknown" && d.mutation.node === "object" && d.jamp && !d.oracle,
  },
  templateLiteral: {
    reason: "jamp-gen gives a template literal type the exact pattern TypeScript matches; the oracle says `type: string` (for a union holding one too, its literals included)",
    covers: (d) =>
      d.kinds.has("template-literal") && d.mutation?.kind === "replace-literal" && ["literal", "template-literal"].includes(d.mutation.node) && !d.jamp && d.oracle,
  },
};

/** How often each intended difference showed, and how many verdicts there were: printed with JAMP_AGREEMENT_TALLY=1. */
const tally = new Map<string, number>();
const count = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);
afterAll(() => {
  if (process.env.JAMP_AGREEMENT_TALLY) console.log(Object.fromEntries([...tally].sort()));
});

const root = path.resolve(import.meta.dirname, "..");
const fixtures = findFixtures(path.join(root, "fixtures"));
const oracle = createOracle(fixtures, root);
const addFormats = addFormatsModule.default;

describe("the arbitrary", () => {
  it("knows every kind registered in src/kinds/index.ts", () => {
    expect(kinds.map((k) => k.kind).filter((k) => !supportedKinds.has(k))).toEqual([]);
  });

  it("throws on a kind it does not know", () => {
    const unknown = { kind: "no-such-kind" } as unknown as TypeNode;
    expect(() => sampleOf(unknown, { types: {} })).toThrow("sampleOf does not know the kind 'no-such-kind'");
  });
});

describe.each(fixtures.map((f) => [f.name, f] as const))("fixture %s", (_name, fixture) => {
  const jampValidatorOf = jampValidators(fixture);
  const unknownProperties = unknownPropertiesOf(fixture);

  it.each(Object.keys(fixture.model.types))("ajv agrees on %s under jamp-gen's schema and the oracle's", (name) => {
    const jamp = jampValidatorOf(name);
    const verdict = oracle.validatorOf(fixture, name);
    if ("error" in verdict) expect.fail(`the oracle has no schema for ${name}: ${verdict.error}`);
    const samples = fc.sample(fc.tuple(sampleOf({ kind: "ref", name }, { types: fixture.model.types }), fc.nat()), { seed: SEED, numRuns: RUNS });
    const kinds = kindsOf(fixture.model, name);
    const refused: unknown[] = [];
    const disagreements: Disagreement[] = [];
    const judge = (value: unknown, mutation: Mutation | undefined) => {
      const d = { kinds, unknownProperties, mutation, value, jamp: jamp(value), oracle: verdict.validate(value) };
      count(`verdicts: ${mutation ? `${mutation.kind}, jamp-gen ${d.jamp ? "accepts" : "refuses"}` : "valid"}`);
      if (d.jamp === d.oracle) return;
      const intended = Object.entries(intendedDifferences).find(([, difference]) => difference.covers(d));
      if (intended) count(`intended: ${intended[0]}`);
      else disagreements.push(d);
    };
    for (const [sample, pick] of samples) {
      if (!jamp(sample.wire)) refused.push(sample.wire);
      judge(sample.wire, undefined);
      const mutation = sample.mutations[pick % sample.mutations.length];
      if (mutation) judge(mutate(sample.wire, mutation), mutation);
    }
    expect.soft(refused, "jamp-gen's schema refuses values generated as valid").toEqual([]);
    expect(disagreements.slice(0, 10).map(describeDisagreement), `${disagreements.length} disagreements`).toEqual([]);
  });
});

/** ajv on the `$defs` of the fixture's schemas (the first schema that defines the name). */
function jampValidators(fixture: Fixture): (name: string) => (value: unknown) => boolean {
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  for (const [file, schema] of Object.entries(fixture.schemas)) ajv.addSchema(schema, idOf(file));
  return (name) => {
    const file = Object.keys(fixture.schemas).find((f) => Object.hasOwn((fixture.schemas[f]!.$defs ?? {}) as object, name));
    if (file === undefined) throw new Error(`no schema of ${fixture.name} defines ${name}`);
    const pointer = name.replaceAll("~", "~0").replaceAll("/", "~1");
    const validate = ajv.compile({ $ref: `${idOf(file)}#/$defs/${encodeURIComponent(pointer)}` });
    return (value) => validate(value);
  };
}

/** The `unknownProperties` the fixture's schemas record in `x-jamp-service` (they record only a choice other than the default). */
function unknownPropertiesOf(fixture: Fixture): string {
  const recorded = Object.values(fixture.schemas).map((schema) => (schema["x-jamp-service"] as { unknownProperties?: string } | undefined)?.unknownProperties);
  return recorded.find((value) => value !== undefined) ?? "reject";
}

/** The kinds a named type reaches. */
function kindsOf(model: Model, name: string): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    const { kind, name: ref } = node as { kind?: unknown; name?: unknown };
    if (typeof kind === "string") found.add(kind);
    if (kind === "ref" && typeof ref === "string" && !seen.has(ref)) {
      seen.add(ref);
      visit(model.types[ref]?.type);
    }
    Object.values(node).forEach(visit);
  };
  visit({ kind: "ref", name });
  return found;
}

function idOf(file: string): string {
  return `https://jamp-gen.test/${file}`;
}

function describeDisagreement(d: Disagreement): string {
  const what = d.mutation ? `${d.mutation.kind} (${d.mutation.detail}) at /${d.mutation.path.join("/")} of a ${d.mutation.node}` : "a valid value";
  const verdict = (valid: boolean) => (valid ? "accepts" : "refuses");
  return `${what}: jamp-gen ${verdict(d.jamp)}, the oracle ${verdict(d.oracle)}: ${JSON.stringify(d.value)}`;
}
