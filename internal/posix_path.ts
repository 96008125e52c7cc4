/**
 * POSIX path operations, without `node:path`: loading any node built-in
 * starts Deno's node compatibility layer (~28 ms here, the first time), and
 * chalk's commands run in front of other people's work (docs/architecture.md,
 * "Start-up"). Results equal `node:path`'s posix functions (tests compare
 * them) for the paths chalk passes: no NUL, no Windows forms.
 *
 * @module
 */

function normalizeParts(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!path.startsWith("/")) out.push("..");
      continue;
    }
    out.push(part);
  }
  return out;
}

/** True for a path that starts at the root. */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/** `a/b/../c` → `a/c`; `""` → `.`; a trailing `/` stays. */
export function normalize(path: string): string {
  if (path === "") return ".";
  const abs = isAbsolute(path);
  const trailing = path.endsWith("/");
  const joined = normalizeParts(path).join("/");
  if (joined === "") return abs ? "/" : trailing ? "./" : ".";
  return (abs ? "/" : "") + joined + (trailing ? "/" : "");
}

/** The segments joined with `/`, normalized. */
export function join(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p !== "");
  return nonEmpty.length === 0 ? "." : normalize(nonEmpty.join("/"));
}

/** An absolute, normalized path: the last absolute segment on, else from the working folder. */
export function resolve(...parts: string[]): string {
  let path = "";
  for (let i = parts.length - 1; i >= 0 && !isAbsolute(path); i--) {
    if (parts[i] !== "") path = path === "" ? parts[i] : `${parts[i]}/${path}`;
  }
  if (!isAbsolute(path)) path = `${Deno.cwd()}/${path}`;
  return `/${normalizeParts(path).join("/")}`;
}

/** The path from `from` to `to` (both resolved first); `""` when they are the same. */
export function relative(from: string, to: string): string {
  const a = normalizeParts(resolve(from));
  const b = normalizeParts(resolve(to));
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => ".."), ...b.slice(common)].join("/");
}

/** The last segment (`/a/b/` → `b`, `/` → ``). */
export function basename(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  return path.slice(path.lastIndexOf("/", end - 1) + 1, end);
}

/** Everything before the last segment (`/a/b` → `/a`, `b` → `.`, `//a` → `//`). */
export function dirname(path: string): string {
  if (path === "") return ".";
  let i = path.length - 1;
  while (i >= 1 && path[i] === "/") i--;
  while (i >= 1 && path[i] !== "/") i--;
  if (i < 1) return path[0] === "/" ? "/" : ".";
  return i === 1 && path[0] === "/" ? "//" : path.slice(0, i);
}

/** The path of a `file:` URL (percent-decoded). */
export function fromFileUrl(url: string): string {
  return decodeURIComponent(new URL(url).pathname);
}
