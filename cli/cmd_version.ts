/** `chalk version` (commands-runtime §2.10): a two-column table on topic `version`. */
import type { RunContext } from "./run_context.ts";
import { platformString } from "../collectors/uname.ts";

/** Runs `version`. */
export async function runVersion(ctx: RunContext): Promise<void> {
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
}
