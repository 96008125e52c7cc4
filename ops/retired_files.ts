/**
 * The old content of a replaced file, freed off the command's path. A rename over a large file
 * frees the old file's blocks and cached pages inside the `rename` call (100 MB: 16 ms here, ext4).
 * A hard link under a chalk temporary name keeps the old content alive through the rename; the
 * link is then removed on Deno's thread pool while the command goes on (its reports), and the
 * command waits for it before it ends ({@link retiredFilesGone}). A crash in between leaves the
 * link, a chalk temporary file that the next run in that folder removes (`ops/temp_file.ts`).
 *
 * @module
 */
import { tempPathFor } from "./temp_file.ts";

/** Files at least this large are retired off the path: smaller ones are freed in no time. */
export const RETIRE_FROM = 8 * 1024 * 1024;

const removals = new Set<Promise<void>>();

/**
 * Links `target` under a fresh temporary name beside it; the name, or undefined when the file
 * system would not (no hard links there, say: the rename then frees the old file itself).
 */
export function holdOldContent(target: string): string | undefined {
  for (let attempt = 0; attempt < 4; attempt++) {
    const name = tempPathFor(target);
    try {
      Deno.linkSync(target, name);
      return name;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) return undefined;
    }
  }
  return undefined;
}

/** Removes a link made by {@link holdOldContent} on another thread. */
export function dropOldContent(name: string): void {
  const removal = Deno.remove(name).catch(() => {/* swept already, or the next run will */});
  removals.add(removal);
  removal.finally(() => removals.delete(removal));
}

/** Removes a link made by {@link holdOldContent} now (the replacement did not happen). */
export function dropOldContentNow(name: string): void {
  try {
    Deno.removeSync(name);
  } catch { /* the next run's sweep removes it */ }
}

/** Settles when every old content handed to {@link dropOldContent} is gone. */
export async function retiredFilesGone(): Promise<void> {
  while (removals.size > 0) await Promise.all([...removals]);
}
