/**
 * From a parsed command line to a ready run: the configuration stack
 * (base, embedded, external, `--config-file`, flags) loaded, the log level
 * set from it, and the run context with its report hub.
 *
 * @module
 */
import type { ChalkConfig } from "../config/chalk_config.ts";
import { fileCodecs } from "../codecs/mod.ts";
import { type ConfigLayer, ConfigLoadError, loadChalkConfig } from "../config/load_config.ts";
import { type MissingTemplate, missingTemplates } from "../config/missing_templates.ts";
import { suggestSimilar } from "../internal/did_you_mean.ts";
import { flagOverrides, type GlobalOpts, typedFlags } from "../internal/global_flags.ts";
import type { Logger } from "../internal/logger.ts";
import { CHALK_VERSION } from "../internal/version.ts";
import { buildCommit } from "./build_info.ts";
import { hubFor, type RunContext } from "./run_context.ts";
import type { SelfInfo } from "./self_path.ts";

/** A command line, parsed. */
export interface RunRequest {
  /** The chalk command (`insert`, `docker`, ...). */
  command: string;
  /** chalk's whole argv (after the program name). */
  args: readonly string[];
  /** The command's own arguments. */
  commandArgs: readonly string[];
  opts: GlobalOpts;
  /** Names of the options typed on the command line. */
  given: ReadonlySet<string>;
  self: SelfInfo;
  /** The configuration embedded in this program (`$CHALK_CONFIG`), if any. */
  embedded: string | undefined;
}

/**
 * Commands that answer without a broken embedded configuration: `dump` shows the text to fix, and
 * `version` says which chalk this is. Every other command stops, since the configuration is what
 * it would run.
 */
const ANSWER_WITHOUT_EMBEDDED: ReadonlySet<string> = new Set(["version", "dump"]);

/** Loads the configuration stack for `req`; undefined (after printing why) on error. */
export async function loadRunConfig(
  req: RunRequest,
  log: Logger,
): Promise<ChalkConfig | undefined> {
  try {
    return await loadChalkConfig({
      command: req.command,
      commandArgv: req.commandArgs,
      embeddedConfig: req.embedded,
      noEmbeddedConfig: req.opts.useEmbeddedConfig === false,
      noExternalConfig: req.opts.useExternalConfig === false,
      configFile: req.opts.configFile,
      overrides: flagOverrides(req.command, req.opts, req.given),
      log: (level, message) => log[level](message),
    });
  } catch (e) {
    if (!(e instanceof ConfigLoadError)) throw e;
    if (e.layer === "embedded" && ANSWER_WITHOUT_EMBEDDED.has(req.command)) {
      for (const line of e.lines) log.warn(line);
      log.warn(
        `The embedded configuration does not load; ${req.command} runs without it ` +
          "(chalk --no-use-embedded-config load default repairs the program).",
      );
      return await loadRunConfig({ ...req, opts: { ...req.opts, useEmbeddedConfig: false } }, log);
    }
    log.errorLines(e.shown());
    log.error(`Could not load configuration files${wayOut(e.layer)}.`);
    return undefined;
  }
}

/** How to get past the failing layer: each flag skips only its own. */
function wayOut(layer: ConfigLayer | undefined): string {
  if (layer === "embedded") return "; run with --no-use-embedded-config to recover";
  if (layer === "external") return "; fix that file, or run with --no-use-external-config";
  return "";
}

/**
 * The line that refuses a run naming an unknown template: the flag when one gave the name, else
 * the setting, with the nearest known names.
 */
function missingTemplateLine(config: ChalkConfig, req: RunRequest, m: MissingTemplate): string {
  const flag = m.kind === "mark" ? req.opts.markTemplate : req.opts.reportTemplate;
  const where = m.section === `outconf.${req.command}` && flag === m.name
    ? `--${m.kind}-template ${m.name}`
    : `${m.section}.${m.kind}_template`;
  const near = suggestSimilar(m.name, config.templateNames(m.kind));
  const hint = near.length > 0 ? ` (did you mean ${near.join(", ")}?)` : "";
  return `${where}: no ${m.kind} template named '${m.name}'${hint}`;
}

/** Commands that rewrite files and have no virtual mode: they refuse one rather than act for real. */
const NO_VIRTUAL_MODE = new Set(["delete", "load", "setup"]);

/**
 * Why `req` must not run in virtual mode, if it must not: `--virtual` (`-v`, `--dry-run`) promises
 * that nothing is modified, which only insert and docker build can keep (the original's delete
 * ignored the flag and deleted). A configuration's `virtual_chalk` refuses `delete` too: it asks
 * that artifacts stay as they are; chalk's own program (load, setup) is no artifact.
 */
function virtualModeRefusal(req: RunRequest, config: ChalkConfig): string | undefined {
  if (!NO_VIRTUAL_MODE.has(req.command)) return undefined;
  const flag = req.opts.dryRun
    ? "--dry-run"
    : req.given.has("virtual") && req.opts.virtual
    ? "--virtual"
    : undefined;
  if (flag !== undefined) {
    return `${req.command}: ${flag} applies to insert and docker build only; ${req.command} ` +
      "has no dry run, so nothing was done";
  }
  if (req.command === "delete" && config.virtualChalk) {
    return "delete: the configuration turns virtual mode on (virtual_chalk) and delete has no " +
      "dry run, so nothing was done; pass --no-virtual to delete";
  }
  return undefined;
}

/**
 * The run context of `req`, or undefined (after printing why: a usage error) when its
 * configuration does not load, names a template it does not define, or asks a command for a
 * virtual mode it does not have. Nothing has been touched then.
 */
export async function openRun(req: RunRequest, log: Logger): Promise<RunContext | undefined> {
  const config = await loadRunConfig(req, log);
  if (!config) return undefined;
  // Layers are checked as they load (chalk.c42spec's outconf and custom_report validators); a
  // template flag is an override nothing checked, so only a run with one pays for the walk.
  const flagged = req.opts.markTemplate !== undefined || req.opts.reportTemplate !== undefined;
  const missing = flagged ? missingTemplates(config) : [];
  if (missing.length > 0) {
    log.error(missingTemplateLine(config, req, missing[0]));
    return undefined;
  }
  const refusal = virtualModeRefusal(req, config);
  if (refusal !== undefined) {
    log.error(refusal);
    return undefined;
  }
  log.level = config.logLevel(req.command);
  log.color = config.color;
  for (const line of config.unimplementedFeatures()) log.warn(line);
  const output = config.outputConfig();
  const hub = hubFor(output, log, {
    enabled: config.useReportCache,
    path: config.reportCacheLocation,
    lockTimeoutMs: 15_000,
    forceOutputOnFail: config.forceOutputOnReportingFails,
  });
  return {
    command: req.command,
    self: req.self,
    log,
    output,
    hub,
    options: {
      recursive: config.recursive,
      virtual: config.virtualChalk,
      symlinkChalking: config.symlinkBehaviorChalking,
      skipSummaryReport: config.skipSummaryReport,
      skipCommandReport: config.skipCommandReport,
    },
    config,
    template: (name) => config.template(name),
    ignorePatterns: config.ignorePatterns,
    codecs: fileCodecs(config.codecSettings),
    failed: false,
    facts: {
      selfPath: req.self.path,
      args: [...req.args],
      commandArgs: [...req.commandArgs],
      flags: typedFlags(req.args),
      started: new Date(),
      version: CHALK_VERSION,
      commit: await buildCommit(),
      envPolicy: config.envPolicy,
    },
  };
}
