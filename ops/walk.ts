/**
 * Turns command arguments into artifact paths: recursive by default, directory
 * links never followed, ignore patterns matched against the absolute path, the
 * running chalk never included, and each file at most once.
 */
import { basename, join, resolve } from "../internal/posix_path.ts";
import { expandHome } from "../sinks/expand_home.ts";
import { isChalkTempName } from "./temp_file.ts";
import { osErrorReason } from "../internal/errors.ts";

/** How a walk treats links, dot-folders and chalk itself. */
export interface WalkOptions {
  recursive: boolean;
  /** Regexes anchored at the start of the absolute path. */
  ignore: readonly RegExp[];
  /** File symlinks: `skip` (chalking default) or `follow` (reporting default). */
  fileLinks: "skip" | "follow";
  /** Real path of the running chalk program. */
  selfPath: string;
  /**
   * The source tree of a chalk run from source (`deno task chalk`): never
   * entered, so chalk never marks its own checkout.
   */
  selfTree?: string;
}

/** Receives problems found while walking. */
export interface WalkReport {
  /** A named path that could not be used: counts as a failed operation. */
  error(message: string): void;
  warn(message: string): void;
  /** A file or folder the walk found and passes over, with the reason: counted as skipped. */
  skipped(message: string): void;
  /** The running chalk program was named explicitly. */
  self(path: string): void;
  /** The source tree of the running chalk was named explicitly. */
  selfTree(path: string): void;
}

/** What Deno puts in place of bytes of a file name that are not UTF-8. */
const LOST_BYTE = "\uFFFD";

/**
 * Why a path with {@link LOST_BYTE} that was listed cannot be opened: Deno's file system calls
 * take names as UTF-8 strings, so the name's own bytes cannot be given back (docs/files.md,
 * "Names that are not UTF-8").
 */
const NOT_UTF8 = "its name is not valid UTF-8 (shown with \uFFFD), and chalk cannot open " +
  "such names; rename it to mark it";

/** chalk's default ignore patterns for chalking and deleting (current chalk's). */
export const DEFAULT_IGNORE_PATTERNS: readonly string[] = [
  "/dev/.*",
  "/proc/.*",
  "/sys/.*",
  ".*/\\..*",
  ".*/\\.git/.*",
  ".*/__pycache__/.*",
  ".*/.mypy_cache/.*",
  ".*\\.json",
];

/** Compiles ignore patterns the way chalk matches them: from the start of the path. */
export function compileIgnore(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => new RegExp(`^(?:${p})`));
}

/** Identity of a file whatever path reaches it: device and inode. */
function fileIdentity(info: Deno.FileInfo): string {
  return `${info.dev}:${info.ino}`;
}

function identityOf(path: string): string | undefined {
  try {
    return fileIdentity(Deno.statSync(path));
  } catch {
    return undefined;
  }
}

function realPathOf(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return path;
  }
}

/** How far a walk has seen ahead: entries read from folders and not visited yet. */
export class WalkAhead {
  /** Files and folders alike (a folder counts once, however much it holds). */
  entries = 0;
}

/** Yields absolute paths of regular files under `targets`; `ahead` follows what it has read. */
export async function* walkArtifacts(
  targets: readonly string[],
  options: WalkOptions,
  report: WalkReport,
  ahead: WalkAhead = new WalkAhead(),
): AsyncGenerator<string> {
  const seen = new Set<string>();
  const seenNames = new Set<string>();
  const selfId = options.selfPath === "" ? undefined : identityOf(options.selfPath);
  const selfTreeId = options.selfTree === undefined ? undefined : identityOf(options.selfTree);
  // The named root's own path never triggers a pattern: chalk run inside ~/.cache/x must
  // still see x's files, so patterns see the root as a neutral "/ROOT" prefix.
  const ignored = (p: string, root: string) => {
    const seenAs = root === "/" ? p : "/ROOT" + p.slice(root.length);
    return options.ignore.some((r) => r.test(seenAs));
  };

  async function* visit(path: string, root: string): AsyncGenerator<string> {
    const named = path === root;
    if (!named && ignored(path, root)) return;
    let info: Deno.FileInfo;
    let linked = false;
    try {
      info = Deno.lstatSync(path);
    } catch (e) {
      const notFound = e instanceof Deno.errors.NotFound;
      if (notFound && path.includes(LOST_BYTE)) {
        // Deno reads names as UTF-8 and replaces what is not; such a name then names nothing.
        if (named) report.error(`${path}: ${NOT_UTF8}`);
        else report.skipped(`${path}: skipped: ${NOT_UTF8}`);
      } else if (named) {
        report.error(
          notFound ? `${path}: No such file or directory` : `${path}: ${osErrorReason(e)}`,
        );
      }
      return;
    }
    if (isChalkTempName(basename(path))) {
      // Never an artifact: a replacement chalk was writing (ops/temp_file.ts).
      if (named) report.warn(`${path}: a temporary file of chalk; skipped`);
      return;
    }
    if (info.isSymlink) {
      let target: Deno.FileInfo;
      try {
        target = Deno.statSync(path);
      } catch {
        report.skipped(`${path}: broken symbolic link; skipped`);
        return;
      }
      if (!target.isFile) {
        // Directory links are never followed (no loops, no walking out of the tree).
        if (named && target.isDirectory) {
          report.warn(
            `${path}: a symbolic link to a folder; not followed (name the folder itself: ${
              Deno.realPathSync(path)
            })`,
          );
        }
        return;
      }
      if (options.fileLinks === "skip") {
        // Counted, so that the summary line accounts for every name the walk passed over.
        report.skipped(`${path}: skipping symbolic link`);
        return;
      }
      info = target;
      linked = true;
    }
    if (info.isDirectory) {
      if (!named && !options.recursive) return;
      if (selfTreeId !== undefined && fileIdentity(info) === selfTreeId) {
        if (named) report.selfTree(path);
        return;
      }
      let names: string[];
      try {
        names = [...Deno.readDirSync(path)].map((entry) => entry.name);
      } catch (e) {
        report.warn(`${path}: cannot read directory: ${(e as Error).message}`);
        return;
      }
      names.sort();
      ahead.entries += names.length;
      for (const name of names) {
        ahead.entries--;
        yield* visit(join(path, name), root);
      }
      return;
    }
    if (!info.isFile) {
      if (named) report.skipped(`${path}: not a regular file; skipped`);
      return;
    }
    const id = fileIdentity(info);
    if (id === selfId) {
      if (named) report.self(path);
      return;
    }
    // One visit per name: by path (targets may overlap, and by the time the second reaches a
    // file, insert may have replaced it with a new inode), a symbolic link by the name it
    // points to. A file with one name is also one visit whatever path reaches it. Each name of
    // a hard-linked file is a file of its own to the user, as in the original: insert and
    // delete replace a name by rename, which splits it from its other names.
    const name = linked ? realPathOf(path) : path;
    if (seenNames.has(name)) return;
    seenNames.add(name);
    if ((info.nlink ?? 1) <= 1) {
      if (seen.has(id)) return;
      seen.add(id);
    }
    yield path;
  }

  for (const target of targets.length > 0 ? targets : ["."]) {
    const root = resolve(Deno.cwd(), expandHome(target));
    yield* visit(root, root);
  }
}
