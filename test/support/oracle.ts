/**
 * The independent oracle: ts-json-schema-generator reads the fixtures' TypeScript and writes its own
 * draft-07 schema for each named type, which ajv then checks values against. One TypeScript program
 * holds every fixture, so the lib files are read once.
 *
 * Configured as close to jamp-gen's documented wire as it allows: objects are closed
 * (`additionalProperties: false`), tuples are closed (`strictTuples`), and the types JSON cannot carry
 * get the wire forms the README and `src/kinds/` describe (a `bigint` as a decimal string, a
 * `Uint8Array` as base64, a `Set` as an array, a `Map` as an object or an array of pairs), written here
 * from those descriptions. Generic instances (`Page<User>`, the def `Page_User`) are read from aliases
 * in one extra, in-memory file per fixture.
 */
import path from "node:path";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import tsj from "ts-json-schema-generator";
import { kindOf, type RenderContext, type TypeNode } from "../../src/kinds/index.js";
import type { Model } from "../../src/model/model.js";
import type { Fixture } from "./fixtures.js";

const { ts } = tsj;
type Ts = typeof ts;
const addFormats = addFormatsModule.default;

/** What the oracle says of one named type: a validator, or why it has none. */
export type OracleVerdict = { validate: (value: unknown) => boolean; schema: unknown } | { error: string };

export interface Oracle {
  /** The oracle's validator for the named type `name` of `fixture`'s model. */
  validatorOf(fixture: Fixture, name: string): OracleVerdict;
}

const VIRTUAL = "__jamp_oracle__.ts";
const ALIAS = "JampOracle_";

export function createOracle(fixtures: readonly Fixture[], root: string): Oracle {
  const virtual = new Map<string, string>();
  for (const fixture of fixtures) virtual.set(path.join(fixture.dir, VIRTUAL), aliasFile(fixture, root));
  const options: import("typescript").CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) => {
    const text = virtual.get(file);
    return text === undefined ? getSourceFile.call(host, file, language, ...rest) : ts.createSourceFile(file, text, language);
  };
  host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
  host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
  const program = ts.createProgram([...fixtures.flatMap((f) => f.inputs), ...virtual.keys()], options, host);

  const config = {
    ...tsj.DEFAULT_CONFIG,
    expose: "all" as const,
    jsDoc: "extended" as const,
    strictTuples: true,
    additionalProperties: false,
    skipTypeCheck: true,
  };
  const parser = tsj.createParser(program, config, (chain) => {
    chain.addNodeParser(new WireParser(ts, program, chain as unknown as import("ts-json-schema-generator").NodeParser));
  });
  const formatter = tsj.createFormatter(config, (chain, circular) => {
    chain.addTypeFormatter(new WireFormatter(circular));
  });
  const generator = new tsj.SchemaGenerator(program, parser, formatter, config);
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);

  return {
    validatorOf(fixture, name) {
      try {
        const declaration = findDeclaration(program, fixture, name, root);
        const schema = generator.createSchemaFromNodes([declaration]);
        const validate = ajv.compile(schema as object);
        return { validate: (value) => validate(value), schema };
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

/** The declaration the model's named type comes from: the type itself, or its alias in the extra file. */
function findDeclaration(program: import("typescript").Program, fixture: Fixture, name: string, root: string): import("typescript").Node {
  const named = fixture.model.types[name];
  if (!named) throw new Error(`the model has no type '${name}'`);
  const [file, declared] = named.typeName ? [path.join(fixture.dir, VIRTUAL), ALIAS + name] : [path.resolve(root, named.file), name];
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`the oracle's program lacks ${file}`);
  for (const statement of source.statements) {
    if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name.text === declared) {
      return statement;
    }
  }
  throw new Error(`no declaration of '${declared}' in ${file}`);
}

/** `export type JampOracle_Page_User = Page<User>;` for each generic instance, with its imports. */
function aliasFile(fixture: Fixture, root: string): string {
  const model = fixture.model;
  const imports = new Map<string, Set<string>>();
  const use = (ref: { name: string; typeName?: string }) => {
    const named = model.types[ref.name];
    if (!named) throw new Error(`the model has no type '${ref.name}'`);
    let from = named.module;
    if (from === undefined) {
      const relative = path.relative(fixture.dir, path.resolve(root, named.file)).replace(/\.ts$/, ".js");
      from = relative.startsWith(".") ? relative : `./${relative}`;
    }
    imports.set(from, (imports.get(from) ?? new Set()).add(ref.typeName ?? ref.name));
  };
  const aliases: string[] = [];
  for (const [name, named] of Object.entries(model.types)) {
    if (!named.typeName) continue;
    const ref = findRef(model, name);
    if (!ref) throw new Error(`no reference to the generic instance '${name}' in the model`);
    for (const r of refsIn(ref)) use(r);
    aliases.push(`export type ${ALIAS}${name} = ${typeText(ref)};`);
  }
  const lines = [...imports].map(([from, names]) => `import type { ${[...names].join(", ")} } from ${JSON.stringify(from)};`);
  return [...lines, ...aliases, ""].join("\n");
}

/** A `ref` node naming `name` somewhere in the model (it carries the generic instance's arguments). */
function findRef(model: Model, name: string): TypeNode | undefined {
  const visit = (node: unknown): TypeNode | undefined => {
    if (Array.isArray(node)) {
      for (const item of node) {
        const found = visit(item);
        if (found) return found;
      }
      return undefined;
    }
    if (node === null || typeof node !== "object") return undefined;
    const record = node as { kind?: unknown; name?: unknown; args?: unknown };
    if (record.kind === "ref" && record.name === name && Array.isArray(record.args)) return node as TypeNode;
    return visit(Object.values(node));
  };
  return visit([model.services, Object.values(model.types).map((t) => t.type)]);
}

function refsIn(node: unknown): { name: string; typeName?: string }[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== "object") return [];
  const record = node as { kind?: unknown; name?: unknown; typeName?: unknown };
  const own = record.kind === "ref" ? [record as { name: string; typeName?: string }] : [];
  return [...own, ...Object.values(node).flatMap(refsIn)];
}

/** The TypeScript text of a node, as the kinds spell it in generated signatures. */
function typeText(node: TypeNode): string {
  const cx = {
    tsType: (n: TypeNode) => kindOf(n).tsType(n, cx),
    useType: () => undefined,
    useRuntime: () => undefined,
  } as unknown as RenderContext;
  return cx.tsType(node);
}

// ---------------------------------------------------------------------------------------------------
// The wire forms of what JSON cannot carry, as the oracle's own types

type Wire = "bigint" | "bytes" | "set" | "unique-set" | "map-object" | "map-names" | "map-entries";

class WireType extends tsj.BaseType {
  constructor(
    readonly wire: Wire,
    readonly children: readonly import("ts-json-schema-generator").BaseType[],
  ) {
    super();
  }
  getId(): string {
    return `jamp-wire-${this.wire}<${this.children.map((c) => c.getId()).join(",")}>`;
  }
}

const containers = new Set(["Map", "ReadonlyMap", "Set", "ReadonlySet", "Uint8Array"]);

class WireParser {
  constructor(
    private readonly ts: Ts,
    private readonly program: import("typescript").Program,
    private readonly child: import("ts-json-schema-generator").NodeParser,
  ) {}

  supportsNode(node: import("typescript").Node): boolean {
    if (node.kind === this.ts.SyntaxKind.BigIntKeyword) return true;
    if (!this.ts.isTypeReferenceNode(node) || !this.ts.isIdentifier(node.typeName) || !containers.has(node.typeName.text)) return false;
    // The standard library's, not a user's own type of that name.
    const symbol = this.program.getTypeChecker().getSymbolAtLocation(node.typeName);
    return (symbol?.declarations ?? []).some((d) => this.program.isSourceFileDefaultLibrary(d.getSourceFile()));
  }

  createType(node: import("typescript").Node, context: import("ts-json-schema-generator").Context): import("ts-json-schema-generator").BaseType {
    if (node.kind === this.ts.SyntaxKind.BigIntKeyword) return new WireType("bigint", []);
    const reference = node as import("typescript").TypeReferenceNode;
    const name = (reference.typeName as import("typescript").Identifier).text;
    const args = [...(reference.typeArguments ?? [])];
    const children = args.map((a) => this.child.createType(a, context));
    if (name === "Uint8Array") return new WireType("bytes", []);
    const checker = this.program.getTypeChecker();
    if (name === "Set" || name === "ReadonlySet") {
      return new WireType(this.#all(checker.getTypeFromTypeNode(args[0]!), PRIMITIVE) ? "unique-set" : "set", children);
    }
    const key = checker.getTypeFromTypeNode(args[0]!);
    if (!this.#all(key, this.ts.TypeFlags.StringLike)) return new WireType("map-entries", children);
    return new WireType(key.flags & this.ts.TypeFlags.String ? "map-object" : "map-names", children);
  }

  /** Whether every member of a union (or a branded one's primitive) has one of `flags`. */
  #all(type: import("typescript").Type, flags: number): boolean {
    const members = type.isUnion() ? type.types : [type];
    return members.every((m) => (m.flags & flags) !== 0 || (m.isIntersection() && m.types.some((p) => (p.flags & flags) !== 0)));
  }
}

/** Values a `Set` compares as JSON does: strings, numbers, booleans, bigints and null. */
const PRIMITIVE = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.Null;

class WireFormatter {
  constructor(private readonly child: import("ts-json-schema-generator").TypeFormatter) {}

  supportsType(type: import("ts-json-schema-generator").BaseType): boolean {
    return type instanceof WireType;
  }

  getDefinition(type: WireType): import("ts-json-schema-generator").Definition {
    const [first, second] = type.children.map((c) => this.child.getDefinition(c));
    switch (type.wire) {
      case "bigint":
        // Canonical decimal: no leading zeros, no sign on zero.
        return { type: "string", pattern: "^(?:0|-?[1-9]\\d*)$" };
      case "bytes":
        // Canonical base64: padded, and the bits the padding leaves over are zero.
        return { type: "string", pattern: "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=|[A-Za-z0-9+/][AQgw]==)?$" };
      case "set":
        return { type: "array", items: first! };
      case "unique-set":
        return { type: "array", items: first!, uniqueItems: true };
      case "map-object":
        return { type: "object", additionalProperties: second! };
      case "map-names":
        // The `anyOf` accepts everything; it is there because the generator keeps only the definitions
        // it finds under `properties`, `items`, `anyOf`, ..., and never looks into `propertyNames`.
        return { allOf: [{ type: "object", propertyNames: first!, additionalProperties: second! }, { anyOf: [first!, true] }] };
      case "map-entries":
        return { type: "array", items: { type: "array", items: [first!, second!], minItems: 2, maxItems: 2 } };
    }
  }

  getChildren(type: WireType): import("ts-json-schema-generator").BaseType[] {
    return type.children.flatMap((c) => this.child.getChildren(c));
  }
}
