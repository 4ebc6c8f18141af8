/**
 * Carries out a plan: writes new and changed files as one set, and removes stale files jamp-gen
 * generated earlier. Every changed file is first written in full to a temp file beside it; only when
 * all are written is each renamed over its target (a rename within a folder replaces the file whole),
 * and only then are stale files removed. So a run that fails, or is killed, partway leaves every output
 * file either as it was or as the new run made it, never truncated; a failure removes its temp files,
 * and the next run removes those a killed one left. Unchanged files are not touched, so their timestamps
 * do not wake up build tools.
 */
import { mkdir, readdir, rename, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { eachInParallel, ItemFailure } from "./parallel.js";
import { type PlannedFile, planOutput } from "./plan.js";

export interface WrittenFile {
  /** Absolute path. */
  path: string;
  status: "written" | "unchanged" | "removed";
}

/** A temp file's name: the target's, the writing process's id, a random part. */
const TEMP = /\.jamp-gen-(\d+)-[0-9a-z]+\.tmp$/;

/**
 * The output could not be written (no permission, a full disk, a file where a folder must be...). The
 * message names the file, the system's reason and what state the output folder was left in.
 */
export class OutputError extends Error {
  override readonly name = "OutputError";
  constructor(
    message: string,
    /** Absolute path of the file or folder that failed. */
    readonly path: string,
    /** The system's error code (`EACCES`, `ENOSPC`...), when there is one. */
    readonly code: string | undefined,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** The system's reason, in words, with its code. */
function reason(error: unknown): { text: string; code: string | undefined } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    EROFS: "read-only file system",
    ENOTDIR: "a file is where a folder must be",
    EISDIR: "a folder is where the file must be",
    EEXIST: "a file is where a folder must be",
    EMFILE: "too many open files",
    ENAMETOOLONG: "name too long",
    EIO: "input/output error",
  };
  const text = code !== undefined && words[code] !== undefined ? `${words[code]} (${code})` : error instanceof Error ? error.message : String(error);
  return { text, code };
}

function outputError(what: string, file: string, error: unknown, state: string): OutputError {
  const { text, code } = reason(error);
  return new OutputError(`cannot ${what} ${file}: ${text}; ${state}`, file, code, { cause: error });
}

export async function applyPlan(outDir: string, plan: readonly PlannedFile[]): Promise<WrittenFile[]> {
  const results: WrittenFile[] = [];
  const writes: { target: string; temp: string; contents: string }[] = [];
  const stale: string[] = [];
  const folders = new Set([outDir]);
  for (const file of plan) {
    const target = path.join(outDir, file.path);
    if (file.status === "stale") {
      stale.push(target);
      results.push({ path: target, status: "removed" });
    } else if (file.status === "unchanged" || file.contents === undefined) {
      results.push({ path: target, status: "unchanged" });
    } else {
      writes.push({ target, temp: `${target}.jamp-gen-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`, contents: file.contents });
      folders.add(path.dirname(target));
      results.push({ path: target, status: "written" });
    }
  }
  for (const folder of folders) await removeLeftTemps(folder);
  let renamed = 0;
  let doing = "write";
  try {
    // Each folder once, before the files in it; a folder that cannot be made fails its first file.
    const made = new Set<string>();
    for (const write of writes) {
      const folder = path.dirname(write.target);
      if (made.has(folder)) continue;
      made.add(folder);
      await mkdir(folder, { recursive: true }).catch((error: unknown) => {
        throw new ItemFailure(write, error);
      });
    }
    await eachInParallel(writes, ({ temp, contents }) => writeFile(temp, contents, "utf8"));
    doing = "replace";
    await eachInParallel(writes, async ({ target, temp }) => {
      await rename(temp, target);
      renamed++;
    });
  } catch (failure) {
    if (!(failure instanceof ItemFailure)) throw failure;
    // Those renamed are gone already; `force` ignores them.
    await eachInParallel(writes, ({ temp }) => rm(temp, { force: true }).catch(() => undefined));
    const state =
      renamed === 0
        ? "nothing in the output folder was changed"
        : `${renamed} of ${writes.length} changed files were replaced before it, each whole; no stale file was removed`;
    throw outputError(doing, (failure as ItemFailure<(typeof writes)[number]>).item.target, failure.error, state);
  }
  for (const target of stale) {
    try {
      await rm(target, { force: true });
    } catch (error) {
      throw outputError("remove the stale file", target, error, "every new and changed file was written");
    }
  }
  // Folders of shared types' modules that removing stale files left empty go too; `rmdir` keeps any other.
  const emptied = [...new Set(stale.map((target) => path.dirname(target)))].filter((folder) => folder !== outDir).sort().reverse();
  for (let folder of emptied) {
    for (; folder.startsWith(outDir + path.sep) && (await rmdir(folder).then(() => true, () => false)); folder = path.dirname(folder));
  }
  return results;
}

/** Plans and applies in one step: the files a generation produced become the output folder's contents. */
export async function writeFiles(outDir: string, files: readonly { path: string; contents: string }[]): Promise<WrittenFile[]> {
  return applyPlan(outDir, await planOutput(outDir, files));
}

/** Removes the temp files a killed run left in `folder`: those of processes no longer running (or this one's). */
async function removeLeftTemps(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => []);
  for (const name of names) {
    const pid = TEMP.exec(name)?.[1];
    if (pid !== undefined && !running(Number(pid))) await rm(path.join(folder, name), { force: true });
  }
}

function running(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
