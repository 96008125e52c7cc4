/**
 * Whether a path names a program that can be run: a regular file with an
 * execute bit. Both docker lookup and `chalk exec` search PATH with it.
 *
 * @module
 */

/** True for a regular file with at least one execute bit (following links). */
export function isExecutableFile(path: string): boolean {
  try {
    const st = Deno.statSync(path);
    return st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}
