/**
 * The layer check (docs/architecture.md): every import between the
 * program's rooms must point down. A room may import itself and rooms of a
 * lower rank only; rooms of equal rank stay apart. `server/` is a separate
 * program that nothing else imports. Run by `deno task check` and by the
 * tests; exits 1 with one line per wrong arrow.
 *
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";

/** Rank of each room: imports go to lower ranks only. */
export const RANKS: Readonly<Record<string, number>> = {
  internal: 0,
  codecs: 1,
  con4m: 1,
  collectors: 2,
  reports: 2,
  trust: 2,
  sinks: 3,
  config: 4,
  ops: 5,
  docker: 6,
  exec: 6,
  cli: 7,
  "mod.ts": 8,
};

/** What the separate report server may use of the program's rooms. */
const SERVER_MAY_IMPORT = new Set(["internal", "codecs"]);

/** Folders outside the program: they may import anything. */
const UNCHECKED = new Set([
  "tests",
  "bench",
  "scripts",
  "fixtures",
  "docs",
  "dist",
  "node_modules",
]);

/** One import that breaks the layering. */
export interface Violation {
  from: string;
  to: string;
  reason: string;
}

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(["'])(\.{1,2}\/[^"']+)\1/gm;

/** Relative module specifiers of `source` (static, side-effect and dynamic imports). */
export function importSpecifiers(source: string): string[] {
  // Comments may mention paths; they are not imports.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...code.matchAll(IMPORT_RE)].map((m) => m[2]);
}

/** The room of a repository-relative path: its first folder, or `mod.ts` at the root. */
export function roomOf(path: string): string {
  return path.split("/")[0];
}

/** Why the arrow `from → to` (repository-relative paths) is wrong, or undefined when fine. */
export function arrowProblem(from: string, to: string): string | undefined {
  const a = roomOf(from);
  const b = roomOf(to);
  if (a === b || UNCHECKED.has(a)) return undefined;
  if (b === "server") return "nothing imports the report server";
  if (a === "server") {
    return SERVER_MAY_IMPORT.has(b)
      ? undefined
      : `server/ may import only ${[...SERVER_MAY_IMPORT]}`;
  }
  const ra = RANKS[a];
  const rb = RANKS[b];
  if (ra === undefined) return `${a} is not a known room (add it to scripts/check_layers.ts)`;
  if (rb === undefined) return `${b} is not a known room (add it to scripts/check_layers.ts)`;
  if (rb < ra) return undefined;
  return rb === ra
    ? `${a} and ${b} are rooms of equal rank`
    : `${a} (rank ${ra}) is below ${b} (rank ${rb})`;
}

function sourceFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    const rel = relative(root, path);
    if (entry.isDirectory) {
      if (!UNCHECKED.has(rel)) out.push(...sourceFiles(root, path));
    } else if (/\.(ts|js)$/.test(entry.name)) {
      out.push(rel);
    }
  }
  return out;
}

/** Every wrong arrow in the repository at `root`. */
export function checkLayers(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const from of sourceFiles(root)) {
    const text = Deno.readTextFileSync(join(root, from));
    for (const spec of importSpecifiers(text)) {
      const to = relative(root, resolve(root, dirname(from), spec));
      const reason = arrowProblem(from, to);
      if (reason) violations.push({ from, to, reason });
    }
  }
  return violations;
}

if (import.meta.main) {
  const root = resolve(import.meta.dirname!, "..");
  const violations = checkLayers(root);
  for (const v of violations) console.error(`${v.from} → ${v.to}: ${v.reason}`);
  if (violations.length > 0) Deno.exit(1);
  console.log("layers: every import points down");
}
