/**
 * File and path builtins, `tmp_dir` included. Relative paths are resolved against the host's cwd
 * and a leading `~` is expanded. Failures are silent: the documented fallback (`""`, `false`, `-1`,
 * `[]`) is returned instead of an error.
 *
 * @module
 */

import { copyFileSync, cpSync } from "node:fs";
import { join, resolve } from "../../internal/posix_path.ts";
import { argInt, argList, argStr, expandTilde } from "./_args.ts";
import { type BuiltinContext, type BuiltinDef, defineBuiltin } from "./builtin_def.ts";

const TAGS = ["fs"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

/** Absolute, normalised form of `path`: `~` expanded, relative to the host's cwd. */
export function resolveIn(ctx: BuiltinContext, path: string): string {
  return resolve(ctx.host.cwd(), expandTilde(path, ctx.host.getEnv("HOME")));
}

/**
 * Split a path at its last `/` like Nim's `splitPath`: `("/usr/local", "bin")`,
 * `("/", "bin")` for `/bin`, `("", "bin")` for `bin`, `("/bin", "")` for `/bin/`.
 */
export function splitPath(path: string): [string, string] {
  const i = path.lastIndexOf("/");
  if (i < 0) return ["", path];
  return [i === 0 ? "/" : path.slice(0, i), path.slice(i + 1)];
}

/** The process temp directory: `$TMPDIR` or `/tmp`. */
export function tmpDir(ctx: BuiltinContext): string {
  const t = ctx.host.getEnv("TMPDIR");
  return t === undefined || t === "" ? "/tmp" : t;
}

function lstatKind(path: string): "file" | "dir" | "link" | "other" | undefined {
  try {
    const st = Deno.lstatSync(path);
    if (st.isSymlink) return "link";
    if (st.isDirectory) return "dir";
    if (st.isFile) return "file";
    return "other";
  } catch {
    return undefined;
  }
}

function attempt(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

function isExecutableFile(path: string): boolean {
  try {
    const st = Deno.statSync(path);
    return st.isFile && ((st.mode ?? 0) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** First executable named `name` in `$PATH`, then in `extra`; `""` when none. */
export function findExe(ctx: BuiltinContext, name: string, extra: readonly string[]): string {
  const dirs = [...(ctx.host.getEnv("PATH") ?? "").split(":"), ...extra];
  for (const dir of dirs) {
    if (dir === "") continue;
    const candidate = join(resolveIn(ctx, dir), name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return "";
}

function listDir(ctx: BuiltinContext, path: string): string[] {
  const dir = resolveIn(ctx, path);
  try {
    return [...Deno.readDirSync(dir)].map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

function moveFile(src: string, dst: string): void {
  try {
    Deno.renameSync(src, dst);
  } catch (e) {
    if (!(e instanceof Error) || !/cross-device|EXDEV/i.test(e.message)) throw e;
    cpSync(src, dst, { recursive: true });
    Deno.removeSync(src, { recursive: true });
  }
}

/** The file and path builtins. */
export const FS_BUILTINS: readonly BuiltinDef[] = [
  def(
    "list_dir",
    "func() -> list[string]",
    (_a, ctx) => listDir(ctx, "."),
    "Full paths of the entries of the cwd.",
  ),
  def(
    "list_dir",
    "func(string) -> list[string]",
    (a, ctx) => listDir(ctx, argStr(a, 0)),
    "Full paths of the entries of a directory ([] when unreadable).",
  ),
  def(
    "read_file",
    "func(string) -> string",
    (a, ctx) => {
      try {
        return Deno.readTextFileSync(resolveIn(ctx, argStr(a, 0)));
      } catch {
        return "";
      }
    },
    'Contents of a file ("" when unreadable).',
  ),
  def(
    "write_file",
    "func(string, string) -> bool",
    (a, ctx) => attempt(() => Deno.writeTextFileSync(resolveIn(ctx, argStr(a, 0)), argStr(a, 1))),
    "Write (replace) a file.",
  ),
  def(
    "copy_file",
    "func(string, string) -> bool",
    (a, ctx) =>
      attempt(() => copyFileSync(resolveIn(ctx, argStr(a, 0)), resolveIn(ctx, argStr(a, 1)))),
    "Copy a file.",
  ),
  def(
    "move_file",
    "func(string, string) -> bool",
    (a, ctx) => attempt(() => moveFile(resolveIn(ctx, argStr(a, 0)), resolveIn(ctx, argStr(a, 1)))),
    "Move a file or directory.",
  ),
  def(
    "rm_file",
    "func(string) -> bool",
    (a, ctx) => {
      const path = resolveIn(ctx, argStr(a, 0));
      return attempt(() => Deno.removeSync(path, { recursive: lstatKind(path) === "dir" }));
    },
    "Delete a file, or a directory recursively.",
  ),
  def(
    "join_path",
    "func(string, string) -> string",
    (a) => join(argStr(a, 0), argStr(a, 1)),
    "Join two path parts with one separator (normalised).",
  ),
  def(
    "resolve_path",
    "func(string) -> string",
    (a, ctx) => resolveIn(ctx, argStr(a, 0)),
    "Absolute, normalised path with ~ expanded.",
  ),
  def(
    "path_split",
    "func(string) -> tuple[string, string]",
    (a) => splitPath(argStr(a, 0)),
    "(directory, last component) of a path.",
  ),
  def(
    "find_exe",
    "func(string, list[string]) -> string",
    (a, ctx) => findExe(ctx, argStr(a, 0), argList(a, 1) as readonly string[]),
    'First executable with that name on $PATH or in the extra directories, or "".',
  ),
  def("cwd", "func() -> string", (_a, ctx) => ctx.host.cwd(), "The current directory."),
  def(
    "chdir",
    "func(string) -> bool",
    (a, ctx) => attempt(() => ctx.host.chdir(resolveIn(ctx, argStr(a, 0)))),
    "Change the current directory.",
  ),
  def(
    "mkdir",
    "func(string) -> bool",
    (a, ctx) => attempt(() => Deno.mkdirSync(resolveIn(ctx, argStr(a, 0)), { recursive: true })),
    "Create a directory (and missing parents).",
  ),
  def(
    "is_dir",
    "func(string) -> bool",
    (a, ctx) => lstatKind(resolveIn(ctx, argStr(a, 0))) === "dir",
    "Is the path a directory (not a symlink to one)?",
  ),
  def(
    "is_file",
    "func(string) -> bool",
    (a, ctx) => lstatKind(resolveIn(ctx, argStr(a, 0))) === "file",
    "Is the path a regular file (not a symlink to one)?",
  ),
  def(
    "is_link",
    "func(string) -> bool",
    (a, ctx) => lstatKind(resolveIn(ctx, argStr(a, 0))) === "link",
    "Is the path a symbolic link?",
  ),
  def(
    "chmod",
    "func(string, int) -> bool",
    (a, ctx) => attempt(() => Deno.chmodSync(resolveIn(ctx, argStr(a, 0)), Number(argInt(a, 1)))),
    "Set permission bits.",
  ),
  def(
    "file_len",
    "func(string) -> int",
    (a, ctx) => {
      try {
        return BigInt(Deno.statSync(resolveIn(ctx, argStr(a, 0))).size);
      } catch {
        return -1n;
      }
    },
    "Size of a file in bytes, or -1.",
  ),
  def(
    "to_tmp_file",
    "func(string, string) -> string",
    (a, ctx) => {
      try {
        const path = Deno.makeTempFileSync({
          dir: tmpDir(ctx),
          prefix: "con4m_",
          suffix: argStr(a, 1),
        });
        Deno.writeTextFileSync(path, argStr(a, 0));
        return path;
      } catch {
        return "";
      }
    },
    'Write text to a new temp file with the given extension; its path ("" on failure).',
  ),
  def("tmp_dir", "func() -> string", (_a, ctx) => tmpDir(ctx), "$TMPDIR or /tmp."),
];
