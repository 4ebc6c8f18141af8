/**
 * Carries out a plan: writes new and changed files, each atomically (a temp file renamed over the old
 * one, so an editor or a watcher never sees a half-written file), and removes stale files jamp-gen
 * generated earlier. Unchanged files are not touched, so their timestamps do not wake up build tools.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { type PlannedFile, planOutput } from "./plan.js";

export interface WrittenFile {
  /** Absolute path. */
  path: string;
  status: "written" | "unchanged" | "removed";
}

export async function applyPlan(outDir: string, plan: readonly PlannedFile[]): Promise<WrittenFile[]> {
  const results: WrittenFile[] = [];
  for (const file of plan) {
    const target = path.join(outDir, file.path);
    if (file.status === "stale") {
      await rm(target, { force: true });
      results.push({ path: target, status: "removed" });
    } else if (file.status === "unchanged" || file.contents === undefined) {
      results.push({ path: target, status: "unchanged" });
    } else {
      await writeAtomically(target, file.contents);
      results.push({ path: target, status: "written" });
    }
  }
  return results;
}

/** Plans and applies in one step: the files a generation produced become the output folder's contents. */
export async function writeFiles(outDir: string, files: readonly { path: string; contents: string }[]): Promise<WrittenFile[]> {
  return applyPlan(outDir, await planOutput(outDir, files));
}

async function writeAtomically(target: string, contents: string): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await writeFile(temp, contents, "utf8");
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
