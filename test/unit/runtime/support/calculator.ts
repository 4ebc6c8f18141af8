/**
 * A small hand-written service for the runtime tests: its descriptor (validators written by hand, as
 * generated code would build them) and an implementation that counts calls and can hold answers back.
 */

import type { ServiceDescriptor, ValidationIssue, Validator } from "../../../../src/runtime/descriptor.js";
import { JampError } from "../../../../src/runtime/errors.js";
import { reviveDate } from "../../../../src/runtime/revive.js";

function typeCheck(type: "number" | "string", test: (value: unknown) => boolean): Validator {
  return (value: unknown, path: string, issues: ValidationIssue[]) => {
    if (test(value)) return true;
    issues.push({ path, keyword: "type", message: `must be ${type}` });
    return false;
  };
}

export const isNumber = typeCheck("number", (value) => typeof value === "number");
export const isString = typeCheck("string", (value) => typeof value === "string");
const isStringOrNull: Validator = (value, path, issues) => value === null || isString(value, path, issues);
const isDateTime: Validator = (value, path, issues) => {
  if (typeof value === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) return true;
  issues.push({ path, keyword: "format", message: 'must match format "date-time"' });
  return false;
};
const isAnything: Validator = () => true;

const number = (name: string) => ({ name, optional: false, nullable: false, validate: isNumber });

export const calculatorDescriptor: ServiceDescriptor = {
  name: "Calculator",
  address: "/calculator",
  methods: {
    add: { kind: "query", params: [number("a"), number("b")], result: isNumber },
    divide: { kind: "query", params: [number("a"), number("b")], result: isNumber },
    crash: { kind: "query", params: [] },
    throwString: { kind: "query", params: [] },
    nothing: { kind: "query", params: [] },
    bigint: { kind: "query", params: [] },
    /** Answers only when the test releases it. */
    hold: { kind: "query", params: [number("value")], result: isNumber },
    /** Declared with a `string` result, but returns whatever it is given. */
    echo: {
      kind: "query",
      params: [{ name: "value", optional: false, nullable: true, validate: isAnything }],
      result: isString,
    },
    shift: {
      kind: "query",
      params: [
        { name: "when", optional: false, nullable: false, validate: isDateTime, revive: reviveDate },
        number("days"),
      ],
      result: isDateTime,
      reviveResult: reviveDate,
    },
    greet: {
      kind: "query",
      params: [
        { name: "name", optional: false, nullable: false, validate: isString },
        { name: "greeting", optional: true, nullable: false, validate: isString },
        { name: "suffix", optional: true, nullable: true, validate: isStringOrNull },
      ],
      result: isString,
    },
    log: { kind: "send", params: [{ name: "line", optional: false, nullable: false, validate: isString }] },
    /** Declared, never implemented. */
    sqrt: { kind: "query", params: [number("x")], result: isNumber },
  },
};

interface Held {
  readonly value: number;
  readonly resolve: (value: number) => void;
}

/** Every handler counts its calls, so a test can assert that one never ran. */
export class Calculator {
  calls = 0;
  readonly lines: string[] = [];
  readonly held: Held[] = [];
  readonly received: unknown[] = [];

  add(a: number, b: number): number {
    this.calls++;
    return a + b;
  }

  async divide(a: number, b: number): Promise<number> {
    this.calls++;
    if (b === 0) throw new JampError("division-by-zero", "cannot divide by zero", { data: { dividend: a } });
    return a / b;
  }

  crash(): never {
    this.calls++;
    throw new Error("disk on fire");
  }

  throwString(): never {
    this.calls++;
    throw "oops"; // what a careless handler might do
  }

  nothing(): void {
    this.calls++;
  }

  bigint(): bigint {
    this.calls++;
    return 10n;
  }

  hold(value: number): Promise<number> {
    this.calls++;
    return new Promise((resolve) => this.held.push({ value, resolve }));
  }

  echo(value: unknown): unknown {
    this.calls++;
    return value;
  }

  shift(when: Date, days: number): Date {
    this.calls++;
    this.received.push(when);
    return new Date(when.getTime() + days * 86_400_000);
  }

  greet(name: string, greeting?: string, suffix?: string | null): string {
    this.calls++;
    this.received.push(Array.from(arguments));
    return `${greeting ?? "Hello"}, ${name}${suffix ?? ""}`;
  }

  log(line: string): void {
    this.calls++;
    this.lines.push(line);
  }

  /** Answers every held call, in the order given by `order` (indices into `held`). */
  release(order: readonly number[] = this.held.map((_, i) => i)): void {
    const held = this.held.splice(0);
    for (const i of order) {
      const call = held[i];
      if (call !== undefined) call.resolve(call.value);
    }
  }
}

/** Resolves once `condition()` holds, checking after each macrotask; fails after `ms`. */
export async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
