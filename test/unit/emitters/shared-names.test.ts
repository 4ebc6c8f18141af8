/**
 * The names that let modules share validators: where a source file's shared types go
 * (`sharedModulePath`), and what their functions are called (`typeIdentifier`, `defFunctions`), the
 * same in every module and distinct for distinct files and types.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defFunctions } from "../../../src/emitters/validate.js";
import { generatedSpecifier, sharedModulePath } from "../../../src/emitters/view.js";
import { typeIdentifier } from "../../../src/model/names.js";

describe("sharedModulePath", () => {
  it("mirrors the file's path under shared/, and escapes what would clash or mislead tools", () => {
    expect(sharedModulePath("types/money.ts")).toBe("shared/types/money.validate.ts");
    expect(sharedModulePath("legacy/money.ts")).toBe("shared/legacy/money.validate.ts");
    expect(sharedModulePath("../common/_private/money.ts")).toBe("shared/_up/common/__private/money.validate.ts");
    expect(sharedModulePath("node_modules/@acme/types/index.d.ts")).toBe("shared/_node_modules/@acme/types/index.d.validate.ts");
    expect(sharedModulePath("ui/chart.tsx")).toBe("shared/ui/_.chart.tsx.validate.ts");
    expect(sharedModulePath("src\\types\\money.ts")).toBe("shared/src/types/money.validate.ts");
  });

  it("gives different files different modules", () => {
    // Few parts, chosen to tempt every escape, so that a clash would be found.
    const segment = fc.constantFrom("..", "_up", "__up", "node_modules", "_node_modules", "a", "_a", "__a");
    const name = fc.constantFrom("m.ts", "_m.ts", "__m.ts", "m.tsx", "_.m.tsx.ts", "__.m.tsx.ts", "m.tsx.ts", "m.d.ts", "m.d.mts", "m.mts");
    const file = fc.tuple(fc.array(segment, { maxLength: 3 }), name).map(([dirs, base]) => [...dirs, base].join("/"));
    fc.assert(
      fc.property(file, file, (a, b) => {
        fc.pre(a !== b);
        expect(sharedModulePath(a)).not.toBe(sharedModulePath(b));
      }),
      { numRuns: 3000 },
    );
  });

  it("is imported by relative specifiers ending as the project's do", () => {
    expect(generatedSpecifier("billing.validate.ts", "shared/types/money.validate.ts", ".js")).toBe("./shared/types/money.validate.js");
    expect(generatedSpecifier("shared/types/ledger.validate.ts", "shared/types/money.validate.ts", "")).toBe("./money.validate");
    expect(generatedSpecifier("shared/types/ledger.validate.ts", "shared/legacy/money.validate.ts", ".ts")).toBe("../legacy/money.validate.ts");
  });
});

describe("def function names", () => {
  it("are the type's name where it is a plain identifier", () => {
    expect(typeIdentifier("Page_User")).toBe("Page_User");
    expect(defFunctions("Money")).toEqual({ reporter: "$Money", predicate: "$is$Money" });
  });

  it("never give two types, or a reporter and a predicate, the same name", () => {
    const name = fc.stringMatching(/^[A-Za-z_$é][A-Za-z0-9_$é]{0,5}$/);
    fc.assert(
      fc.property(name, name, (a, b) => {
        const [x, y] = [defFunctions(a), defFunctions(b)];
        expect(x.reporter).not.toBe(y.predicate);
        if (a !== b) expect([x.reporter, x.predicate]).not.toContain(y.reporter);
        expect(x.reporter).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
      }),
      { numRuns: 3000 },
    );
    expect(defFunctions("isFoo").reporter).not.toBe(defFunctions("Foo").predicate);
    expect(typeIdentifier("Größe")).toBe("Gr$f6$$df$e");
  });
});
