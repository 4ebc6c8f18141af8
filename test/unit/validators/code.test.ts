/** The validator compiler's statement builder. */
import { expect, it } from "vitest";
import { Block } from "../../../src/validators/code.js";

it("keeps the else of a chain whose branches and else all return", () => {
  const block = new Block("");
  const branches = [0, 1].map((i) => ({ condition: `tag === ${i}`, fill: (body: Block) => body.exit(`return ${i};`) }));
  block.chain(branches, (last) => last.exit("return -1;"));
  expect(block.lines).toEqual(["if (tag === 0) {", "  return 0;", "} else if (tag === 1) {", "  return 1;", "} else {", "  return -1;", "}"]);
  expect(block.dead).toBe(true);
});
