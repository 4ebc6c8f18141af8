/** Turning validation issues into the `data` and the message of an `invalid-arguments` or result error. */

import type { ValidationIssue, Validator } from "./descriptor.js";

/** A validation issue of a call; `param` names the parameter it concerns, when there is one. */
export interface ArgumentIssue extends ValidationIssue {
  readonly param?: string;
}

/** How many issues a message lists before "and N more"; `data.issues` holds them all. */
const listed = 10;

/** `a (/0) must be number; b (/1) is required`. */
export function describeArgumentIssues(issues: readonly ArgumentIssue[]): string {
  return join(issues, (issue) =>
    issue.param === undefined
      ? `${issue.path === "" ? "" : `${issue.path} `}${issue.message}`
      : `${issue.param} (${issue.path}) ${issue.message}`,
  );
}

/** `result/total must be number` (`item/total ...` for a stream's item). */
export function describeResultIssues(issues: readonly ValidationIssue[], what = "result"): string {
  return join(issues, (issue) => `${what}${issue.path} ${issue.message}`);
}

function join<T>(issues: readonly T[], describe: (issue: T) => string): string {
  const shown = issues.slice(0, listed).map(describe).join("; ");
  return issues.length > listed ? `${shown}; and ${issues.length - listed} more` : shown;
}

/** The issues `validate` finds in a whole value (path ""), or `undefined` when it is valid. */
export function checkValue(validate: Validator, value: unknown): ValidationIssue[] | undefined {
  const issues: ValidationIssue[] = [];
  if (validate(value, "", issues)) return undefined;
  if (issues.length === 0) issues.push({ path: "", keyword: "valid", message: "is not valid" });
  return issues;
}
