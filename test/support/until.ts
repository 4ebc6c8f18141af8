import { expect } from "vitest";

/** Waits until `condition` holds, polling every 10 ms for at most `ms`; fails the test naming `what` if it never does. */
export async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition(), `waited ${ms} ms for ${what}`).toBe(true);
}
