/**
 * What generated code tells the runtime about a service: the contract between `jamp-gen` output and
 * `jamp-gen/runtime`. Generated `*.validate.ts` files build one `ServiceDescriptor` per service; the
 * client (`createClient`) and the server binding (`bindService`) read only this.
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
 * and returns the revived value.
 */
export type Reviver = (wire: unknown) => unknown;

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
  /** Present only when the parameter's type holds something JSON cannot carry (a `Date`, ...). */
  readonly revive?: Reviver;
}

/** The JAMP message kind a method uses: `query` answers with a reply, `send` is one-way. */
export type MethodKind = "query" | "send";

export interface MethodDescriptor {
  readonly kind: MethodKind;
  readonly params: readonly ParamDescriptor[];
  /** Checks the reply's value (queries only; absent for `Promise<void>`). */
  readonly result?: Validator;
  /** Present only when the result's type holds something JSON cannot carry. */
  readonly reviveResult?: Reviver;
}

export interface ServiceDescriptor {
  /** The interface name, `Calculator`: used in error messages and by wires that name services. */
  readonly name: string;
  /** The default address, `/calculator` (kebab-case of the name, or the `@address` tag). */
  readonly address: string;
  /** Keyed by method name; looked up as own properties only. */
  readonly methods: Readonly<Record<string, MethodDescriptor>>;
}
