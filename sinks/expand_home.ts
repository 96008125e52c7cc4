/** `~` expansion for paths written in configurations. */

/** Replaces a leading `~` or `~/` with the home directory. */
export function expandHome(path: string): string {
  if (path !== "~" && !path.startsWith("~/")) return path;
  const home = Deno.env.get("HOME") ?? "/";
  return home + path.slice(1);
}
