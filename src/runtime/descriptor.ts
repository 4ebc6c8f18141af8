/**
 * What generated code tells the runtime about a service: the contract between `jamp-gen` output and
 * `jamp-gen/runtime`. Generated `*.validate.ts` files build one `ServiceDescriptor` per service; the
 * client (`createClient`) and the server binding (`bindService`) read only this.
 *
 * A value has two forms: the TypeScript value a signature promises, and its wire form, the JSON value
 * the schema describes. They differ only for types JSON cannot carry (`Date`, `bigint`, `Uint8Array`,
 * `Map`, `Set`, and anything holding one). The sender encodes (`encode`, `encodeResult`), then the
 * receiver validates the wire form and revives it (`revive`, `reviveResult`). Where the two forms are
 * the same, those fields are absent and nothing runs. A descriptor without encoders (written before
 * they existed) still works: its values travel through `JSON.stringify` as they are.
 *
 * Everything here is plain data plus functions, so a descriptor can be built by hand in tests.
 */

/** One problem found by a validator. `path` is a JSON pointer into the checked value (`/1/tags/3`). */
export interface ValidationIssue {
  readonly path: string;
  /** The JSON Schema keyword that failed (`type`, `required`, `enum`, `format`, ...). */
  readonly keyword: string;
  /** A short predicate, readable after the path: `must be number`. */
  readonly message: string;
}

/**
 * Checks a value in its wire form (as parsed from JSON, before revival). Appends what is wrong to
 * `issues` (at most a bounded number of them) and returns whether the value is valid. `path` is the
 * JSON pointer of `value` inside the whole checked document, prefixed to every issue's path.
 */
export type Validator = (value: unknown, path: string, issues: ValidationIssue[]) => boolean;

/**
 * Turns a valid wire value into the value the TypeScript signature promises (an ISO string into a
 * `Date`, at any depth). It may change its input in place, so it is only given freshly parsed values,
 * and returns the revived value. It leaves alone `null`, `undefined` and any value whose JSON type is
 * not one its type travels as (so a union can hand each member's values to that member's reviver).
 */
export type Reviver = (wire: unknown) => unknown;

/**
 * Turns a TypeScript value into its wire form, which `JSON.stringify` then writes as it is (a `bigint`
 * into a decimal string, a `Map` into an object, at any depth). It never changes its input: it copies
 * the containers on the way to what it converts and shares the rest, and returns its input itself when
 * nothing needed converting. It leaves alone `null`, `undefined` and any value of a shape it does not
 * convert. It may throw on a value it cannot encode (an invalid `Date`).
 */
export type Encoder = (value: unknown) => unknown;

/** One declared parameter of a service method, in declaration order. */
export interface ParamDescriptor {
  readonly name: string;
  /** Declared with `?` (or a default): the caller may leave it out. */
  readonly optional: boolean;
  /**
   * Whether `null` is one of the parameter's own values (`T | null`). For an optional parameter that
   * is not nullable, `null` on the wire stands for "left out" (positional wires cannot skip a slot).
   */
  readonly nullable: boolean;
  readonly validate: Validator;
  /**
   * Present only when the parameter's type holds something JSON cannot carry (a `Date`, ...); the
   * server runs it after `validate`.
   */
  readonly revive?: Reviver;
  /** Present when `revive` is: the client runs it on the argument before sending it. */
  readonly encode?: Encoder;
}

/**
 * The JAMP message kind a method uses: `query` answers with a reply, `send` is one-way, `stream` answers
 * with any number of items, then an end or an error.
 */
export type MethodKind = "query" | "send" | "stream";

export interface MethodDescriptor {
  readonly kind: MethodKind;
  readonly params: readonly ParamDescriptor[];
  /** Checks the reply's value, in its wire form (queries only; absent for `Promise<void>`). */
  readonly result?: Validator;
  /** Present only when the result's type holds something JSON cannot carry; the client runs it. */
  readonly reviveResult?: Reviver;
  /** Present when `reviveResult` is: the server runs it on the handler's result before replying. */
  readonly encodeResult?: Encoder;
  /** Checks each item of a stream, in its wire form (streams only). */
  readonly item?: Validator;
  /** Present only when the item type holds something JSON cannot carry; the client runs it on each item. */
  readonly reviveItem?: Reviver;
  /** Present when `reviveItem` is: the server runs it on each item the handler yields before sending it. */
  readonly encodeItem?: Encoder;
}

/**
 * What a client reads of a service: its name and address, and of each method its parameters' names and
 * encoders, its result's (or items') validator and reviver. A `ServiceDescriptor` is one; generated
 * `*.validate.ts` files also build one holding only what every client runs (`calculatorClientDescriptor`:
 * names, encoders of parameters, revivers of results), so that a client's bundle leaves out the validators
 * (a client checks its results only when asked, with the service's `ResultValidators`) and the parameter
 * validators and encoders of results, which only a server runs.
 */
export interface ClientDescriptor {
  readonly name: string;
  readonly address: string;
  /** Keyed by method name; looked up as own properties only. */
  readonly methods: Readonly<Record<string, ClientMethodDescriptor>>;
  /**
   * Set where the methods carry no validators: the name of the generated `ResultValidators` constant
   * (`calculatorResultValidators`) that holds them, for the error `validateResults: true` gives.
   */
  readonly resultValidators?: string | undefined;
}

/** What a client reads of one method: a `MethodDescriptor` is one. */
export interface ClientMethodDescriptor {
  readonly params: readonly { readonly name: string; readonly encode?: Encoder | undefined }[];
  readonly result?: Validator | undefined;
  readonly reviveResult?: Reviver | undefined;
  readonly item?: Validator | undefined;
  readonly reviveItem?: Reviver | undefined;
}

/**
 * The validators of a service's results (of a stream's items), by method: what a client checks with
 * `validateResults`. Generated `*.validate.ts` files export one per service (`calculatorResultValidators`).
 */
export type ResultValidators = Readonly<
  Record<string, { readonly result?: Validator | undefined; readonly item?: Validator | undefined }>
>;

export interface ServiceDescriptor {
  /** The interface name, `Calculator`: used in error messages and by wires that name services. */
  readonly name: string;
  /** The default address, `/calculator` (kebab-case of the name, or the `@address` tag). */
  readonly address: string;
  /** Keyed by method name; looked up as own properties only. */
  readonly methods: Readonly<Record<string, MethodDescriptor>>;
}
