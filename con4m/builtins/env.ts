/**
 * Environment builtins: `env()`, `env(name)`, `env_exists`, `set_env`. They go through
 * {@linkcode HostHooks} so a host can sandbox them.
 *
 * @module
 */

import { Con4mDict } from "../values.ts";
import { argStr } from "./_args.ts";
import { type BuiltinDef, defineBuiltin } from "./builtin_def.ts";

const TAGS = ["env"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

/** The environment builtins. */
export const ENV_BUILTINS: readonly BuiltinDef[] = [
  def(
    "env",
    "func() -> dict[string, string]",
    (_a, ctx) => new Con4mDict(Object.entries(ctx.host.allEnv())),
    "The whole environment.",
  ),
  def(
    "env",
    "func(string) -> string",
    (a, ctx) => ctx.host.getEnv(argStr(a, 0)) ?? "",
    'The value of an environment variable, "" when unset.',
  ),
  def(
    "env_exists",
    "func(string) -> bool",
    (a, ctx) => ctx.host.getEnv(argStr(a, 0)) !== undefined,
    "Is the variable set (even if empty)?",
  ),
  def(
    "set_env",
    "func(string, string) -> bool",
    (a, ctx) => {
      try {
        ctx.host.setEnv(argStr(a, 0), argStr(a, 1));
        return true;
      } catch {
        return false;
      }
    },
    "Set a variable for this process; false when refused (e.g. an invalid name).",
  ),
];
