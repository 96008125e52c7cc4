/**
 * The typed view of an evaluated chalk configuration: what chalk's code reads (output
 * wiring, templates, log level, search and environment policies, docker and exec settings)
 * as plain TypeScript values, so no other module touches con4m attributes directly.
 *
 * @module
 */

import { stderrTakesEscapes, usingTty } from "../internal/terminal.ts";
import { Attribute, AttrScope } from "../con4m/attributes.ts";
import { Con4mRuntime } from "../con4m/runtime.ts";
import { sinkConfigOf } from "./sink_config_of.ts";
import { sinksInUse } from "./sink_use.ts";
import { unimplementedFeatures } from "./unimplemented.ts";
import type { ConfigStack } from "../con4m/stack.ts";
import type { LogLevel } from "../internal/logger.ts";
import type { CustomReport, OutConf, OutputConfig } from "./output_config.ts";
import type { Template } from "../reports/templates.ts";
import type { SinkConfig } from "../sinks/sink.ts";
import type { ChalkHostEnv } from "./chalk_builtins.ts";
import { type CloudSettings, DEFAULT_CLOUD_SETTINGS } from "../collectors/cloud.ts";
import { DEFAULT_REPORT_CACHE_PATH } from "../internal/state_dir.ts";
import type { CodecSettings } from "../codecs/mod.ts";
import { type UserKeySpec, userKeySpecs } from "./user_keys.ts";

/** A template or section name the configuration does not define. */
export class ConfigLookupError extends Error {
  /** The one-line reason. */
  readonly reason: string;

  /** Create an error with a one-line reason. */
  constructor(reason: string) {
    super(reason);
    this.name = "ConfigLookupError";
    this.reason = reason;
  }
}

/** How `_ENV` / `INJECTOR_ENV` treat environment variables. */
export interface EnvPolicy {
  /** Always shown. */
  readonly alwaysShow: readonly string[];
  /** Shown as `<<redact>>`. */
  readonly redact: readonly string[];
  /** Never shown. */
  readonly neverShow: readonly string[];
  /** What happens to every other variable. */
  readonly defaultAction: "ignore" | "redact" | "show";
}

/** The `docker { ... }` section (docs/docker.md). */
export interface DockerConfig {
  readonly wrapEntrypoint: boolean;
  readonly wrapCmd: boolean;
  /** Start wrapped images through chalk's native init (docs/exec.md, "The native init"). */
  readonly wrapInit: boolean;
  readonly labelPrefix: string;
  readonly labelTemplate: string;
  readonly customLabels: Readonly<Record<string, string>>;
  readonly additionalEnvVars: Readonly<Record<string, string>>;
  readonly reportUnwrappedCommands: boolean;
  readonly updateDockerignore: boolean;
  readonly archBinaryLocationsPath: string;
  readonly downloadArchBinary: boolean;
  readonly downloadArchBinaryUrls: readonly string[];
  /** `docker_exe` at the top level, if set. */
  readonly dockerExe?: string;
  /** `docker_log_level`, the log level while wrapping docker. */
  readonly logLevel: LogLevel;
}

/** The `exec.heartbeat { ... }` section (docs/exec.md, "Heartbeats"). */
export interface HeartbeatConfig {
  readonly run: boolean;
  /** Interval in milliseconds. */
  readonly rateMs: number;
  /** RLIMIT_AS in bytes (0 = none). */
  readonly rlimit: number;
  readonly nice: number;
}

/** The `exec { ... }` section (docs/exec.md). */
export interface ExecConfig {
  readonly commandName: string;
  readonly commandNameFromArgs: boolean;
  /** Where to look for the program (`$PATH` entries then "." when not configured). */
  readonly searchPath: readonly string[];
  readonly usePath: boolean;
  readonly defaultArgs: readonly string[];
  readonly appendCommandLineArgs: boolean;
  readonly overrideOk: boolean;
  readonly chalkAsParent: boolean;
  readonly reportingProbability: number;
  /** Delay before collecting, in milliseconds. */
  readonly initialSleepMs: number;
  /** As PID 1, how long chalk waits for the exec report's delivery before the exec (ms). */
  readonly reportWaitMs: number;
  readonly heartbeat: HeartbeatConfig;
}

/** Signing settings (docs/trust.md). */
export interface AttestationConfig {
  /** Warn while chalk has no signing key (`attestation.setup_warning`). */
  setupWarning: boolean;
  /** Sign marks when a key is set up (`always_try_to_sign`). */
  sign: boolean;
  /** Extra signers extract trusts (`attestation.trusted_signers`). */
  trustedSigners: string[];
  /** Store image attestations under the tag scheme too when referrers work. */
  useOciTag: boolean;
}

/** What `chalk verify` requires (`verify_policy`). */
export interface VerifyPolicy {
  allowedSigners: string[];
  requireSignature: boolean;
  requireAttestation: boolean;
  requiredBranch?: string;
  requiredOrigin?: string;
  /** Maximum age in milliseconds. */
  maxAgeMs?: number;
}

/** What {@linkcode ChalkConfig} is built from (see `loadChalkConfig`). */
export interface ChalkConfigParts {
  /** The evaluated stack. */
  stack: ConfigStack;
  /** The host environment its builtins wrote to. */
  env: ChalkHostEnv;
  /**
   * How often `log_level` had been assigned when the base configuration was restored: more
   * assignments mean a user layer chose a level (even the base's own "warn"). Undefined: no
   * layer can have chosen one.
   */
  baseLogLevelWrites?: number;
  /** Files (or labels) of the user layers loaded, in order. */
  layers: readonly string[];
  /** The external configuration file loaded, if any. */
  externalConfigPath?: string;
  /**
   * Every template's keys as the base configuration alone defines them, space-separated
   * (computed when chalk is built, `BASE_TEMPLATE_KEYS`): used while no user layer is loaded.
   */
  baseTemplateKeys?: Readonly<Record<string, string>>;
}

const TERMINAL_REPORTS = new Set(["terminal_chalk_time", "terminal_other_op"]);

/** Map a con4m log level name (`verbose`, `inform`, `silent`, ...) to chalk-ts's levels. */
export function normalizeLogLevel(name: string): LogLevel {
  switch (name) {
    case "verbose":
    case "trace":
      return "trace";
    case "info":
    case "inform":
      return "info";
    case "warn":
    case "warning":
      return "warn";
    case "error":
      return "error";
    default:
      return "none";
  }
}

function num(v: bigint | undefined, fallback: number): number {
  return v === undefined ? fallback : Number(v);
}

/**
 * An evaluated configuration, typed.
 *
 * @example
 * ```ts
 * const config = await loadChalkConfig({ command: "insert" });
 * const hubConfig = config.outputConfig();
 * const mark = config.markTemplate(config.outconf("insert")?.markTemplate ?? "mark_default");
 * ```
 */
export class ChalkConfig {
  /** Attribute access to the evaluated configuration. */
  readonly runtime: Con4mRuntime;
  /** The con4m stack (for `chalk dump`, help generation, ...). */
  readonly stack: ConfigStack;
  /** User layers loaded after the base configuration, in order. */
  readonly layers: readonly string[];
  /** The external configuration file that was loaded, if any. */
  readonly externalConfigPath: string | undefined;
  readonly #env: ChalkHostEnv;
  readonly #baseLogLevelWrites: number | undefined;
  readonly #templates = new Map<string, Template>();
  readonly #baseTemplateKeys: Readonly<Record<string, string>> | undefined;
  #userKeys: readonly UserKeySpec[] | undefined;

  /** Wrap an evaluated stack. */
  constructor(parts: ChalkConfigParts) {
    this.stack = parts.stack;
    this.runtime = new Con4mRuntime(parts.stack);
    this.layers = parts.layers;
    this.externalConfigPath = parts.externalConfigPath;
    this.#env = parts.env;
    this.#baseLogLevelWrites = parts.baseLogLevelWrites;
    this.#baseTemplateKeys = parts.baseTemplateKeys;
  }

  // ----- output ----------------------------------------------------------------------------

  /** One `sink_config` section as the sinks take it. */
  sinkConfig(name: string): SinkConfig {
    if (!this.runtime.hasSection(`sink_config.${name}`)) {
      throw new ConfigLookupError(`unknown sink configuration '${name}'`);
    }
    return sinkConfigOf(this.runtime, name);
  }

  /**
   * One warning line per feature the user layers turn on that chalk-ts does not implement
   * (config/unimplemented.ts). The base configuration turns none on, so a run without user
   * layers looks at nothing.
   */
  unimplementedFeatures(): string[] {
    if (this.layers.length === 0) return [];
    const rt = this.runtime;
    return unimplementedFeatures(rt, sinksInUse(rt, this.#env.subscriptions.list()));
  }

  /** The `outconf` of a command (undefined when the configuration has none). */
  outconf(command: string): OutConf | undefined {
    const rt = this.runtime;
    const base = `outconf.${command}`;
    if (!rt.hasSection(base)) return undefined;
    const mark = rt.findString(`${base}.mark_template`);
    return {
      ...(mark === undefined || mark === "" ? {} : { markTemplate: mark }),
      reportTemplate: rt.findString(`${base}.report_template`) ?? "report_default",
    };
  }

  /** One `custom_report` section. */
  customReport(name: string): CustomReport {
    const rt = this.runtime;
    const base = `custom_report.${name}`;
    if (!rt.hasSection(base)) throw new ConfigLookupError(`unknown custom report '${name}'`);
    const skipped = TERMINAL_REPORTS.has(name) && this.skipSummaryReport;
    return {
      name,
      enabled: !skipped && (rt.findBool(`${base}.enabled`) ?? true),
      reportTemplate: rt.getString(`${base}.report_template`),
      sinkConfigs: rt.isSet(`${base}.sink_configs`) ? rt.getStringList(`${base}.sink_configs`) : [],
      useWhen: rt.isSet(`${base}.use_when`) ? rt.getStringList(`${base}.use_when`) : ["*"],
    };
  }

  /** Everything that decides the reports of a run. */
  outputConfig(): OutputConfig {
    const rt = this.runtime;
    const outconf: Record<string, OutConf> = {};
    for (const cmd of rt.sectionNames("outconf")) outconf[cmd] = this.outconf(cmd)!;
    return {
      sinkConfigs: rt.sectionNames("sink_config").map((n) => this.sinkConfig(n)),
      subscriptions: this.#env.subscriptions.list(),
      customReports: rt.sectionNames("custom_report").map((n) => this.customReport(n)),
      outconf,
    };
  }

  // ----- templates -------------------------------------------------------------------------

  #templateKeys(section: string): string[] {
    // Read from the `key` section itself: a template names hundreds of keys, and a lookup
    // from the root per key was most of the cost of choosing a report's keys.
    const keys = this.runtime.lookup(`${section}.key`);
    if (!(keys instanceof AttrScope)) return [];
    return keys.sectionNames().filter((k) => {
      // The spec types `use` as a bool: validation has refused anything else.
      const use = (keys.contents.get(k) as AttrScope).contents.get("use");
      return use instanceof Attribute && use.effective === true;
    });
  }

  /** Names of the mark or report templates, in order. */
  templateNames(kind: "mark" | "report"): string[] {
    return this.runtime.sectionNames(`${kind}_template`);
  }

  /** A mark template by name. */
  markTemplate(name: string): Template {
    if (!this.runtime.hasSection(`mark_template.${name}`)) {
      throw new ConfigLookupError(`unknown mark template '${name}'`);
    }
    return { name, keys: new Set(this.#templateKeys(`mark_template.${name}`)) };
  }

  /** A report template by name, with keys added by `copy_report_template_keys`. */
  reportTemplate(name: string): Template {
    if (!this.runtime.hasSection(`report_template.${name}`)) {
      throw new ConfigLookupError(`unknown report template '${name}'`);
    }
    const keys = new Set(this.#templateKeys(`report_template.${name}`));
    for (const [dst, src] of this.#env.templateCopies) {
      if (dst !== name || !this.runtime.hasSection(`report_template.${src}`)) continue;
      for (const k of this.#templateKeys(`report_template.${src}`)) keys.add(k);
    }
    return { name, keys };
  }

  /**
   * A template by name: a mark template if one has that name, else a report template. Read
   * once per run: a report template names hundreds of keys.
   */
  template(name: string): Template {
    let found = this.#templates.get(name);
    if (found) return found;
    const base = this.#baseTemplate(name);
    if (base) found = base;
    else if (this.runtime.hasSection(`mark_template.${name}`)) found = this.markTemplate(name);
    else if (this.runtime.hasSection(`report_template.${name}`)) found = this.reportTemplate(name);
    else throw new ConfigLookupError(`unknown template '${name}'`);
    this.#templates.set(name, found);
    return found;
  }

  /**
   * `name` as the base configuration defines it, when nothing can have changed it: no user layer,
   * no `copy_report_template_keys`. Reading a report template's hundreds of keys from the restored
   * stack took ~4 ms at the end of every insert.
   */
  #baseTemplate(name: string): Template | undefined {
    if (this.layers.length > 0 || this.#env.templateCopies.length > 0) return undefined;
    const keys = this.#baseTemplateKeys && Object.hasOwn(this.#baseTemplateKeys, name)
      ? this.#baseTemplateKeys[name]
      : undefined;
    if (keys === undefined) return undefined;
    return { name, keys: new Set(keys === "" ? [] : keys.split(" ")) };
  }

  /**
   * The user keys with a `value` or `callback` (docs/configuration.md, "Your own keys"). Only a
   * user layer can define one, so a run on the base configuration alone reads no keyspec.
   */
  get userKeys(): readonly UserKeySpec[] {
    this.#userKeys ??= this.layers.length === 0 ? [] : userKeySpecs(this.runtime);
    return this.#userKeys;
  }

  // ----- top-level settings ----------------------------------------------------------------

  /** The log level a `--log-level` flag or a configuration chose; undefined for the default. */
  chosenLogLevel(): LogLevel | undefined {
    const attr = this.runtime.lookup("log_level");
    if (!(attr instanceof Attribute)) return undefined;
    if (attr.override !== undefined) return normalizeLogLevel(String(attr.override));
    const base = this.#baseLogLevelWrites;
    if (base === undefined || attr.writes <= base || typeof attr.value !== "string") {
      return undefined;
    }
    return normalizeLogLevel(attr.value);
  }

  /**
   * The log level for `command`: a `--log-level` flag, else a level a configuration set,
   * else chalk's per-command default (info; error for docker; none on a terminal, else
   * error, for exec).
   */
  logLevel(command: string): LogLevel {
    const chosen = this.chosenLogLevel();
    if (chosen !== undefined) return chosen;
    const cmd = this.defaultCommand;
    if (command === "docker" || cmd === "docker") return "error";
    if (command === "exec" || cmd === "exec") return usingTty() ? "none" : "error";
    return "info";
  }

  /**
   * Whether log lines are coloured: `--color`/`--no-color` or a configuration's `color`, else
   * only when stderr is a terminal, `NO_COLOR` is not set and `TERM` is not `dumb`.
   */
  get color(): boolean {
    const set = this.runtime.findBool("color");
    if (set !== undefined) return set;
    return stderrTakesEscapes() && Deno.env.get("NO_COLOR") === undefined;
  }

  /** `chalk_debug` (`--debug`): errors come with their stack traces. */
  get debug(): boolean {
    return this.runtime.findBool("chalk_debug") ?? false;
  }

  /** `chalk_log_level`: which error lines are copied into `_OP_ERRORS`. */
  get chalkLogLevel(): LogLevel {
    return normalizeLogLevel(this.runtime.findString("chalk_log_level") ?? "error");
  }

  /** The command run when none is given (`help` by default). */
  get defaultCommand(): string {
    return this.runtime.findString("default_command") ?? "help";
  }

  /** Write marks to `virtual-chalk.json` (in the state folder) instead of into artifacts. */
  get virtualChalk(): boolean {
    return this.runtime.findBool("virtual_chalk") ?? false;
  }

  /** Descend into folders. */
  get recursive(): boolean {
    return this.runtime.findBool("recursive") ?? true;
  }

  /** What insert/delete do with symbolic links to files. */
  get symlinkBehaviorChalking(): "skip" | "clobber" | "copy" {
    const v = this.runtime.findString("symlink_behavior_chalking");
    return v === "clobber" || v === "copy" ? v : "skip";
  }

  /** Full-path regular expressions of files insert and delete skip. */
  get ignorePatterns(): string[] {
    return this.runtime.getStringList("ignore_patterns");
  }

  /** The environment variable policy of `_ENV` and `INJECTOR_ENV`. */
  get envPolicy(): EnvPolicy {
    const rt = this.runtime;
    const action = rt.findString("env_default_action");
    return {
      alwaysShow: rt.getStringList("env_always_show"),
      redact: rt.getStringList("env_redact"),
      neverShow: rt.getStringList("env_never_show"),
      defaultAction: action === "redact" || action === "show" ? action : "ignore",
    };
  }

  /** Cache reports that could not be delivered. */
  get useReportCache(): boolean {
    return this.runtime.findBool("use_report_cache") ?? true;
  }

  /** Where the report cache lives. */
  get reportCacheLocation(): string {
    return this.runtime.findString("report_cache_location") ?? DEFAULT_REPORT_CACHE_PATH;
  }

  /** Without a report cache, a report no sink took is printed rather than lost. */
  get forceOutputOnReportingFails(): boolean {
    return this.runtime.findBool("force_output_on_reporting_fails") ?? true;
  }

  /** A failed delivery fails the command (docs/configuration.md, "Delivery failures"). */
  get failOnUndeliveredReports(): boolean {
    return this.runtime.findBool("fail_on_undelivered_reports") ?? false;
  }

  /** Do not print the terminal summary reports. */
  get skipSummaryReport(): boolean {
    return this.runtime.findBool("skip_summary_report") ?? false;
  }

  /** Do not publish the command report. */
  get skipCommandReport(): boolean {
    return this.runtime.findBool("skip_command_report") ?? false;
  }

  /** Do not publish custom reports. */
  get skipCustomReports(): boolean {
    return this.runtime.findBool("skip_custom_reports") ?? false;
  }

  // ----- sections --------------------------------------------------------------------------

  /** The docker settings. */
  get docker(): DockerConfig {
    const rt = this.runtime;
    const dict = (p: string): Record<string, string> => rt.isSet(p) ? rt.getStringDict(p) : {};
    const dockerExe = rt.findString("docker_exe");
    return {
      wrapEntrypoint: rt.findBool("docker.wrap_entrypoint") ?? false,
      wrapCmd: rt.findBool("docker.wrap_cmd") ?? true,
      wrapInit: rt.findBool("docker.wrap_init") ?? false,
      labelPrefix: rt.findString("docker.label_prefix") ?? "run.crashoverride.",
      labelTemplate: rt.findString("docker.label_template") ?? "chalk_labels",
      customLabels: dict("docker.custom_labels"),
      additionalEnvVars: dict("docker.additional_env_vars"),
      reportUnwrappedCommands: rt.findBool("docker.report_unwrapped_commands") ?? false,
      updateDockerignore: rt.findBool("docker.update_dockerignore") ?? true,
      archBinaryLocationsPath: rt.findString("docker.arch_binary_locations_path") ??
        "~/.local/chalk/bin",
      downloadArchBinary: rt.findBool("docker.download_arch_binary") ?? true,
      downloadArchBinaryUrls: rt.isSet("docker.download_arch_binary_urls")
        ? rt.getStringList("docker.download_arch_binary_urls")
        : [],
      ...(dockerExe === undefined || dockerExe === "" ? {} : { dockerExe }),
      logLevel: normalizeLogLevel(rt.findString("docker_log_level") ?? "error"),
    };
  }

  /** The signing settings. */
  get attestation(): AttestationConfig {
    const rt = this.runtime;
    return {
      setupWarning: rt.findBool("attestation.setup_warning") ?? true,
      sign: rt.findBool("always_try_to_sign") ?? true,
      trustedSigners: rt.isSet("attestation.trusted_signers")
        ? rt.getStringList("attestation.trusted_signers")
        : [],
      useOciTag: rt.findBool("docker.attestation_use_oci_tag") ?? false,
    };
  }

  /** The policy `chalk verify` applies. */
  get verifyPolicy(): VerifyPolicy {
    const rt = this.runtime;
    const maxAge = rt.findInt("verify_policy.max_age");
    const branch = rt.findString("verify_policy.required_branch");
    const origin = rt.findString("verify_policy.required_origin");
    return {
      allowedSigners: rt.isSet("verify_policy.allowed_signers")
        ? rt.getStringList("verify_policy.allowed_signers")
        : [],
      requireSignature: rt.findBool("verify_policy.require_signature") ?? true,
      requireAttestation: rt.findBool("verify_policy.require_attestation") ?? true,
      ...(branch === undefined ? {} : { requiredBranch: branch }),
      ...(origin === undefined ? {} : { requiredOrigin: origin }),
      // Durations are microseconds.
      ...(maxAge === undefined ? {} : { maxAgeMs: Number(maxAge) / 1000 }),
    };
  }

  /** What the file codecs are told (docs/configuration.md, "Artifact types"). */
  get codecSettings(): CodecSettings {
    const rt = this.runtime;
    const dict = (path: string) => (rt.isSet(path) ? rt.getStringDict(path) : undefined);
    const maxInflated = rt.findInt("zip.max_inflated_size");
    return {
      source: {
        onlyMarkShebangs: rt.findBool("source_marks.only_mark_shebangs") ?? true,
        onlyMarkWhenExecuteSet: rt.findBool("source_marks.only_mark_when_execute_set") ?? false,
        ...(rt.isSet("source_marks.text_only_extensions")
          ? { textOnlyExtensions: rt.getStringList("source_marks.text_only_extensions") }
          : {}),
        ...(dict("source_marks.language_to_comment_map")
          ? { languageToComment: dict("source_marks.language_to_comment_map") }
          : {}),
        ...(dict("source_marks.extensions_to_languages_map")
          ? { extensionToLanguage: dict("source_marks.extensions_to_languages_map") }
          : {}),
      },
      zip: {
        ...(rt.isSet("zip_extensions") ? { extensions: rt.getStringList("zip_extensions") } : {}),
        ...(maxInflated === undefined ? {} : { maxInflatedBytes: Number(maxInflated) }),
      },
      ...(rt.isSet("pyc_extensions") ? { pycExtensions: rt.getStringList("pyc_extensions") } : {}),
    };
  }

  /** The `cloud_provider` section (docs/configuration.md, "Cloud metadata"). */
  get cloud(): CloudSettings {
    const rt = this.runtime;
    const d = DEFAULT_CLOUD_SETTINGS;
    const hw = "cloud_provider.cloud_instance_hw_identifiers";
    const path = (field: string, fallback: string) => rt.findString(`${hw}.${field}`) ?? fallback;
    return {
      enabled: rt.findBool("cloud_provider.enabled") ?? d.enabled,
      metadataIp: rt.findString("cloud_provider.metadata_ip") ?? d.metadataIp,
      timeoutMs: num(rt.findInt("cloud_provider.timeout_ms"), d.timeoutMs),
      probeTimeoutMs: num(rt.findInt("cloud_provider.probe_timeout_ms"), d.probeTimeoutMs),
      probeWithoutHints: rt.findBool("cloud_provider.probe_without_hints") ??
        d.probeWithoutHints,
      paths: {
        sysVendor: path("sys_vendor_path", d.paths.sysVendor),
        sysHypervisor: path("sys_hypervisor_path", d.paths.sysHypervisor),
        sysProduct: path("sys_product_path", d.paths.sysProduct),
        sysBoardAssetTag: path("sys_board_asset_tag_path", d.paths.sysBoardAssetTag),
        sysResolv: path("sys_resolv_path", d.paths.sysResolv),
      },
    };
  }

  /** The exec settings (with the heartbeat). */
  get exec(): ExecConfig {
    const rt = this.runtime;
    const configured = rt.isSet("exec.search_path") ? rt.getStringList("exec.search_path") : [];
    const searchPath = configured.length > 0
      ? configured
      : [...(Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== ""), "."];
    const list = (p: string): string[] => (rt.isSet(p) ? rt.getStringList(p) : []);
    return {
      commandName: rt.findString("exec.command_name") ?? "",
      commandNameFromArgs: rt.findBool("exec.command_name_from_args") ?? true,
      searchPath,
      usePath: rt.findBool("exec.use_path") ?? true,
      defaultArgs: list("exec.default_args"),
      appendCommandLineArgs: rt.findBool("exec.append_command_line_args") ?? false,
      overrideOk: rt.findBool("exec.override_ok") ?? true,
      chalkAsParent: rt.findBool("exec.chalk_as_parent") ?? false,
      reportingProbability: num(rt.findInt("exec.reporting_probability"), 100),
      initialSleepMs: num(rt.findInt("exec.initial_sleep_time"), 50_000) / 1000,
      reportWaitMs: num(rt.findInt("exec.report_wait"), 1_000_000) / 1000,
      heartbeat: {
        run: rt.findBool("exec.heartbeat.run") ?? false,
        rateMs: num(rt.findInt("exec.heartbeat.rate"), 20_000_000) / 1000,
        rlimit: num(rt.findInt("exec.heartbeat.rlimit"), 0),
        nice: num(rt.findInt("exec.heartbeat.nice"), 5),
      },
    };
  }
}
