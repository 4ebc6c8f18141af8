import { describe, expect, it } from "vitest";
import { JampError, fromErrorBody, isJampError, knownErrorTypes, toErrorBody } from "../../../src/runtime/errors.js";

describe("JampError", () => {
  it("carries type, message, data and a local cause", () => {
    const cause = new Error("root");
    const error = new JampError("timeout", "too slow", { data: { ms: 5 }, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "JampError", type: "timeout", message: "too slow", data: { ms: 5 } });
    expect(error.cause).toBe(cause);
  });

  it("has no data member when none is given", () => {
    expect(Object.hasOwn(new JampError("timeout", "too slow"), "data")).toBe(false);
  });

  it("is recognised by isJampError, also when made by another copy of the runtime", () => {
    const foreign = Object.assign(new Error("x"), { name: "JampError", type: "cancelled" });
    expect(isJampError(new JampError("cancelled", "x"))).toBe(true);
    expect(isJampError(foreign)).toBe(true);
    expect(isJampError(new Error("x"))).toBe(false);
    expect(isJampError({ name: "JampError", type: "cancelled", message: "x" })).toBe(false);
  });

  it("lists limit-exceeded among the known types", () => {
    expect(knownErrorTypes).toContain("limit-exceeded");
  });
});

describe("toErrorBody", () => {
  it("keeps a JampError's type, message and data", () => {
    expect(toErrorBody(new JampError("division-by-zero", "no", { data: [1] }))).toEqual({
      type: "division-by-zero",
      message: "no",
      data: [1],
    });
    expect(toErrorBody(new JampError("division-by-zero", "no"))).toEqual({ type: "division-by-zero", message: "no" });
  });

  it("turns any other Error into internal-error with its message and never a stack", () => {
    const body = toErrorBody(new TypeError("x is not a function"));
    expect(body).toEqual({ type: "internal-error", message: "x is not a function" });
    expect(toErrorBody(new RangeError(""))).toEqual({ type: "internal-error", message: "RangeError" });
  });

  it("hides the message of a non-JampError when exposeInternal is false", () => {
    expect(toErrorBody(new Error("secret path"), { exposeInternal: false })).toEqual({
      type: "internal-error",
      message: "internal error",
    });
    expect(toErrorBody(new JampError("nope", "shown"), { exposeInternal: false }).message).toBe("shown");
  });

  it("describes a non-Error throw without its value", () => {
    for (const thrown of ["secret", 42, null, undefined, { a: 1 }]) {
      expect(toErrorBody(thrown)).toEqual({ type: "internal-error", message: "handler threw a non-Error value" });
    }
  });
});

describe("fromErrorBody", () => {
  it("makes a JampError of a well-formed body", () => {
    const error = fromErrorBody({ type: "service-not-found", message: "gone", data: { a: 1 } });
    expect(error).toBeInstanceOf(JampError);
    expect(error).toMatchObject({ type: "service-not-found", message: "gone", data: { a: 1 } });
  });

  it.each([
    [null, "internal-error", "the peer sent a malformed error"],
    [[1, 2], "internal-error", "the peer sent a malformed error"],
    ["plain text", "internal-error", "plain text"],
    [{ message: "no type" }, "internal-error", "no type"],
    [{ type: "", message: "empty type" }, "internal-error", "empty type"],
    [{ type: "custom" }, "custom", "the peer sent an error without a message"],
    [{ type: 5, message: 6 }, "internal-error", "the peer sent an error without a message"],
  ])("tolerates the malformed body %j", (body, type, message) => {
    expect(fromErrorBody(body)).toMatchObject({ type, message });
  });
});
