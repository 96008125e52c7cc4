/**
 * Default {@linkcode HostHooks}: the system hooks act on this Deno process; the attribute
 * hooks report that no attribute tree is attached (the runtime replaces them).
 *
 * @module
 */

import { BuiltinError, type HostHooks } from "./builtin_def.ts";
import { flushLogLines } from "../../internal/log_lines.ts";

function noTree(what: string): never {
  throw new BuiltinError(`${what}: no attribute tree is attached to this evaluation`);
}

/**
 * Host hooks backed by `Deno` for the environment, cwd, stderr, exit and argv, with
 * `overrides` replacing any of them (tests capture stderr this way; the runtime supplies the
 * attribute hooks).
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const host = defaultHostHooks({ writeStderr: (t) => lines.push(t) });
 * ```
 */
export function defaultHostHooks(overrides: Partial<HostHooks> = {}): HostHooks {
  const base: HostHooks = {
    getEnv: (name) => Deno.env.get(name),
    setEnv: (name, value) => Deno.env.set(name, value),
    allEnv: () => Deno.env.toObject(),
    cwd: () => Deno.cwd(),
    chdir: (path) => Deno.chdir(path),
    writeStderr: (text) => {
      flushLogLines();
      let bytes = new TextEncoder().encode(text);
      while (bytes.length > 0) bytes = bytes.subarray(Deno.stderr.writeSync(bytes));
    },
    exit: (code) => Deno.exit(code),
    programArgs: () => [...Deno.args],
    programPath: () => Deno.execPath(),
    lookupAttr: () => noTree("attribute lookup"),
    sections: () => noTree("sections"),
    fields: () => noTree("fields"),
    addOverride: () => noTree("add_override"),
    copyObject: () => noTree("copy_object"),
    functionExists: () => noTree("function_exists"),
    formatLookup: () => undefined,
  };
  return { ...base, ...overrides };
}
