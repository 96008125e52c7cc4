/** `~` expansion for paths written in configurations (`internal/state_dir.ts`). */
import { expandUserPath } from "../internal/state_dir.ts";

/** Replaces a leading `~` or `~/` with the home directory (`~/.local/state` honours XDG). */
export function expandHome(path: string): string {
  return expandUserPath(path);
}
