import { describe, expect, it } from "vitest";
import { bindService } from "../../../src/runtime/service.js";
import { Calculator, calculatorDescriptor } from "./support/calculator.js";
import { ledgerDescriptor } from "./support/ledger.js";
import { JampError } from "../../../src/runtime/errors.js";
import { rejection } from "../../support/rejection.js";


describe("bindService", () => {
  it("binds at the descriptor's address unless told otherwise", () => {
    expect(bindService(calculatorDescriptor, new Calculator()).address).toBe("/calculator");
    expect(bindService(calculatorDescriptor, new Calculator(), { address: "/calc/v2" }).address).toBe("/calc/v2");
  });

  it("calls the implementation with this bound to it", async () => {
    const impl = new Calculator();
    expect(bindService(calculatorDescriptor, impl).dispatch("add", [1, 2])).toBe(3);
    expect(impl.calls).toBe(1);
  });

  it("reads null as left out for an optional parameter that is not nullable", async () => {
    const impl = new Calculator();
    const binding = bindService(calculatorDescriptor, impl);
    expect(binding.dispatch("greet", ["Ann", null, "!"])).toBe("Hello, Ann!");
    expect(binding.dispatch("greet", ["Ann", null])).toBe("Hello, Ann");
    expect(impl.received).toEqual([["Ann", undefined, "!"], ["Ann"]]);
  });

  it("keeps null for a nullable parameter", async () => {
    const impl = new Calculator();
    await bindService(calculatorDescriptor, impl).dispatch("greet", ["Ann", "Hi", null]);
    expect(impl.received).toEqual([["Ann", "Hi", null]]);
  });

  it("lists every issue, naming each parameter, and never runs the handler", async () => {
    const impl = new Calculator();
    const error = await rejection(bindService(calculatorDescriptor, impl).dispatch("greet", [null, 5, 6]));
    expect(error.type).toBe("invalid-arguments");
    expect(error.message).toBe(
      "Invalid arguments for Calculator.greet: name (/0) must be string; greeting (/1) must be string; suffix (/2) must be string",
    );
    expect((error.data as { issues: unknown[] }).issues).toHaveLength(3);
    expect(impl.calls).toBe(0);
  });

  it("does not let a validator's issues leak into the next parameter", async () => {
    const error = await rejection(bindService(calculatorDescriptor, new Calculator()).dispatch("add", ["a", 1]));
    expect(error.data).toEqual({ issues: [{ path: "/0", param: "a", keyword: "type", message: "must be number" }] });
  });

  it("validates results when asked, as internal-error", async () => {
    const lenient = bindService(calculatorDescriptor, new Calculator());
    expect(lenient.dispatch("echo", [5])).toBe(5);
    const strict = bindService(calculatorDescriptor, new Calculator(), { validateResults: true });
    expect(strict.dispatch("echo", ["fine"])).toBe("fine");
    const error = await rejection(strict.dispatch("echo", [5]));
    expect([error.type, error.message]).toEqual([
      "internal-error",
      "Calculator.echo returned an invalid result: result must be string",
    ]);
  });

  it("gives a plain value back as it is, and waits for what a handler promises", async () => {
    const binding = bindService(calculatorDescriptor, new Calculator());
    // A handler that returns a value is answered with it, without a promise and a turn of its own.
    expect(binding.dispatch("add", [1, 2])).toBe(3);
    const later = { echo: async (value: unknown) => value };
    const promised = bindService(calculatorDescriptor, later).dispatch("echo", ["x"]);
    expect(promised).toBeInstanceOf(Promise);
    expect(await promised).toBe("x");
    // Any thenable is adopted, as `await` would; a `then` getter that throws fails the call.
    const thenable = { then: (resolve: (value: unknown) => void) => resolve("from a thenable") };
    expect(await (bindService(calculatorDescriptor, { echo: () => thenable }).dispatch("echo", ["x"]) as Promise<unknown>)).toBe(
      "from a thenable",
    );
    const trap = Object.defineProperty({}, "then", {
      get() {
        throw new JampError("trapped", "then was read");
      },
    });
    const error = await rejection(bindService(calculatorDescriptor, { echo: () => trap }).dispatch("echo", ["x"]));
    expect(error.type).toBe("trapped");
  });

  it("rejects methods the descriptor lacks, even inherited ones", async () => {
    const binding = bindService(calculatorDescriptor, new Calculator());
    for (const method of ["release", "__proto__", "constructor"]) {
      expect((await rejection(binding.dispatch(method, []))).type).toBe("method-not-found");
    }
  });
});

describe("bindService encoding", () => {
  const at = new Date("2024-02-29T08:30:00Z");

  class Ledger {
    readonly received: unknown[][] = [];
    result: unknown = { at, note: "kept" };
    total(amounts: bigint[], scale?: bigint): bigint {
      this.received.push([amounts, scale]);
      return amounts.reduce((sum, n) => sum + n, 0n) * (scale ?? 1n);
    }
    entry(): unknown {
      return this.result;
    }
    stamp(when: Date): void {
      this.received.push([when]);
    }
  }

  it("revives arguments and encodes the result", async () => {
    const impl = new Ledger();
    const binding = bindService(ledgerDescriptor, impl);
    expect(binding.dispatch("total", [["9007199254740993", "1"], "2"])).toBe("18014398509481988");
    expect(impl.received).toEqual([[[9007199254740993n, 1n], 2n]]);
  });

  it("encodes a copy, never the handler's own object", async () => {
    const impl = new Ledger();
    const result = impl.result;
    expect(bindService(ledgerDescriptor, impl).dispatch("entry", [])).toEqual({
      at: "2024-02-29T08:30:00.000Z",
      note: "kept",
    });
    expect(impl.result).toBe(result);
    expect((result as { at: unknown }).at).toBe(at);
  });

  it("validates the encoded result, not the TypeScript value", async () => {
    const binding = bindService(ledgerDescriptor, new Ledger(), { validateResults: true });
    expect(binding.dispatch("entry", [])).toEqual({ at: "2024-02-29T08:30:00.000Z", note: "kept" });
  });

  it("answers internal-error for a result that cannot be encoded", async () => {
    const impl = new Ledger();
    impl.result = { at: new Date(NaN) };
    const error = await rejection(bindService(ledgerDescriptor, impl).dispatch("entry", []));
    expect([error.type, error.message]).toEqual([
      "internal-error",
      "Ledger.entry returned a result that cannot be encoded: Invalid time value",
    ]);
  });

  it("does not encode what a send returns", async () => {
    const impl = new Ledger();
    expect(bindService(ledgerDescriptor, impl).dispatch("stamp", ["2024-02-29T08:30:00.000Z"])).toBeUndefined();
    expect(impl.received[0]?.[0]).toEqual(at);
  });
});
