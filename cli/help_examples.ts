/**
 * The "Examples:" block of each command's `--help`: the lines people
 * actually type, so the help answers "how do I ..." without the README.
 *
 * @module
 */
import type { Command } from "commander";

const EXAMPLES: Readonly<Record<string, readonly [string, string][]>> = {
  insert: [
    ["chalk insert", "mark every artifact under the current folder"],
    ["chalk insert dist/app build/", "mark these files and folders"],
    ["chalk insert --virtual app", "leave app alone, record its mark in virtual-chalk.json"],
  ],
  extract: [
    ["chalk extract app", "report the mark of app (and validate it)"],
    ["chalk extract", "every mark under the current folder"],
    ["chalk extract my-image:latest", "the mark of a docker image"],
  ],
  delete: [["chalk delete app", "remove the mark; app still runs"]],
  load: [
    ["chalk load my-config.c4m", "embed a configuration in this program"],
    ["chalk load https://example.com/chalk.c4m", "the same, from a URL"],
    ["chalk load default", "back to the default configuration"],
  ],
  dump: [
    ["chalk dump", "print the embedded configuration"],
    ["chalk dump saved.c4m", "write it to a file"],
  ],
  docker: [
    ["chalk docker build -t app:1 .", "build; the image gets a mark and a report"],
    ["chalk docker push registry/app:1", "push; the report names the registry digests"],
  ],
  exec: [
    ["chalk exec -- ./server --port 8080", "report, then run the workload (same PID)"],
    ["chalk exec --heartbeat -- ./job", "also report periodically while it runs"],
  ],
  version: [["chalk version", "chalk-ts's version and build"]],
};

/** Adds the examples to every command that has some. */
export function addHelpExamples(program: Command): void {
  for (const command of program.commands) {
    const lines = EXAMPLES[command.name()];
    if (!lines) continue;
    const width = Math.max(...lines.map(([cmd]) => cmd.length));
    const body = lines.map(([cmd, what]) => `  ${cmd.padEnd(width)}  # ${what}`).join("\n");
    command.addHelpText("after", `\nExamples:\n${body}`);
  }
}
