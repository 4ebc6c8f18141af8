/** `--watch`: regenerate incrementally when the inputs or the files they import change. */
import type { GenerateCommand, Printer } from "./generate.js";

export interface WatchOptions {
  /** Aborting it (Ctrl-C) stops watching; `runWatch` then resolves. */
  signal?: AbortSignal;
  /** How long a burst of saves is gathered before a run, in ms. */
  debounceMs?: number;
}

/** Runs every command once, then again on each change, until `options.signal` aborts. Returns the exit code. */
export async function runWatch(commands: readonly GenerateCommand[], print: Printer, options: WatchOptions = {}): Promise<number> {
  void commands;
  void options;
  print.err("jamp-gen: --watch is not implemented yet.");
  return 2;
}
