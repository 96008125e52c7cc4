/**
 * A path given to an option (`--output PATH`): an empty one (`-o ""`, `--output=`) is a usage
 * error before anything runs, never "no path" (for `load` and `setup` that meant: rewrite the
 * running program itself).
 *
 * @module
 */
import { InvalidArgumentError } from "commander";

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
