/**
 * `chalk completions bash|zsh|fish`: prints a completion script for the
 * shell (see README.md, "Shell completion"). Needs no configuration.
 *
 * @module
 */
import { Argument, type Command, InvalidArgumentError } from "commander";
import { completionScript, type Shell, SHELLS } from "../ops/completion_scripts.ts";
import type { Runner } from "./program.ts";
import { writeStdoutSync } from "../internal/stdout.ts";

/** Adds `completions` to the command tree. */
export function defineCompletions(program: Command, _run: Runner): void {
  // The choices feed the completion scripts (`chalk completions <TAB>`); the action refuses another
  // shell in chalk's words, where commander's own check would say "command-argument value ...".
  const shell = new Argument("<shell>").choices(SHELLS).argParser((value: string) => value);
  program.command("completions")
    .addArgument(shell)
    .description(`print a shell completion script (${SHELLS.join(", ")})`)
    .addHelpText(
      "after",
      `
Examples:
  source <(chalk completions bash)                    # bash, this shell
  chalk completions zsh > "\${fpath[1]}/_chalk"        # zsh
  chalk completions fish > ~/.config/fish/completions/chalk.fish`,
    )
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new InvalidArgumentError(
          `unknown shell '${shell}' (choose ${SHELLS.join(", ")})`,
        );
      }
      writeStdoutSync(completionScript(program, shell as Shell));
    });
}
