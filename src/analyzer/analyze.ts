/**
 * The analyzer: TypeScript sources in, model and diagnostics out. It is the only place (with the
 * kinds) that knows ts-morph. It never throws for a user's mistake; it reports and carries on, so
 * one run shows every problem. The work is done by an `AnalysisSession`, which watch mode keeps.
 */
import { type AnalyzeOptions, type AnalyzeResult, AnalysisSession } from "./session.js";

export type { AnalyzeOptions, AnalyzeResult } from "./session.js";
export { AnalysisSession } from "./session.js";

export function analyze(options: AnalyzeOptions): AnalyzeResult {
  const { model, diagnostics } = new AnalysisSession(options).run();
  return { model, diagnostics };
}
