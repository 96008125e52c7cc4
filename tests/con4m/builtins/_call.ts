/**
 * Test helper: find a builtin by name and signature and call it with a context.
 *
 * @module
 */

import {
  type BuiltinDef,
  BuiltinRegistry,
  CHALK_PORTABLE_BUILTINS,
  CORE_BUILTINS,
  defaultHostHooks,
  type HostHooks,
} from "../../../con4m/builtins/mod.ts";
import { parseType, type Type } from "../../../con4m/types.ts";
import type { Con4mValue } from "../../../con4m/values.ts";

/** Every builtin of the library. */
export const REGISTRY = new BuiltinRegistry([...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS]);

/** The def `name` whose signature is `sig` (e.g. `"func(string, int) -> string"`). */
export function builtin(name: string, sig: string): BuiltinDef {
  const d = REGISTRY.overloads(name).find((x) => x.sig === sig);
  if (d === undefined) throw new Error(`no builtin ${name} ${sig}`);
  return d;
}

/** Options of {@linkcode call}. */
export interface CallOptions {
  /** Argument types as type text; default: none. */
  types?: string[];
  /** Host hook overrides. */
  host?: Partial<HostHooks>;
}

/** Call builtin `name` with signature `sig`. */
export function call(
  name: string,
  sig: string,
  args: Con4mValue[],
  opts: CallOptions = {},
): Con4mValue | undefined | Promise<Con4mValue | undefined> {
  const argTypes: Type[] = (opts.types ?? []).map((t) => parseType(t));
  return builtin(name, sig).impl(args, { argTypes, host: defaultHostHooks(opts.host) });
}

/** Call a synchronous builtin and return its value. */
export function callSync(
  name: string,
  sig: string,
  args: Con4mValue[],
  opts: CallOptions = {},
): Con4mValue | undefined {
  const r = call(name, sig, args, opts);
  if (r instanceof Promise) throw new Error(`${name} is asynchronous`);
  return r;
}
