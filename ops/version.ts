/**
 * `version`: a two-column table on topic `version`.
 *
 * @module
 */
import { platformString } from "../collectors/uname.ts";
import { EXIT } from "../internal/errors.ts";
import type { RunContext } from "./run_context.ts";

/** Publishes the version table; returns the exit status. */
export async function showVersion(ctx: RunContext): Promise<number> {
  const [os, cpu] = platformString().split(" ");
  const rows: [string, string][] = [
    ["Chalk Version", ctx.facts.version],
    ["Commit ID", ctx.facts.commit ?? "unknown"],
    ["Build OS", os],
    ["Build CPU", cpu],
    ["Runtime", `Deno ${Deno.version.deno}`],
    ["Packaging", ctx.self.kind],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  await ctx.hub.publish(
    "version",
    rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n",
  );
  return EXIT.ok;
}
