/**
 * The `github_codeowners` collector: CODE_OWNERS is
 * the verbatim content of the repository's CODEOWNERS file.
 */
import { dirname, join, resolve } from "../internal/posix_path.ts";

async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readIfFile(path: string): Promise<string | undefined> {
  try {
    if (!(await Deno.stat(path)).isFile) return undefined;
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

/**
 * Walk up from `dir` to the first directory containing `.git` (the repo
 * root), then return the content of `CODEOWNERS` there; else, if a
 * `.github` folder exists, of `.github/CODEOWNERS` (and stop there); else
 * of `docs/CODEOWNERS`. Undefined when none exists, the file is empty, or
 * `dir` is not in a repository.
 *
 * @example
 * ```ts
 * const owners = await readCodeOwners("/src/project/bin");
 * ```
 */
export async function readCodeOwners(dir: string): Promise<string | undefined> {
  let cur = resolve(dir);
  while (!(await exists(join(cur, ".git")))) {
    const parent = dirname(cur);
    if (parent === cur) return undefined;
    cur = parent;
  }
  const pick = async (): Promise<string | undefined> => {
    const root = await readIfFile(join(cur, "CODEOWNERS"));
    if (root !== undefined) return root;
    if (await isDir(join(cur, ".github"))) {
      return await readIfFile(join(cur, ".github", "CODEOWNERS"));
    }
    return await readIfFile(join(cur, "docs", "CODEOWNERS"));
  };
  const text = await pick();
  return text === "" ? undefined : text;
}
