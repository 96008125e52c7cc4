/**
 * A path given to an option (`--output PATH`) or as a command's argument: an empty one (`-o ""`,
 * `--output=`, `chalk insert ""`) is a usage error before anything runs, never "no path" (for
 * `load` and `setup` that meant: rewrite the running program itself) nor the working folder.
 *
 * @module
 */
import { CommanderError, InvalidArgumentError } from "commander";

/**
 * Commander's parser for a path option: the path as typed, or a usage error when it is empty.
 *
 * @example
 * ```ts
 * command.option("-o, --output <path>", "write there", nonEmptyPath);
 * ```
 */
export function nonEmptyPath(value: string): string {
  if (value === "") throw new InvalidArgumentError("the path is empty");
  return value;
}

/**
 * Commander's parser for a template name (`--mark-template`, `--report-template`): an empty one
 * names no template and is refused like any unknown name (it was ignored: the default ran).
 */
export function nonEmptyName(value: string): string {
  if (value === "") throw new InvalidArgumentError("the name is empty");
  return value;
}

/**
 * Commands whose arguments name files (or images): an empty argument is a usage error too. It
 * meant the working folder (`chalk insert "$UNSET"` marked everything under it, `delete`
 * unmarked it) or an image named ''. exec's and docker's arguments are theirs, never checked.
 */
export const PATH_ARGUMENT_COMMANDS: ReadonlySet<string> = new Set([
  "insert",
  "extract",
  "delete",
  "dump",
  "load",
  "verify",
]);

/** A usage error for `command` when one of its path arguments is empty. */
export function emptyPathArgument(
  command: string,
  args: readonly string[],
): CommanderError | undefined {
  if (!PATH_ARGUMENT_COMMANDS.has(command) || !args.includes("")) return undefined;
  return new CommanderError(
    2,
    "chalk.emptyPath",
    `${command}: an empty argument names no file (an unset variable?); nothing was done`,
  );
}
