/**
 * Where chalk keeps the files it writes for itself (the report cache, the
 * virtual marks): a state folder, never the user's working folder.
 * `~/.local/state` is the XDG default; `$XDG_STATE_HOME` replaces it when
 * set. Paths are written with `~` so that configurations and `chalk dump`
 * show where the files go without naming a user's home.
 *
 * @module
 */

/** chalk's state folder, as configurations write it. */
export const STATE_DIR = "~/.local/state/chalk";
/** Default `report_cache_location`. */
export const DEFAULT_REPORT_CACHE_PATH = `${STATE_DIR}/chalk-reports.jsonl`;
/** Default file of the `virtual_chalk_log` sink (`--virtual` marks). */
export const DEFAULT_VIRTUAL_CHALK_PATH = `${STATE_DIR}/virtual-chalk.json`;

/**
 * `path` with a leading `~` replaced by the home folder, and a leading
 * `~/.local/state` by `$XDG_STATE_HOME` when that is an absolute path.
 */
export function expandUserPath(
  path: string,
  env: { get(name: string): string | undefined } = Deno.env,
): string {
  const xdg = env.get("XDG_STATE_HOME");
  if (xdg?.startsWith("/") && (path === "~/.local/state" || path.startsWith("~/.local/state/"))) {
    return xdg.replace(/\/+$/, "") + path.slice("~/.local/state".length);
  }
  if (path !== "~" && !path.startsWith("~/")) return path;
  return (env.get("HOME") ?? "/") + path.slice(1);
}
