/**
 * Writes generated files: only those whose bytes changed, each atomically (a temp file renamed over
 * the old one), so an editor or a watcher never sees a half-written file.
 */
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

export interface WrittenFile {
  /** Absolute path. */
  path: string;
  status: "written" | "unchanged";
}

export async function writeFiles(outDir: string, files: readonly { path: string; contents: string }[]): Promise<WrittenFile[]> {
  const results: WrittenFile[] = [];
  for (const file of files) {
    const target = path.join(outDir, file.path);
    const current = await readFile(target, "utf8").catch(() => undefined);
    if (current === file.contents) {
      results.push({ path: target, status: "unchanged" });
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${Date.now().toString(36)}.tmp`;
    try {
      await writeFile(temp, file.contents, "utf8");
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    results.push({ path: target, status: "written" });
  }
  return results;
}
