/**
 * Which file is "self" (docs/decisions.md, "Self is the running artifact"):
 * the `deno compile` binary, the single-file bundle, or `mod.ts` when run from
 * source. One function decides.
 */
import { fromFileUrl } from "../internal/posix_path.ts";

/** How this chalk program is packaged. */
export type SelfKind = "compiled" | "bundle" | "source";

/** Path and kind of the running chalk program. */
export interface SelfInfo {
  path: string;
  kind: SelfKind;
}

/** Identifies the running chalk program. */
export function selfInfo(): SelfInfo {
  const main = Deno.mainModule;
  // deno compile serves the entry module from a virtual folder named deno-compile-*.
  if (main.includes("/deno-compile-")) return { path: Deno.execPath(), kind: "compiled" };
  const path = main.startsWith("file:") ? fromFileUrl(main) : main;
  return { path, kind: path.endsWith(".ts") ? "source" : "bundle" };
}
