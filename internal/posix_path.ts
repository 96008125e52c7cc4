/**
 * The few POSIX path operations chalk's fast paths need (`version`, `exec`,
 * docker pass-through; docs/architecture.md, "Start-up"). They must not
 * load `node:path`: every node built-in a start touches costs milliseconds
 * (`node:path` ~8 ms here), and these paths run in front of other people's
 * work. Semantics follow `node:path`'s posix functions for the inputs chalk
 * passes (absolute or relative paths, no NUL).
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

/** `a/b/../c` → `a/c`; `""` → `.`. */
export function normalize(path: string): string {
  const abs = isAbsolute(path);
  const joined = normalizeParts(path).join("/");
  if (abs) return `/${joined}`;
  return joined === "" ? "." : joined;
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
  return normalize(path);
}

/** The last segment (`/a/b/` → `b`). */
export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/** Everything before the last segment (`/a/b` → `/a`, `b` → `.`). */
export function dirname(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  const at = trimmed.lastIndexOf("/");
  if (at < 0) return ".";
  if (at === 0) return "/";
  return trimmed.slice(0, at);
}

/** The path of a `file:` URL (percent-decoded). */
export function fromFileUrl(url: string): string {
  return decodeURIComponent(new URL(url).pathname);
}
