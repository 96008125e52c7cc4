/**
 * The functions chalk adds to con4m that need chalk's state: `subscribe`, `unsubscribe`, the log
 * functions, `command_name`, `command_argv`, `version`, `auth_headers`, `memoize`, `docker_exe`,
 * `canonicalize_tool` and `copy_report_template_keys`. The stateless ones (`using_tty`,
 * `in_container`, `parse_json`, `is_jwt_valid`, ...) come with con4m. Everything these functions
 * touch is in a {@linkcode ChalkHostEnv} the caller passes in, so `subscribe()` lands in the
 * caller's {@linkcode SubscriptionTable} and log lines in the caller's logger.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { basename, join } from "../internal/posix_path.ts";
import {
  type BuiltinContext,
  type BuiltinDef,
  BuiltinError,
  defineBuiltin,
} from "../con4m/builtins/builtin_def.ts";
import { Con4mDict, type Con4mValue } from "../con4m/values.ts";
import type { SubscriptionTable } from "./subscription_table.ts";

/** Levels the log builtins write at. */
export type ConfigLogLevel = "error" | "warn" | "info" | "trace";

/** What chalk's builtins read and write. */
export interface ChalkHostEnv {
  /** The chalk command being run (`insert`, `docker`, ...; "" at build time). */
  commandName: string;
  /** The arguments of that command (not the process argv). */
  commandArgv: readonly string[];
  /** chalk-ts's version (docs/decisions.md, "CHALK_VERSION"). */
  version: string;
  /** Receives `subscribe()` / `unsubscribe()`. */
  subscriptions: SubscriptionTable;
  /** `copy_report_template_keys(dst, src)` requests, applied when templates are read. */
  templateCopies: Array<readonly [dst: string, src: string]>;
  /** Where `error()`, `warn()`, `info()`, `trace()` and subscription problems go. */
  log(level: ConfigLogLevel, message: string): void;
  /** The real docker executable ("" when none); default: search `$PATH`. */
  findDocker?(): string;
  /**
   * Validation for `chalk load`: `subscribe()` to an unknown sink configuration
   * is an error of the configuration, not a logged line.
   */
  strict?: boolean;
}

function str(args: readonly Con4mValue[], i: number): string {
  const v = args[i];
  return typeof v === "string" ? v : String(v);
}

function attrValue(ctx: BuiltinContext, p: string): Con4mValue | undefined {
  const found = ctx.host.lookupAttr(p);
  return found.kind === "attr" ? found.value : undefined;
}

/** True when `name` is an executable file that is not a chalk program. */
function isDockerCandidate(file: string): boolean {
  try {
    const st = Deno.statSync(file);
    if (!st.isFile || ((st.mode ?? 0) & 0o111) === 0) return false;
    const real = Deno.realPathSync(file);
    return basename(real) !== "chalk" && real !== Deno.realPathSync(Deno.execPath());
  } catch {
    return false;
  }
}

/** The first `docker` on `$PATH` that is not chalk itself ("" when none). */
export function findDockerOnPath(): string {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    const candidate = join(dir, "docker");
    if (isDockerCandidate(candidate)) return candidate;
  }
  return "";
}

function subscriptionBuiltin(env: ChalkHostEnv, unsubscribe: boolean): BuiltinDef {
  const name = unsubscribe ? "unsubscribe" : "subscribe";
  return defineBuiltin(
    name,
    "func(string, string) -> bool",
    (args, ctx) => {
      const topic = str(args, 0);
      const sink = str(args, 1);
      if (unsubscribe) return env.subscriptions.unsubscribe(topic, sink);
      if (!ctx.host.sections("sink_config").includes(sink)) {
        if (env.strict) throw new BuiltinError(`no sink_config named '${sink}'`);
        env.log(
          "error",
          `${sink}: unknown sink configuration while subscribing for topic ${topic}`,
        );
        return false;
      }
      if (attrValue(ctx, `sink_config.${sink}.enabled`) === false) {
        env.log("warn", `${sink}: sink is not enabled and cannot be subscribed for topic ${topic}`);
        return false;
      }
      return env.subscriptions.subscribe(topic, sink);
    },
    {
      doc: unsubscribe
        ? 'Stop sending a topic ("report", ...) to the named sink_config; false if it was not subscribed.'
        : 'Send a topic ("report", ...) to the named sink_config; false if it is unknown or disabled.',
      tags: ["chalk"],
    },
  );
}

function logBuiltin(env: ChalkHostEnv, level: ConfigLogLevel): BuiltinDef {
  return defineBuiltin(level, "func(string)", (args) => {
    env.log(level, str(args, 0));
    return undefined;
  }, { doc: `Log a message at level ${level}.`, tags: ["chalk"] });
}

function authHeaders(ctx: BuiltinContext, name: string): Con4mDict {
  const base = `auth_config.${name}`;
  const kind = attrValue(ctx, `${base}.auth`);
  const out = new Con4mDict();
  if (kind === "basic") {
    const user = attrValue(ctx, `${base}.username`);
    const pass = attrValue(ctx, `${base}.password`);
    const token = Buffer.from(`${String(user ?? "")}:${String(pass ?? "")}`).toString("base64");
    out.set("Authorization", `Basic ${token}`);
  } else if (kind === "jwt") {
    out.set("Authorization", `Bearer ${String(attrValue(ctx, `${base}.token`) ?? "")}`);
  }
  return out;
}

/**
 * chalk's stateful builtins bound to `env`. Install them with `ConfigStack.addBuiltin`, or
 * pass them with the core builtins to `restoreStack`.
 *
 * @example
 * ```ts
 * const env = newChalkHostEnv({ commandName: "insert" });
 * for (const b of chalkBuiltins(env)) stack.addBuiltin(b);
 * ```
 */
export function chalkBuiltins(env: ChalkHostEnv): BuiltinDef[] {
  const chalk = { tags: ["chalk"] };
  return [
    subscriptionBuiltin(env, false),
    subscriptionBuiltin(env, true),
    logBuiltin(env, "error"),
    logBuiltin(env, "warn"),
    logBuiltin(env, "info"),
    logBuiltin(env, "trace"),
    defineBuiltin("version", "func() -> string", () => env.version, {
      ...chalk,
      doc: "chalk-ts's version.",
    }),
    defineBuiltin("command_name", "func() -> string", () => env.commandName, {
      ...chalk,
      doc: "The chalk command being run.",
    }),
    defineBuiltin("command_argv", "func() -> list[string]", () => [...env.commandArgv], {
      ...chalk,
      doc: "The arguments of the chalk command being run.",
    }),
    defineBuiltin(
      "auth_headers",
      "func(string) -> dict[string, string]",
      (args, ctx) => authHeaders(ctx, str(args, 0)),
      { ...chalk, doc: "The HTTP headers the named auth_config produces." },
    ),
    defineBuiltin(
      "memoize",
      "func(string, func () -> string) -> string",
      () => "",
      {
        ...chalk,
        doc: 'chalk-ts keeps no memoized values in its mark: always returns "".',
      },
    ),
    defineBuiltin("docker_exe", "func() -> string", () => (env.findDocker ?? findDockerOnPath)(), {
      ...chalk,
      doc: 'Path of the real docker executable ("" when none).',
    }),
    defineBuiltin("canonicalize_tool", "func(string, `x) -> `x", (args) => args[1], {
      ...chalk,
      doc: "Tool output canonicalization: chalk-ts returns the data unchanged.",
    }),
    defineBuiltin("copy_report_template_keys", "func(string, string)", (args) => {
      env.templateCopies.push([str(args, 0), str(args, 1)]);
      return undefined;
    }, { ...chalk, doc: "Add the keys of one report template to another when reporting." }),
  ];
}
