/**
 * Reading a small text file that may well be absent or unreadable (a /proc entry of a
 * process that is gone, a tool's optional config file): the caller wants its text or
 * nothing, never an exception.
 *
 * @module
 */

/** The text of `path`, or undefined when it cannot be read. */
export function readTextIfAny(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}
