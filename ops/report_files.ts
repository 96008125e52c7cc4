/**
 * `chalk __report-files` (hidden): the files the configuration appends full reports to, one
 * per line. The GitHub Action asks the installed chalk, after loading the job's configuration,
 * which file its `report-path` output names (docs/github-action.md).
 *
 * @module
 */
import type { OutputConfig } from "../config/output_config.ts";
import { EXIT } from "../internal/errors.ts";
import { writeAll } from "../internal/write_all.ts";
import { appendedFilePath } from "../sinks/file_sink.ts";
import type { RunContext } from "./run_context.ts";

/** The paths of the enabled file sinks subscribed to the `report` topic, in subscription order. */
export function reportFiles(output: OutputConfig): string[] {
  const byName = new Map(output.sinkConfigs.map((c) => [c.name, c]));
  const paths = output.subscriptions
    .filter(([topic]) => topic === "report")
    .map(([, name]) => byName.get(name))
    .flatMap((c) => c?.enabled ? appendedFilePath(c) ?? [] : []);
  return [...new Set(paths)];
}

/** Prints {@linkcode reportFiles} on stdout; returns the exit status. */
export async function printReportFiles(ctx: RunContext): Promise<number> {
  const lines = reportFiles(ctx.output).map((p) => `${p}\n`).join("");
  await writeAll(Deno.stdout, new TextEncoder().encode(lines));
  return EXIT.ok;
}
