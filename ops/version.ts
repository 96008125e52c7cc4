/**
 * `version`: a two-column table on topic `version`.
 *
 * @module
 */
import { platformString } from "../collectors/uname.ts";
import { EXIT } from "../internal/errors.ts";
import type { RunContext } from "./run_context.ts";
import type { SelfKind } from "./self_path.ts";

/** The version table's text: version, commit, platform, runtime, packaging. */
export function versionText(version: string, commit: string | undefined, kind: SelfKind): string {
  const [os, cpu] = platformString().split(" ");
  const rows: [string, string][] = [
    ["Chalk Version", version],
    ["Commit ID", commit ?? "unknown"],
    ["Build OS", os],
    ["Build CPU", cpu],
    ["Runtime", `Deno ${Deno.version.deno}`],
    ["Packaging", kind],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n";
}

/**
 * Publishes the version table; returns the exit status: 1 when no sink took it (stdout full or
 * closed), as the fast path without a configuration, `help` and `dump` do.
 */
export async function showVersion(ctx: RunContext): Promise<number> {
  const text = versionText(ctx.facts.version, ctx.facts.commit, ctx.self.kind);
  const outcome = await ctx.hub.publish("version", text);
  return outcome.delivered.length === 0 && outcome.failed.length > 0 ? EXIT.failed : EXIT.ok;
}
