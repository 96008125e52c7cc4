/**
 * Loading chalk's configuration (docs/configuration.md, "Where configuration comes from"): the base
 * snapshot, then the embedded configuration text, then the first `chalk.c4m` found on `config_path`
 * (or exactly the `--config-file`), with command-line flag overrides beating every configuration
 * assignment. Each layer is validated fully against chalk's schema; any problem stops the load with
 * one `file:line:col: message` line per error.
 *
 * @module
 */

import { resolve } from "../internal/posix_path.ts";
import { Attribute } from "../con4m/attributes.ts";
import type { Program } from "../con4m/ast.ts";
import { Con4mRuntime } from "../con4m/runtime.ts";
import type { ConfigStack } from "../con4m/stack.ts";
import { prune, type Type, typeToString } from "../con4m/types.ts";
import type { Con4mValue } from "../con4m/values.ts";
import { type BaseSnapshot, newChalkHostEnv, restoreBaseStack } from "./base_snapshot.ts";
import type { ConfigLogLevel } from "./chalk_builtins.ts";
import { ChalkConfig } from "./chalk_config.ts";
import {
  ConfigTextError,
  decodeConfigText,
  DEFAULT_MAX_CONFIG_BYTES,
  readConfigBytes,
} from "./config_text.ts";
import { errorExcerpt, errorLine } from "./error_location.ts";
import { keyProblems } from "./key_checks.ts";
import { referenceProblems } from "./reference_checks.ts";
import { sinkProblems } from "./sink_checks.ts";
import { sinksInUse } from "./sink_use.ts";
import { ciEvidence, inWorkingFolder, refusalReason } from "./working_folder_trust.ts";
import { SubscriptionTable } from "./subscription_table.ts";
import { externalConfigFiles } from "./external_config.ts";
import { osErrorReason } from "../internal/errors.ts";

/** A flag value as the command line produces it. */
export type FlagValue = string | boolean | number | bigint | readonly string[];

/** Inputs of {@linkcode loadChalkConfig}. */
export interface LoadConfigOptions {
  /** The chalk command being run (what `command_name()` returns). */
  command: string;
  /** The command's arguments (what `command_argv()` returns). */
  commandArgv?: readonly string[];
  /** The embedded configuration text (`$CHALK_CONFIG`); undefined or "" for none. */
  embeddedConfig?: string;
  /** Name used for the embedded configuration in messages (default `[embedded config]`). */
  embeddedName?: string;
  /** Skip the embedded configuration (`--no-use-embedded-config`). */
  noEmbeddedConfig?: boolean;
  /** Skip the search for `chalk.c4m` (`--no-use-external-config`). */
  noExternalConfig?: boolean;
  /** `--config-file PATH`: load exactly this file instead of searching. */
  configFile?: string;
  /** Flag overrides: attribute path → value; beats any configuration assignment. */
  overrides?: Readonly<Record<string, FlagValue>>;
  /** Receives `info()`/`warn()`/... of configurations and loader messages. */
  log?: (level: ConfigLogLevel, message: string) => void;
  /** Home directory for `~` (default `$HOME`). */
  home?: string;
  /** The environment, for CI detection (default `Deno.env.get`). */
  getEnv?: (name: string) => string | undefined;
  /** Another base snapshot (tests); default the generated one. */
  base?: BaseSnapshot;
  /**
   * Validation for `chalk load`: names only a later run would resolve (sinks
   * of `subscribe()` calls, the label template) must exist too.
   */
  strict?: boolean;
}

/**
 * Which layer of the stack failed: the command line's flags, the embedded configuration, a
 * `chalk.c4m` found on `config_path`, or the `--config-file`. Each has its own way out.
 */
export type ConfigLayer = "flags" | "embedded" | "external" | "config-file";

/** The configuration could not be loaded; `lines` are the `file:line:col: message` lines. */
export class ConfigLoadError extends Error {
  /** One line per problem. */
  readonly lines: readonly string[];
  /** Per line, the source line it points at and a caret (indented; empty when none). */
  readonly excerpts: readonly (readonly string[])[];
  /** The layer that failed, when known. */
  readonly layer: ConfigLayer | undefined;

  /** Create an error from its lines (and their source excerpts). */
  constructor(
    lines: readonly string[],
    excerpts: readonly (readonly string[])[] = [],
    layer?: ConfigLayer,
  ) {
    super(lines.join("\n"));
    this.name = "ConfigLoadError";
    this.lines = lines;
    this.excerpts = excerpts;
    this.layer = layer;
  }

  /** Each line followed by its source excerpt, as shown to people. */
  shown(): string[] {
    return this.lines.flatMap((line, i) => [line, ...this.excerpts[i] ?? []]);
  }
}

/**
 * The external configuration file to load: the first one found, passing over those in the
 * working folder while CI is detected and nothing trusts them (each refusal is logged).
 */
function searchExternalConfig(
  rt: Con4mRuntime,
  home: string | undefined,
  getEnv: (name: string) => string | undefined,
  log: (level: ConfigLogLevel, message: string) => void,
): string | undefined {
  const evidence = rt.findBool("trust_working_folder_config") ? undefined : ciEvidence(getEnv);
  const found = externalConfigFiles(
    rt.getStringList("config_path"),
    rt.getString("config_filename"),
    home,
  );
  if (evidence === undefined) return found.next().value?.file;
  const cwd = Deno.realPathSync(Deno.cwd());
  const refused = new Set<string>();
  for (const { entry, file } of found) {
    let real: string;
    try {
      real = Deno.realPathSync(file);
    } catch {
      continue; // gone since it was found
    }
    if (!inWorkingFolder(entry, real, cwd)) return file;
    // The same file reached again (HOME is the working folder) is warned about once.
    if (!refused.has(real)) log("warn", `${file}: ${refusalReason(evidence)}`);
    refused.add(real);
  }
  return undefined;
}

/** Convert a flag value to a con4m value of `type` (ints for int-like types). */
export function flagToValue(value: FlagValue, type: Type | undefined): Con4mValue {
  const t = type === undefined ? undefined : prune(type);
  const intLike = t?.kind === "prim" && ["int", "Size", "Duration", "char"].includes(t.name);
  if (typeof value === "number") return intLike ? BigInt(Math.trunc(value)) : value;
  if (typeof value === "string" && intLike && /^-?\d+$/.test(value)) return BigInt(value);
  if (Array.isArray(value)) return [...value];
  return value as Con4mValue;
}

function installOverrides(
  rt: Con4mRuntime,
  overrides: Readonly<Record<string, FlagValue>>,
): string[] {
  const problems: string[] = [];
  for (const [attr, raw] of Object.entries(overrides)) {
    const existing = rt.lookup(attr);
    const type = existing instanceof Attribute ? existing.type : undefined;
    const value = flagToValue(raw, type);
    // Ints converted for an int-like attribute take its type; anything else must match.
    const given = typeof value === "bigint" ? type : undefined;
    if (!rt.setOverride(attr, value, given)) {
      const want = type === undefined ? "" : ` (expects ${typeToString(type)})`;
      problems.push(`command line: cannot set '${attr}' from a flag${want}`);
    }
  }
  return problems;
}

async function loadLayer(
  stack: ConfigStack,
  subscriptions: SubscriptionTable,
  text: string,
  source: { file: string; layer: ConfigLayer },
  strict = false,
): Promise<void> {
  const { file, layer } = source;
  const r = await stack.loadConfig(text, file, { check: "full" });
  const rt = new Con4mRuntime(stack);
  const errors = !r.ok ? r.errors : [
    ...keyProblems(rt),
    ...sinkProblems(rt, sinksInUse(rt, subscriptions.list())),
    ...(strict ? referenceProblems(rt, r.program) : []),
  ];
  if (errors.length === 0) return;
  const program: Program | undefined = r.program;
  throw new ConfigLoadError(
    errors.map((e) => errorLine(e, file, program)),
    errors.map((e) => errorExcerpt(e, file, program, text)),
    layer,
  );
}

function writesOf(rt: Con4mRuntime, path: string): number {
  const attr = rt.lookup(path);
  return attr instanceof Attribute ? attr.writes : 0;
}

/** Why a configuration file could not be read, in a few words for a one-line error. */
export function readFailureReason(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "is a directory";
  return osErrorReason(e);
}

/** The text of the configuration file `file`, checked as configuration text. */
export async function readConfigText(
  file: string,
  maxBytes: number = DEFAULT_MAX_CONFIG_BYTES,
): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readConfigBytes(file, maxBytes);
  } catch (e) {
    if (e instanceof ConfigTextError) throw e;
    throw new ConfigTextError(file, `could not open configuration file: ${readFailureReason(e)}`);
  }
  return decodeConfigText(bytes, file, maxBytes);
}

async function readConfigFile(file: string, layer: ConfigLayer): Promise<string> {
  try {
    return await readConfigText(file);
  } catch (e) {
    if (e instanceof ConfigTextError) throw new ConfigLoadError([e.message], [], layer);
    throw e;
  }
}

/**
 * Build chalk's configuration for one run. Throws {@linkcode ConfigLoadError} (exit code 2;
 * docs/decisions.md, "Exit codes") when a layer does not parse, check, run or validate.
 *
 * @example
 * ```ts
 * const config = await loadChalkConfig({
 *   command: "insert",
 *   commandArgv: ["./bin"],
 *   embeddedConfig: selfMarkConfigText,
 *   configFile: opts.configFile,
 *   overrides: { virtual_chalk: true },
 * });
 * const output = config.outputConfig();
 * ```
 */
export async function loadChalkConfig(opts: LoadConfigOptions): Promise<ChalkConfig> {
  const log = opts.log ?? (() => {});
  const env = newChalkHostEnv({
    commandName: opts.command,
    commandArgv: opts.commandArgv ?? [],
    subscriptions: new SubscriptionTable(),
    log,
    strict: opts.strict,
  });
  const { stack, templateKeys } = await restoreBaseStack(env, opts.base);
  const rt = new Con4mRuntime(stack);
  const baseLogLevelWrites = writesOf(rt, "log_level");
  const problems = installOverrides(rt, opts.overrides ?? {});
  if (problems.length > 0) throw new ConfigLoadError(problems, [], "flags");
  const home = opts.home ?? Deno.env.get("HOME");
  const layers: string[] = [];

  const embedded = opts.embeddedConfig ?? "";
  if (!opts.noEmbeddedConfig && rt.findBool("load_embedded_config") !== false && embedded !== "") {
    const name = opts.embeddedName ?? "[embedded config]";
    await loadLayer(
      stack,
      env.subscriptions,
      embedded,
      { file: name, layer: "embedded" },
      opts.strict,
    );
    layers.push(name);
  }

  let external: string | undefined;
  if (opts.configFile !== undefined) {
    external = resolve(opts.configFile);
    log("info", `${external}: Loading config file (--config-file)`);
    const layer = "config-file";
    await loadLayer(stack, env.subscriptions, await readConfigFile(external, layer), {
      file: opts.configFile,
      layer,
    });
    layers.push(external);
  } else if (!opts.noExternalConfig && rt.findBool("load_external_config") !== false) {
    external = searchExternalConfig(rt, home, opts.getEnv ?? ((n) => Deno.env.get(n)), log);
    if (external !== undefined) {
      log("info", `${external}: Found config file`);
      const layer = "external";
      await loadLayer(stack, env.subscriptions, await readConfigFile(external, layer), {
        file: external,
        layer,
      });
      layers.push(external);
    }
  }

  return new ChalkConfig({
    stack,
    env,
    baseLogLevelWrites,
    layers,
    externalConfigPath: external,
    baseTemplateKeys: templateKeys,
  });
}
