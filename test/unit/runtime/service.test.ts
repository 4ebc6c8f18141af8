import { describe, expect, it } from "vitest";
import { bindService } from "../../../src/runtime/service.js";
import { Calculator, calculatorDescriptor } from "./support/calculator.js";
import { rejection } from "../../support/rejection.js";


describe("bindService", () => {
  it("binds at the descriptor's address unless told otherwise", () => {
    expect(bindService(calculatorDescriptor, new Calculator()).address).toBe("/calculator");
    expect(bindService(calculatorDescriptor, new Calculator(), { address: "/calc/v2" }).address).toBe("/calc/v2");
  });

  it("calls the implementation with this bound to it", async () => {
    const impl = new Calculator();
    await expect(bindService(calculatorDescriptor, impl).dispatch("add", [1, 2])).resolves.toBe(3);
    expect(impl.calls).toBe(1);
  });

  it("reads null as left out for an optional parameter that is not nullable", async () => {
    const impl = new Calculator();
    const binding = bindService(calculatorDescriptor, impl);
    await expect(binding.dispatch("greet", ["Ann", null, "!"])).resolves.toBe("Hello, Ann!");
    await expect(binding.dispatch("greet", ["Ann", null])).resolves.toBe("Hello, Ann");
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
    await expect(lenient.dispatch("echo", [5])).resolves.toBe(5);
    const strict = bindService(calculatorDescriptor, new Calculator(), { validateResults: true });
    await expect(strict.dispatch("echo", ["fine"])).resolves.toBe("fine");
    const error = await rejection(strict.dispatch("echo", [5]));
    expect([error.type, error.message]).toEqual([
      "internal-error",
      "Calculator.echo returned an invalid result: result must be string",
    ]);
  });

  it("rejects methods the descriptor lacks, even inherited ones", async () => {
    const binding = bindService(calculatorDescriptor, new Calculator());
    for (const method of ["release", "__proto__", "constructor"]) {
      expect((await rejection(binding.dispatch(method, []))).type).toBe("method-not-found");
    }
  });
});
