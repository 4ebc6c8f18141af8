/**
 * The validator compiler's statement builder on very long statement lists: a union of 10,000 objects
 * makes an else-if chain of that many branches, whose lines once went into one call's arguments and
 * ran out of stack.
 */
import { expect, it } from "vitest";
import { Block } from "../../../src/validators/code.js";

it("keeps the else of a chain whose branches and else all return", () => {
  const block = new Block("");
  const branches = [0, 1].map((i) => ({ condition: `tag === ${i}`, fill: (body: Block) => body.exit(`return ${i};`) }));
  block.chain(branches, (last) => last.exit("return -1;"));
  expect(block.lines).toEqual(["if (tag === 0) {", "  return 0;", "} else if (tag === 1) {", "  return 1;", "} else {", "  return -1;", "}"]);
  expect(block.dead).toBe(true);
});

it("chains 100,000 branches into one if/else-if statement", () => {
  const block = new Block("");
  const branches = Array.from({ length: 100_000 }, (_, i) => ({ condition: `tag === ${i}`, fill: (body: Block) => body.exit(`return ${i};`) }));
  block.ifElse("a", (body) => body.line("x();"), (body) => body.chain(branches, (last) => last.exit("return -1;")));
  expect(block.lines.length).toBe(2 + 2 * 100_000 + 3);
  expect(block.lines.slice(0, 4)).toEqual(["if (a) {", "  x();", "} else if (tag === 0) {", "  return 0;"]);
  expect(block.lines.slice(-4)).toEqual(["  return 99999;", "} else {", "  return -1;", "}"]);
});

it("nests a body of 300,000 lines", () => {
  const block = new Block("");
  block.nest("for (;;)", (body) => {
    for (let i = 0; i < 300_000; i++) body.line(`f(${i});`);
  });
  expect(block.lines.length).toBe(300_002);
  expect(block.lines[300_000]).toBe("  f(299999);");
});
